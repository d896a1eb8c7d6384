"""The monitoring API's serializers: the query parameters of each list (Filter), the bodies it accepts (Input)
and what it answers (Output)."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ikms.core.api import QueryChoiceField, SchoolYearField
from ikms.monitoring import selectors
from ikms.monitoring.evidence import sentences
from ikms.monitoring.labels import THEMES, slice_label
from ikms.monitoring.models import ComputationRun, Grain, VisitReason, VisitStatus
from ikms.registry.models import Institution

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
    description_lv = serializers.CharField(help_text="In plain words, with the indicator's parameters filled in.")
    description_en = serializers.CharField(help_text="In plain words, with the indicator's parameters filled in.")
    technical_lv = serializers.CharField(allow_blank=True,
                                         help_text="The exact definition for specialists (data fields and codes).")
    technical_en = serializers.CharField(allow_blank=True,
                                         help_text="The exact definition for specialists (data fields and codes).")
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
