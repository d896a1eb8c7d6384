"""REST API for the registers: the same selectors (scoping) and predicates as the pages."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import generics, permissions, serializers

from ikms.core.api import ApiMixin, QueryChoiceField, QueryDateField, predicate_permission
from ikms.registry import permissions as registry_permissions
from ikms.registry import selectors
from ikms.registry.choices import DecisionKind, FounderKind, InstitutionStatus, LicenceStatus
from ikms.registry.filters import DATE_RANGE_ERROR
from ikms.registry.models import Decision, Institution, Programme


class InstitutionRefSerializer(serializers.Serializer):
    """An institution named in another resource's answer (a complaint's, an inspection's)."""

    registration_number = serializers.CharField()
    name = serializers.CharField()


class InstitutionOutputSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="type.code")
    kind = serializers.CharField(source="type.kind.code")
    municipality = serializers.CharField(source="municipality.code")
    founder = serializers.CharField(source="founder.name")
    founder_kind = serializers.CharField(source="founder.kind")

    class Meta:
        model = Institution
        fields = ["id", "registration_number", "name", "type", "kind", "municipality", "address", "founder",
                  "founder_kind", "status", "head_name", "registered_on", "liquidated_on"]


class ProgrammeOutputSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.registration_number")
    places = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "form", "institution", "licence_number", "licence_date", "status",
                  "places"]

    def get_places(self, obj) -> list[str]:
        return [p.address for p in obj.places.all()]


class DecisionOutputSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.registration_number", default=None, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = Decision
        fields = ["id", "number", "date", "kind", "reason", "legal_basis", "institution", "programme",
                  "subject_name", "decided_by", "revokes", "changes"]


def _text(help_text: str, max_length: int = 200) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length,
                                 help_text=help_text)


class InstitutionQuerySerializer(serializers.Serializer):
    """The query filters of the public institution list (an unknown code gives an empty list, as on the pages;
    an unknown status is a 400)."""

    q = _text("Name or registration number (a full 10-digit number matches exactly, fewer digits a prefix).")
    municipality = _text("Municipality code, e.g. LV-RIX.", 20)
    type = _text("Institution type code, e.g. secondary.", 40)
    kind = _text("Institution kind code, e.g. general.", 40)
    status = QueryChoiceField(choices=InstitutionStatus.choices, help_text="Register status.")


class StaffInstitutionQuerySerializer(InstitutionQuerySerializer):
    founder = QueryChoiceField(choices=FounderKind.choices, help_text="Founder kind.")


class ProgrammeQuerySerializer(serializers.Serializer):
    q = _text("Programme name, code prefix, institution name or licence number.")
    municipality = _text("Municipality code, e.g. LV-RIX.", 20)
    status = QueryChoiceField(choices=LicenceStatus.choices, help_text="Licence status.")
    level = _text("Education level of the programme code, e.g. basic.", 40)
    institution = _text("Registration number of the institution.", 20)


class DecisionQuerySerializer(serializers.Serializer):
    """The filters of the decision list page (filters.DecisionFilterForm), checked the same way."""

    number = _text("Decision number: the whole number or its beginning.", 40)
    institution = _text("Institution name (case and Latvian diacritics ignored) or registration number prefix.",
                        100)
    kind = QueryChoiceField(choices=DecisionKind.choices, help_text="Decision kind.")
    date_from = QueryDateField(help_text="Decisions dated on or after this day (YYYY-MM-DD).")
    date_to = QueryDateField(help_text="Decisions dated on or before this day (YYYY-MM-DD).")

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": [DATE_RANGE_ERROR]})
        return attrs


CanUseStaffRegister = predicate_permission(registry_permissions.can_use_staff_register)


@method_decorator(login_not_required, name="dispatch")
class InstitutionListApi(ApiMixin, generics.ListAPIView):
    """Institutions the caller may see (scoped exactly like the staff list)."""

    serializer_class = InstitutionOutputSerializer
    permission_classes = [CanUseStaffRegister]
    query_serializer_class = StaffInstitutionQuerySerializer

    def get_queryset(self):
        qs = selectors.institution_visible_to(self.request.user)
        return selectors.institution_filter(qs, **self.query).order_by("name")


@method_decorator(login_not_required, name="dispatch")
class InstitutionDetailApi(ApiMixin, generics.RetrieveAPIView):
    serializer_class = InstitutionOutputSerializer
    permission_classes = [CanUseStaffRegister]

    def get_queryset(self):
        return selectors.institution_visible_to(self.request.user)


@method_decorator(login_not_required, name="dispatch")
class ProgrammeListApi(ApiMixin, generics.ListAPIView):
    serializer_class = ProgrammeOutputSerializer
    permission_classes = [CanUseStaffRegister]
    query_serializer_class = ProgrammeQuerySerializer

    def get_queryset(self):
        qs = selectors.programme_visible_to(self.request.user)
        return selectors.programme_filter(qs, **self.query).order_by("id")


@method_decorator(login_not_required, name="dispatch")
class DecisionListApi(ApiMixin, generics.ListAPIView):
    serializer_class = DecisionOutputSerializer
    permission_classes = [CanUseStaffRegister]
    query_serializer_class = DecisionQuerySerializer

    def get_queryset(self):
        qs = selectors.decision_visible_to(self.request.user)
        return selectors.decision_filter(qs, **self.query).order_by("-date", "-id")


class PublicInstitutionSerializer(serializers.ModelSerializer):
    """What the public register shows of an institution."""

    type = serializers.CharField(source="type.code")
    municipality = serializers.CharField(source="municipality.code")
    founder = serializers.CharField(source="founder.name")

    class Meta:
        model = Institution
        fields = ["registration_number", "name", "type", "municipality", "address", "founder", "status",
                  "head_name", "registered_on", "liquidated_on"]


@method_decorator(login_not_required, name="dispatch")
class PublicInstitutionListApi(ApiMixin, generics.ListAPIView):
    """The public register of institutions (anonymous)."""

    serializer_class = PublicInstitutionSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    query_serializer_class = InstitutionQuerySerializer

    def get_queryset(self):
        return selectors.institution_filter(selectors.institution_public_list(), **self.query).order_by("name")


@method_decorator(login_not_required, name="dispatch")
class PublicProgrammeListApi(ApiMixin, generics.ListAPIView):
    """The public register of licensed programmes (anonymous)."""

    serializer_class = ProgrammeOutputSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    query_serializer_class = ProgrammeQuerySerializer

    def get_queryset(self):
        return selectors.programme_filter(selectors.programme_public_list(), **self.query).order_by("id")
