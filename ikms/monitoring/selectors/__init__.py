"""Reading the engine's stored results: current values per school year, comparisons, trends, comparator
groups, risk lists and the visit plan, each scoped to what the user may see.

One module a concern, each importing its siblings (never this package), all re-exported here, so that callers
write `selectors.values(...)`:

* `definitions`: the indicator and rule catalogue of the YAML definitions (`catalogue`, `indicators`, `rules`);
* `runs`: computation runs, the school years held, `current(year)` (the one rule of which run holds each
  institution's current results), `state_key`, the 'data as of' line, the runs a user may see;
* `scope`: whose results a user may see (institutions, municipalities, value units, risk-flag institutions);
* `indicator_values`: current values, comparison columns, the values a user may list, one indicator's trend and spread;
* `dashboards`: the dashboards' rows, comparator groups and spreads;
* `risks`: risk flags, rules not evaluated, the ranked risk list and the visit plan;
* `absences`: tables 5-7 of the annual report.

"Current" values of a school year are those of its latest complete (country-wide) run, overlaid, for
the institutions they cover, by later single-institution recomputations (one rule: `current`). Runs never
change once done, so the heavier aggregates (distributions, comparator medians) are cached by run state."""

from ikms.monitoring.selectors.absences import AbsenceTables, absence_tables, absentee_rows
from ikms.monitoring.selectors.dashboards import (
    SIZE_BANDS,
    DashboardRow,
    area_dashboard,
    comparator_group,
    institution_dashboard,
    municipality_institutions,
    size_band,
    size_band_key,
)
from ikms.monitoring.selectors.definitions import IndicatorInfo, RuleInfo, catalogue, indicators, rules
from ikms.monitoring.selectors.indicator_values import (
    GRAIN_ORDER,
    VALUE_FIELDS,
    SliceKey,
    Value,
    by_key,
    comparison_values,
    indicator_distribution,
    indicator_series,
    indicator_spread,
    indicator_trend,
    values,
    values_visible_to,
)
from ikms.monitoring.selectors.risks import (
    NotEvaluatedSummary,
    Ranked,
    RiskEntry,
    not_evaluated_summary,
    risk_entries,
    risk_flag_get_for_user,
    risk_flags,
    risk_flags_visible_to,
    risk_list,
    risk_ranking,
    risk_score,
    rules_not_evaluated,
    visit_get_for_user,
    visit_plan,
    visit_plan_stamp,
    visit_reason_counts,
    visits_visible_to,
)
from ikms.monitoring.selectors.runs import (
    CACHE_SECONDS,
    RUN_FIELDS,
    Current,
    ResultsMemoMiddleware,
    current,
    full_run,
    latest_year,
    run_get_for_user,
    run_state,
    run_summary,
    runs_visible_to,
    school_years,
    skipped_lines,
    state_key,
)
from ikms.monitoring.selectors.scope import (
    NATION,
    classifier_codes,
    institution_for_monitoring,
    institutions_for_monitoring,
    municipalities_for_user,
    municipality_for_user,
    narrowed_institutions,
    risk_flag_institutions_visible_to,
    scope_key,
    value_unit_grain_for_user,
    value_units_visible_to,
)

__all__ = [
    "CACHE_SECONDS",
    "GRAIN_ORDER",
    "NATION",
    "RUN_FIELDS",
    "SIZE_BANDS",
    "VALUE_FIELDS",
    "AbsenceTables",
    "Current",
    "DashboardRow",
    "IndicatorInfo",
    "NotEvaluatedSummary",
    "Ranked",
    "ResultsMemoMiddleware",
    "RiskEntry",
    "RuleInfo",
    "SliceKey",
    "Value",
    "absence_tables",
    "absentee_rows",
    "area_dashboard",
    "by_key",
    "catalogue",
    "classifier_codes",
    "comparator_group",
    "comparison_values",
    "current",
    "full_run",
    "indicator_distribution",
    "indicator_series",
    "indicator_spread",
    "indicator_trend",
    "indicators",
    "institution_dashboard",
    "institution_for_monitoring",
    "institutions_for_monitoring",
    "latest_year",
    "municipalities_for_user",
    "municipality_for_user",
    "municipality_institutions",
    "narrowed_institutions",
    "not_evaluated_summary",
    "risk_entries",
    "risk_flag_get_for_user",
    "risk_flag_institutions_visible_to",
    "risk_flags",
    "risk_flags_visible_to",
    "risk_list",
    "risk_ranking",
    "risk_score",
    "rules",
    "rules_not_evaluated",
    "run_get_for_user",
    "run_state",
    "run_summary",
    "runs_visible_to",
    "school_years",
    "scope_key",
    "size_band",
    "size_band_key",
    "skipped_lines",
    "state_key",
    "value_unit_grain_for_user",
    "value_units_visible_to",
    "values",
    "values_visible_to",
    "visit_get_for_user",
    "visit_plan",
    "visit_plan_stamp",
    "visit_reason_counts",
    "visits_visible_to",
]
