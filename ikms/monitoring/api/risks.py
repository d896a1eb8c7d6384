"""Risk flags with their evidence, the ranked risk list and the visit plan (ADR 0016: who sees which flags)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response

from ikms.core.api import ApiMixin, validated
from ikms.core.openapi import VALIDATION_ERROR
from ikms.monitoring import selectors, services
from ikms.monitoring.api.common import (
    TAGS,
    CanPlanVisits,
    CanViewRiskFlags,
    CanViewRisks,
    SelectorListApi,
    school_year_or_latest,
)
from ikms.monitoring.api.serializers import (
    FlagFilterSerializer,
    FlagOutputSerializer,
    RiskFilterSerializer,
    RiskOutputSerializer,
    VisitFilterSerializer,
    VisitInputSerializer,
    VisitOutputSerializer,
    VisitStatusInputSerializer,
)
from ikms.registry.models import Institution

# --- risk flags and the risk list ----------------------------------------------------------------------------


@extend_schema(tags=TAGS, responses={200: FlagOutputSerializer})
class FlagListApi(SelectorListApi):
    """The risk flags of a school year, each with its evidence, by institution and rule (ADR 0016): IKVD staff
    every institution's, a founder its institutions', a head its institution's."""

    serializer_class = FlagOutputSerializer
    permission_classes = [CanViewRiskFlags]
    query_serializer_class = FlagFilterSerializer

    def get_queryset(self):
        f = self.filters()
        user = self.request.user
        visible = selectors.narrowed_institutions(user, institution=f.get("institution", ""),
                                                  municipality=f.get("municipality", ""),
                                                  scoper=selectors.risk_flag_institutions_visible_to)
        year = school_year_or_latest(f)
        if year is None:
            return []
        narrowed = bool(f.get("institution") or f.get("municipality"))
        self.institutions = {i.registration_number: i for i in visible}
        flags = selectors.risk_flags_visible_to(user, year, list(self.institutions) if narrowed else None)
        return [fl for fl in flags if fl.institution in self.institutions
                and (not f.get("rule") or fl.rule == f["rule"])]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "institutions": getattr(self, "institutions", {})}


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class FlagDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One risk flag with its evidence (whoever may see its institution's flags; 404 otherwise)."""

    serializer_class = FlagOutputSerializer
    permission_classes = [CanViewRiskFlags]

    def get_object(self):
        flag = selectors.risk_flag_get_for_user(self.request.user, self.kwargs["pk"])
        institution = Institution.objects.select_related("municipality").get(registration_number=flag.institution)
        self.institutions = {institution.registration_number: institution}
        return flag

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "institutions": getattr(self, "institutions", {})}


@extend_schema(tags=TAGS, responses={200: RiskOutputSerializer})
class RiskListApi(SelectorListApi):
    """Institutions ranked by their triggered risk rules (IKVD staff), as on the risk list page."""

    serializer_class = RiskOutputSerializer
    permission_classes = [CanViewRisks]
    query_serializer_class = RiskFilterSerializer

    def get_queryset(self):
        f = self.filters()
        if f.get("municipality"):
            selectors.municipality_for_user(self.request.user, f["municipality"])
        year = school_year_or_latest(f)
        if year is None:
            return []
        entries = selectors.risk_list(user=self.request.user, year=year, municipality=f.get("municipality") or None,
                                      type_code=f.get("type") or None, rule=f.get("rule") or None,
                                      min_score=f.get("min_score") or 0)
        for e in entries:
            e.flag_ids = [fl.pk for fl in e.flags]
        return entries


# --- the visit plan ------------------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(tags=TAGS,
                      responses={200: VisitOutputSerializer, 400: VALIDATION_ERROR}),
    post=extend_schema(tags=TAGS, request=VisitInputSerializer,
                       responses={201: VisitOutputSerializer, 400: VALIDATION_ERROR},
                       description="Put an institution on the visit plan (the IKVD roles that plan visits). The "
                                   "service checks the date (not in the past), the reason, the justification of "
                                   "a risk-based visit and that the institution is not already planned; it keeps "
                                   "the risk rules the institution is flagged by in `school_year`."),
)
class VisitListApi(SelectorListApi, generics.CreateAPIView):
    """The visit plan (IKVD staff), by planned date."""

    serializer_class = VisitOutputSerializer
    query_serializer_class = VisitFilterSerializer

    def get_permissions(self):
        return [CanPlanVisits()] if self.request.method == "POST" else [CanViewRisks()]

    def get_queryset(self):
        f = self.filters()
        qs = selectors.visits_visible_to(self.request.user, status=f.get("status") or None,
                                         reason=f.get("reason") or None)
        if f.get("institution"):
            selectors.narrowed_institutions(self.request.user, institution=f["institution"])
            qs = qs.filter(institution__registration_number=f["institution"])
        return qs

    def create(self, request, *args, **kwargs):
        data = validated(VisitInputSerializer, request.data)
        institution = (selectors.institutions_for_monitoring(request.user)
                       .filter(registration_number=data["institution"]).first())
        if institution is None:
            raise DjangoValidationError({"institution": [_("No institution with this registration number.")]})
        entry = services.visit_plan_add(actor=request.user, institution=institution,
                                        planned_date=data["planned_date"], reason=data["reason"],
                                        note=data["note"], school_year=data["school_year"])
        return Response(VisitOutputSerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class VisitDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One entry of the visit plan (IKVD staff)."""

    serializer_class = VisitOutputSerializer
    permission_classes = [CanViewRisks]

    def get_object(self):
        return selectors.visit_get_for_user(self.request.user, self.kwargs["pk"])


@extend_schema(tags=TAGS, request=VisitStatusInputSerializer,
               responses={200: VisitOutputSerializer, 400: VALIDATION_ERROR})
@method_decorator(login_not_required, name="dispatch")
class VisitStatusApi(ApiMixin, generics.GenericAPIView):
    """Mark a planned visit as carried out or cancelled (a cancellation needs a note)."""

    serializer_class = VisitOutputSerializer
    permission_classes = [CanPlanVisits]

    def post(self, request, pk: int):
        entry = selectors.visit_get_for_user(request.user, pk)
        data = validated(VisitStatusInputSerializer, request.data)
        entry = services.visit_plan_set_status(actor=request.user, entry=entry, status=data["status"],
                                               note=data["note"])
        return Response(VisitOutputSerializer(entry).data)
