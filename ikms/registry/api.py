"""REST API for the registers: the same selectors (scoping) and predicates as the pages."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers

from ikms.core.api import predicate_permission
from ikms.registry import permissions as registry_permissions
from ikms.registry import selectors
from ikms.registry.choices import DecisionKind, FounderKind, InstitutionStatus, LicenceStatus
from ikms.registry.models import Decision, Institution, Programme


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


def _filters(request, names):
    return {n: request.query_params.get(n, "") for n in names}


def _param(name: str, description: str, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description,
                            enum=[*enum, ""] if enum else None)


#: The query filters of the lists (unknown values give an empty list, as on the pages).
Q = _param("q", "Name or registration number (a full 10-digit number matches exactly, fewer digits a prefix).")
MUNICIPALITY = _param("municipality", "Municipality code, e.g. LV-RIX.")
INSTITUTION_FILTERS = [
    Q, MUNICIPALITY,
    _param("type", "Institution type code, e.g. secondary."),
    _param("kind", "Institution kind code, e.g. general."),
    _param("status", "Register status.", InstitutionStatus.values),
]
STAFF_INSTITUTION_FILTERS = [*INSTITUTION_FILTERS,
                             _param("founder", "Founder kind.", FounderKind.values)]
PROGRAMME_FILTERS = [
    _param("q", "Programme name, code prefix, institution name or licence number."),
    MUNICIPALITY,
    _param("status", "Licence status.", LicenceStatus.values),
    _param("level", "Education level of the programme code, e.g. basic."),
    _param("institution", "Registration number of the institution."),
]


CanUseStaffRegister = predicate_permission(registry_permissions.can_use_staff_register)


@extend_schema(parameters=STAFF_INSTITUTION_FILTERS)
@method_decorator(login_not_required, name="dispatch")
class InstitutionListApi(generics.ListAPIView):
    """Institutions the caller may see (scoped exactly like the staff list)."""

    serializer_class = InstitutionOutputSerializer
    permission_classes = [CanUseStaffRegister]

    def get_queryset(self):
        qs = selectors.institution_visible_to(self.request.user)
        return selectors.institution_filter(
            qs, **_filters(self.request, ["q", "municipality", "type", "kind", "status", "founder"])
        ).order_by("name")


@method_decorator(login_not_required, name="dispatch")
class InstitutionDetailApi(generics.RetrieveAPIView):
    serializer_class = InstitutionOutputSerializer
    permission_classes = [CanUseStaffRegister]

    def get_queryset(self):
        return selectors.institution_visible_to(self.request.user)


@extend_schema(parameters=PROGRAMME_FILTERS)
@method_decorator(login_not_required, name="dispatch")
class ProgrammeListApi(generics.ListAPIView):
    serializer_class = ProgrammeOutputSerializer
    permission_classes = [CanUseStaffRegister]

    def get_queryset(self):
        qs = selectors.programme_visible_to(self.request.user)
        return selectors.programme_filter(
            qs, **_filters(self.request, ["q", "municipality", "status", "level", "institution"])
        ).order_by("id")


@extend_schema(parameters=[_param("kind", "Decision kind.", DecisionKind.values)])
@method_decorator(login_not_required, name="dispatch")
class DecisionListApi(generics.ListAPIView):
    serializer_class = DecisionOutputSerializer
    permission_classes = [CanUseStaffRegister]

    def get_queryset(self):
        qs = selectors.decision_visible_to(self.request.user)
        kind = self.request.query_params.get("kind")
        if kind:
            qs = qs.filter(kind=kind)
        return qs.order_by("-date", "-id")


class PublicInstitutionSerializer(serializers.ModelSerializer):
    """What the public register shows of an institution."""

    type = serializers.CharField(source="type.code")
    municipality = serializers.CharField(source="municipality.code")
    founder = serializers.CharField(source="founder.name")

    class Meta:
        model = Institution
        fields = ["registration_number", "name", "type", "municipality", "address", "founder", "status",
                  "head_name", "registered_on", "liquidated_on"]


@extend_schema(parameters=INSTITUTION_FILTERS)
@method_decorator(login_not_required, name="dispatch")
class PublicInstitutionListApi(generics.ListAPIView):
    """The public register of institutions (anonymous)."""

    serializer_class = PublicInstitutionSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        return selectors.institution_filter(
            selectors.institution_public_list(),
            **_filters(self.request, ["q", "municipality", "type", "kind", "status"]),
        ).order_by("name")


@extend_schema(parameters=PROGRAMME_FILTERS)
@method_decorator(login_not_required, name="dispatch")
class PublicProgrammeListApi(generics.ListAPIView):
    """The public register of licensed programmes (anonymous)."""

    serializer_class = ProgrammeOutputSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        return selectors.programme_filter(
            selectors.programme_public_list(),
            **_filters(self.request, ["q", "municipality", "status", "level", "institution"]),
        ).order_by("id")
