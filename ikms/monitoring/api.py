"""REST API for monitoring: the indicator catalogue, indicator values, risk flags and the ranked risk list, the
visit plan and the computation runs.

The same predicates (ikms.monitoring.permissions) and scopers (selectors.institutions_for_monitoring,
municipalities_for_user) as the pages decide who sees what; a missing or invisible object is the same 404.
Reads go through the selectors (so single-institution recomputations are honoured), writes only through the
services. Input is checked by Input serializers and rejected as Django ValidationErrors, so every 400 of this
API has the one shape of ikms.core.api.exception_handler: {"message", "extra": {field: [messages]}}."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ikms.core.api import (
    ApiMixin,
    QueryChoiceField,
    SchoolYearField,
    StandardPagination,
    predicate_permission,
    validated,
)
from ikms.core.openapi import VALIDATION_ERROR
from ikms.monitoring import permissions as monitoring_permissions
from ikms.monitoring import selectors, services
from ikms.monitoring.evidence import sentences
from ikms.monitoring.labels import THEMES, slice_label
from ikms.monitoring.models import ComputationRun, Grain, VisitReason, VisitStatus
from ikms.registry.models import Institution

TAGS = ["monitoring"]
GRAIN_ORDER = {Grain.NATION: 0, Grain.MUNICIPALITY: 1, Grain.INSTITUTION: 2}

CanUseMonitoring = predicate_permission(monitoring_permissions.can_use_monitoring)
CanViewRisks = predicate_permission(monitoring_permissions.can_view_risks)
CanViewRiskFlags = predicate_permission(monitoring_permissions.can_view_risk_flags)
CanPlanVisits = predicate_permission(monitoring_permissions.can_plan_visits)


def _year(filters: dict) -> str | None:
    return filters.get("school_year") or selectors.latest_year()


@method_decorator(login_not_required, name="dispatch")
class _ListApi(ApiMixin, generics.ListAPIView):
    """A paginated list built from selectors (plain Python lists are paginated like querysets)."""

    pagination_class = StandardPagination

    def filters(self) -> dict:
        """The query parameters, checked by `query_serializer_class` (ApiMixin) before the view ran."""
        return self.query


# --- the indicator catalogue ---------------------------------------------------------------------------------


def _indicator_types() -> list[str]:
    return sorted({i.type for i in selectors.indicators().values()})


def _indicator_codes() -> list[tuple[str, str]]:
    return [(code, i.name_en) for code, i in selectors.indicators().items()]


class IndicatorFilterSerializer(serializers.Serializer):
    theme = QueryChoiceField(choices=list(THEMES), help_text="Only the indicators of this theme.")
    type = QueryChoiceField(choices=_indicator_types, help_text="Only the indicators of this type.")


class IndicatorOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="In the language of the request (Accept-Language).")
    name_lv = serializers.CharField()
    name_en = serializers.CharField()
    description_lv = serializers.CharField()
    description_en = serializers.CharField()
    type = serializers.CharField(help_text="count, ratio, mean or share_of_units.")
    factor = serializers.FloatField(help_text="The value is numerator / denominator × factor (100: a percentage).")
    unit = serializers.SerializerMethodField(help_text="percent (factor 100), count, or value.")
    min_denominator = serializers.IntegerField(
        help_text="Values computed from fewer learners are suppressed in public outputs.")
    theme = serializers.CharField()
    theme_label = serializers.CharField()
    version = serializers.CharField(help_text="Content hash of the indicator's definition.")

    def get_unit(self, obj) -> str:
        return "percent" if obj.is_percent else "count" if obj.is_count else "value"


@extend_schema(tags=TAGS, responses={200: IndicatorOutputSerializer})
class IndicatorListApi(_ListApi):
    """The indicator catalogue (every indicator the engine computes), in theme order."""

    serializer_class = IndicatorOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = IndicatorFilterSerializer

    def get_queryset(self):
        f = self.filters()
        rows = list(selectors.indicators().values())
        if f.get("theme"):
            rows = [i for i in rows if i.theme == f["theme"]]
        if f.get("type"):
            rows = [i for i in rows if i.type == f["type"]]
        return rows


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class IndicatorDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One indicator of the catalogue."""

    serializer_class = IndicatorOutputSerializer
    permission_classes = [CanUseMonitoring]

    def get_object(self):
        try:
            return selectors.indicators()[self.kwargs["code"]]
        except KeyError:
            raise Http404 from None


# --- indicator values ----------------------------------------------------------------------------------------


class ValueFilterSerializer(serializers.Serializer):
    school_year = SchoolYearField(help_text="School year (YYYY/YYYY); the latest computed one when left out.")
    indicator = QueryChoiceField(choices=_indicator_codes,
                                 help_text="Indicator code (see /api/v1/monitoring/indicators/).")
    grain = QueryChoiceField(choices=Grain.choices, help_text="institution, municipality or nation.")
    unit = serializers.CharField(
        required=False, allow_blank=True, max_length=12,
        help_text="An institution's registration number, a municipality code (e.g. LV-RIX) or LV. 404 if it is "
                  "not one the user may see.")
    level = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                  help_text="Education level (preschool, basic, secondary, vocational).")
    semester = serializers.IntegerField(required=False, min_value=1, max_value=2)
    category = serializers.CharField(required=False, allow_blank=True, max_length=80,
                                     help_text="Breakdown category (absence reason, examination subject...).")


class ValueOutputSerializer(serializers.Serializer):
    school_year = serializers.CharField()
    indicator = serializers.CharField()
    grain = serializers.ChoiceField(choices=Grain.choices)
    unit = serializers.CharField(help_text="Registration number, municipality code or LV.")
    semester = serializers.IntegerField(allow_null=True)
    level = serializers.CharField(allow_blank=True)
    category = serializers.CharField(allow_blank=True)
    slice_label = serializers.CharField(allow_blank=True, help_text="The breakdown in words.")
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField(help_text="Under the disclosure minimum: never shown in public outputs.")
    municipality_value = serializers.FloatField(
        allow_null=True, help_text="An institution's row: the same breakdown in its municipality (the dashboard's "
                                   "comparison column); null for other grains or without a value.")
    nation_value = serializers.FloatField(
        allow_null=True, help_text="An institution's row: the same breakdown in the nation (the dashboard's "
                                   "comparison column); null for other grains or without a value.")

    def to_representation(self, instance):
        """From (school year, grain, selectors.Value[, comparisons]): only the rows of the page become dicts."""
        year, grain, v, *compared = instance
        municipal, national = compared[0] if compared else ({}, {})
        return super().to_representation({
            "school_year": year, "grain": grain, "indicator": v.indicator, "unit": v.unit, "semester": v.semester,
            "level": v.level, "category": v.category, "slice_label": slice_label(v.semester, v.level, v.category),
            "value": v.value, "numerator": v.numerator, "denominator": v.denominator, "suppressed": v.suppressed,
            "municipality_value": municipal[v.key].value if v.key in municipal else None,
            "nation_value": national[v.key].value if v.key in national else None})


@extend_schema(tags=TAGS, responses={200: ValueOutputSerializer})
class ValueListApi(_ListApi):
    """Indicator values of a school year (the current ones: the latest complete run, overlaid by later
    single-institution recomputations), of the units whose pages the user may open: IKVD staff every unit; a
    founder its institutions and its municipality; a head its institution. An institution's row carries its
    municipality's and the nation's value of the same breakdown, as the institution's dashboard shows them."""

    serializer_class = ValueOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = ValueFilterSerializer

    def get_queryset(self):
        f = self.filters()
        user = self.request.user
        year = _year(f)
        if f.get("grain") == Grain.NATION and not monitoring_permissions.can_view_nation(user):
            raise PermissionDenied(_("The national figures are for IKVD staff."))
        grains = [f["grain"]] if f.get("grain") else list(GRAIN_ORDER)
        scope = selectors.value_units_visible_to(user)
        if f.get("unit"):
            grain = selectors.value_unit_grain_for_user(user, f["unit"])
            grains = [g for g in grains if g == grain]
            scope = {grain: {f["unit"]}}
        if year is None:
            return []
        indicators_ = [f["indicator"]] if f.get("indicator") else None
        rows = []
        for grain in grains:
            units = None if scope is None else sorted(scope.get(grain, ()))
            if units == []:
                continue
            for v in selectors.values(year=year, grain=grain, units=units, indicators_=indicators_):
                if f.get("level") and v.level != f["level"]:
                    continue
                if f.get("semester") and v.semester != f["semester"]:
                    continue
                if f.get("category") and v.category != f["category"]:
                    continue
                rows.append((year, grain, v))
        compared = selectors.comparison_values(year, [r[2].unit for r in rows if r[1] == Grain.INSTITUTION],
                                               indicators_)
        rows = [(*r, compared[r[2].unit]) if r[1] == Grain.INSTITUTION else r for r in rows]
        order = {code: i.order for code, i in selectors.indicators().items()}
        rows.sort(key=lambda r: (GRAIN_ORDER[r[1]], r[2].unit, order.get(r[2].indicator, 10**9), r[2].indicator,
                                 r[2].level, r[2].semester or 0, r[2].category))
        return rows


# --- risk flags and the risk list ----------------------------------------------------------------------------


def _rule_codes() -> list[tuple[str, str]]:
    return [(code, rule.name_en) for code, rule in selectors.rules().items()]


class FlagFilterSerializer(serializers.Serializer):
    school_year = SchoolYearField(help_text="School year (YYYY/YYYY); the latest computed one when left out.")
    rule = QueryChoiceField(choices=_rule_codes, help_text="Risk rule code.")
    institution = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                        help_text="Registration number; 404 if unknown.")
    municipality = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                         help_text="Municipality code (e.g. LV-RIX); 404 if unknown.")


class FlagOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    run = serializers.IntegerField(source="run_id", help_text="The computation run that raised the flag.")
    school_year = serializers.CharField()
    rule = serializers.CharField()
    rule_name = serializers.SerializerMethodField()
    importance = serializers.SerializerMethodField(help_text="high, medium or low.")
    institution = serializers.CharField(help_text="Registration number.")
    institution_name = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField(help_text="Municipality code.")
    evidence = serializers.DictField(child=serializers.JSONField(),
                                     help_text="What the engine stored: indicator, operator, threshold, params and "
                                               "per school year the rows that matched.")
    evidence_sentences = serializers.SerializerMethodField(help_text="The evidence in plain sentences.")

    def _institution(self, obj) -> Institution:
        return self.context["institutions"][obj.institution]

    def get_rule_name(self, obj) -> str:
        rule = selectors.rules().get(obj.rule)
        return rule.name if rule else obj.rule

    def get_importance(self, obj) -> str:
        rule = selectors.rules().get(obj.rule)
        return rule.importance if rule else ""

    def get_institution_name(self, obj) -> str:
        return self._institution(obj).name

    def get_municipality(self, obj) -> str:
        return self._institution(obj).municipality.code

    def get_evidence_sentences(self, obj) -> list[str]:
        return sentences(obj.rule, obj.evidence or {})


def _visible_institutions(user, *, institution: str = "", municipality: str = "",
                          scoper=selectors.institutions_for_monitoring):
    """The institutions the user may see (the scoper), narrowed; Http404 for an unknown or invisible one (a
    municipality is visible if it is the user's or one of its institutions is there, as for values)."""
    qs = scoper(user)
    if municipality:
        if not qs.filter(municipality__code=municipality).exists():
            selectors.municipality_for_user(user, municipality)
        qs = qs.filter(municipality__code=municipality)
    if institution:
        qs = qs.filter(registration_number=institution)
        if not qs.exists():
            raise Http404
    return qs


@extend_schema(tags=TAGS, responses={200: FlagOutputSerializer})
class FlagListApi(_ListApi):
    """The risk flags of a school year, each with its evidence, by institution and rule (ADR 0016): IKVD staff
    every institution's, a founder its institutions', a head its institution's."""

    serializer_class = FlagOutputSerializer
    permission_classes = [CanViewRiskFlags]
    query_serializer_class = FlagFilterSerializer

    def get_queryset(self):
        f = self.filters()
        user = self.request.user
        visible = _visible_institutions(user, institution=f.get("institution", ""),
                                        municipality=f.get("municipality", ""),
                                        scoper=selectors.risk_flag_institutions_visible_to)
        year = _year(f)
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


class RiskFilterSerializer(serializers.Serializer):
    school_year = SchoolYearField(help_text="School year (YYYY/YYYY); the latest computed one when left out.")
    municipality = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                         help_text="Municipality code; 404 if unknown.")
    type = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="Institution type code.")
    rule = QueryChoiceField(choices=_rule_codes, help_text="Only institutions flagged by this rule.")
    min_score = serializers.IntegerField(required=False, min_value=0, max_value=1000,
                                         help_text="Only institutions with at least this risk score.")


class RiskOutputSerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.registration_number")
    institution_name = serializers.CharField(source="institution.name")
    municipality = serializers.CharField(source="institution.municipality.code")
    type = serializers.CharField(source="institution.type.code")
    score = serializers.IntegerField(help_text="Sum of the triggered rules' weights (high 3, medium 2, low 1).")
    rules = serializers.ListField(child=serializers.CharField(), source="rule_codes")
    flags = serializers.ListField(child=serializers.IntegerField(), source="flag_ids",
                                  help_text="Ids of the flags (see /api/v1/monitoring/flags/{id}/).")
    planned_visit = serializers.IntegerField(source="planned.pk", allow_null=True, default=None,
                                             help_text="Id of the planned visit, if the institution has one.")


@extend_schema(tags=TAGS, responses={200: RiskOutputSerializer})
class RiskListApi(_ListApi):
    """Institutions ranked by their triggered risk rules (IKVD staff), as on the risk list page."""

    serializer_class = RiskOutputSerializer
    permission_classes = [CanViewRisks]
    query_serializer_class = RiskFilterSerializer

    def get_queryset(self):
        f = self.filters()
        if f.get("municipality"):
            selectors.municipality_for_user(self.request.user, f["municipality"])
        year = _year(f)
        if year is None:
            return []
        entries = selectors.risk_list(user=self.request.user, year=year, municipality=f.get("municipality") or None,
                                      type_code=f.get("type") or None, rule=f.get("rule") or None,
                                      min_score=f.get("min_score") or 0)
        for e in entries:
            e.flag_ids = [fl.pk for fl in e.flags]
        return entries


# --- the visit plan ------------------------------------------------------------------------------------------


class VisitFilterSerializer(serializers.Serializer):
    status = QueryChoiceField(choices=VisitStatus.choices)
    reason = QueryChoiceField(choices=VisitReason.choices)
    institution = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                        help_text="Registration number; 404 if unknown.")


class VisitOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    institution = serializers.CharField(source="institution.registration_number")
    institution_name = serializers.CharField(source="institution.name")
    municipality = serializers.CharField(source="institution.municipality.code")
    planned_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=VisitReason.choices)
    note = serializers.CharField(allow_blank=True, help_text="The justification.")
    school_year = serializers.CharField(allow_blank=True, help_text="School year of the risk data.")
    rules = serializers.ListField(child=serializers.CharField(), help_text="Risk rules triggered when planned.")
    status = serializers.ChoiceField(choices=VisitStatus.choices)
    status_note = serializers.CharField(allow_blank=True)
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class VisitInputSerializer(serializers.Serializer):
    institution = serializers.CharField(max_length=10, help_text="Registration number.")
    planned_date = serializers.DateField()
    reason = serializers.ChoiceField(choices=VisitReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                 help_text="Justification (required for a risk-based visit without a school year).")
    school_year = SchoolYearField(help_text="School year of the risk data; its flags are kept with the entry.")


class VisitStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(VisitStatus.DONE, VisitStatus.DONE.label),
                                              (VisitStatus.CANCELLED, VisitStatus.CANCELLED.label)])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                 help_text="Required when cancelling.")


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
class VisitListApi(_ListApi, generics.CreateAPIView):
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
            _visible_institutions(self.request.user, institution=f["institution"])
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


# --- computation runs ----------------------------------------------------------------------------------------


class RunFilterSerializer(serializers.Serializer):
    school_year = SchoolYearField(help_text="Only the runs of this school year.")
    status = QueryChoiceField(choices=ComputationRun.Status.choices)


class SnapshotSummarySerializer(serializers.Serializer):
    datasets = serializers.ListField(child=serializers.CharField(), help_text="Lake tables the run read.")
    files = serializers.IntegerField(help_text="Number of files read.")
    data_as_of = serializers.CharField(allow_blank=True, help_text="Modification time of the newest file read.")


class RunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    school_year = serializers.CharField()
    engine = serializers.CharField()
    spec_version = serializers.CharField(source="catalogue_version",
                                         help_text="Content hash of the indicator and rule definitions.")
    scope = serializers.SerializerMethodField(
        help_text="Institutions recomputed (only those the user may see); empty for a complete (country-wide) run.")
    status = serializers.ChoiceField(choices=ComputationRun.Status.choices)
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    duration_s = serializers.FloatField(allow_null=True)
    value_count = serializers.SerializerMethodField(
        help_text="Values the run stored; for founders and heads only those of the units they may see.")
    flag_count = serializers.SerializerMethodField(
        help_text="Risk flags the run raised; for founders and heads only those on their institutions.")
    snapshot = serializers.SerializerMethodField()

    def _scope(self) -> dict[str, set[str]] | None:
        """The units the user may see, per grain (None: all, for IKVD staff)."""
        return self.context.get("units")

    def get_scope(self, obj) -> list[str]:
        units = self._scope()
        scope = list(obj.scope or [])
        return scope if units is None else [n for n in scope if n in units[Grain.INSTITUTION]]

    def get_value_count(self, obj) -> int:
        units = self._scope()
        if units is None:
            return obj.value_count
        q = Q()
        for grain, names in units.items():
            q |= Q(grain=grain, unit__in=sorted(names))
        return obj.values.filter(q).count()

    def get_flag_count(self, obj) -> int:
        units = self._scope()
        if units is None:
            return obj.flag_count
        return obj.flags.filter(institution__in=sorted(units[Grain.INSTITUTION])).count()

    @extend_schema_field(SnapshotSummarySerializer)
    def get_snapshot(self, obj) -> dict:
        stamps = [s for files in (obj.snapshot or {}).values() for s in (files or []) if isinstance(s, dict)]
        newest = max((s.get("modified", "") for s in stamps), default="")
        return {"datasets": sorted((obj.snapshot or {}).keys()), "files": len(stamps),
                "data_as_of": newest[:19].replace("T", " ")}


@extend_schema(tags=TAGS, responses={200: RunOutputSerializer})
class RunListApi(_ListApi):
    """Runs of the indicator and risk engine, newest first: what produced the values (the engine, the spec
    version, the data snapshot read). IKVD staff see every run; founders and heads the complete runs and the
    recomputations of their own institutions, with the scope and the counts narrowed to what they may see
    (ADR 0016)."""

    serializer_class = RunOutputSerializer
    permission_classes = [CanUseMonitoring]
    query_serializer_class = RunFilterSerializer

    def get_queryset(self):
        f = self.filters()
        qs = selectors.runs_visible_to(self.request.user)
        if f.get("school_year"):
            qs = qs.filter(school_year=f["school_year"])
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "units": selectors.value_units_visible_to(self.request.user)}


@extend_schema(tags=TAGS)
@method_decorator(login_not_required, name="dispatch")
class RunDetailApi(ApiMixin, generics.RetrieveAPIView):
    """One computation run (the same scoping as the list; 404 for a run the user may not see)."""

    serializer_class = RunOutputSerializer
    permission_classes = [CanUseMonitoring]

    def get_object(self):
        return selectors.run_get_for_user(self.request.user, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "units": selectors.value_units_visible_to(self.request.user)}
