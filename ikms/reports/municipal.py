"""The municipal education-quality report (Education Law art. 18: every municipality analyses its schools' results and
publishes a report on education quality every four years): for one municipality and up to four school years, its
institutions' indicators against the nation and their comparator groups (the dashboards' rule), risk flags and
their course, accreditation results and open tasks, absenteeism and out-of-school children with the actions taken,
complaints and inspections about its institutions, and the municipality's own narratives (`Narrative`).

The report shows what the municipality's founder users may see: the monitoring results of the municipality, and
of the apps' records the rows each app's access policy gives its founders (`Policy.founders_scope`). Numbers come
from the apps' selectors (`ikms.monitoring.selectors.current(year)` is the one rule for current values); a value
the source does not hold is None ("no data"), never 0."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.accreditation import permissions as accreditation_permissions
from ikms.accreditation.choices import CaseKind, TaskStatus
from ikms.accreditation.choices import Outcome as AccreditationOutcome
from ikms.accreditation.models import Case, Task
from ikms.complaints import permissions as complaint_permissions
from ikms.complaints.choices import Outcome as ComplaintOutcome
from ikms.complaints.models import Complaint
from ikms.core.school_year import school_year_label, school_year_of
from ikms.inspections import permissions as inspection_permissions
from ikms.inspections.choices import OrderKind, OrderState
from ikms.inspections.models import Inspection
from ikms.monitoring import absence_actions
from ikms.monitoring import selectors as monitoring
from ikms.monitoring.labels import category_label, level_label, semester_label, slice_label
from ikms.monitoring.models import Grain
from ikms.monitoring.permissions import MONITORED_INSTITUTION
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Founder, Institution, Municipality
from ikms.reports import kinds
from ikms.reports.document import Cell, Chart, Column, Lineage, Report, Section, Suppressed, Table, Text
from ikms.reports.permissions import can_view_report
from ikms.reports.selectors import published_narratives

#: The most school years one report covers (the law's period: four years).
MAX_YEARS = 4
#: The smallest count about people a table shows (analytics/disclosure.py's minimum).
DISCLOSURE_MINIMUM = 5

#: The indicators each institution is shown with beside its comparator group (the municipality's table has them all).
HEADLINE_INDICATORS = ("learners_enrolled", "average_class_size", "learners_per_teacher", "exam_mean_score",
                       "learners_over_unexcused_lessons_threshold", "support_staff_per_100_learners",
                       "capacity_use", "wellbeing_pupil_index")

#: The report's sections, each with the municipality's narrative, in the report's order.
SECTIONS = {
    "summary": gettext_lazy("Summary"),
    "indicators": gettext_lazy("Indicators of the institutions"),
    "risks": gettext_lazy("Risk flags"),
    "accreditation": gettext_lazy("Accreditation and tasks"),
    "absences": gettext_lazy("Absenteeism and out-of-school children"),
    "supervision": gettext_lazy("Complaints and inspections"),
    "plans": gettext_lazy("Conclusions and plans"),
}


# --- parameters ---------------------------------------------------------------------------------------------------

def period_of(years: Sequence[str]) -> str:
    """The narratives' period: the report's school years, in order."""
    return ",".join(sorted(years))


def parse_years(raw: Sequence[str]) -> list[str]:
    """One to four distinct school years, each held (a year with computed results); a ValidationError (lv/en by
    the active language) otherwise."""
    years: list[str] = []
    for value in raw:
        if not str(value).strip():
            continue
        label = school_year_label(value)
        if label not in years:
            years.append(label)
    if not years:
        raise ValidationError(_("Choose at least one school year."), code="required")
    if len(years) > MAX_YEARS:
        raise ValidationError(_("Choose at most %(n)d school years.") % {"n": MAX_YEARS}, code="too_many")
    held = set(monitoring.school_years())
    for year in years:
        if year not in held:
            raise ValidationError(_("IKMS holds no results for the school year %(year)s.") % {"year": year},
                                  code="not_held")
    return sorted(years)


def parse(user, data: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters from a request: `municipality` (a code) and `years` (school years, a list or
    comma-separated)."""
    code = str(data.get("municipality", "") or "").strip()
    if not code or not Municipality.objects.filter(code=code).exists():
        raise ValidationError(_("Choose a municipality."), code="municipality")
    raw = data.getlist("years") if hasattr(data, "getlist") else data.get("years", [])
    if isinstance(raw, str):
        raw = raw.split(",")
    return {"municipality": code, "years": parse_years(list(raw))}


def allowed(user, params: Mapping[str, Any]) -> bool:
    """Whoever may see the municipality's monitoring results (monitoring's MUNICIPALITY rule, as `tool_area`);
    without a municipality (may the user make this kind at all?), whoever may see some municipality's."""
    code = params.get("municipality", "")
    if not code:
        return monitoring.municipalities_for_user(user).exists()
    muni = Municipality.objects.filter(code=code).first()
    return muni is not None and can_view_report(user, muni)


# --- what the report reads ----------------------------------------------------------------------------------------

def _founder_ids(muni: Municipality) -> list[int]:
    return list(Founder.objects.filter(municipality=muni).values_list("pk", flat=True))


def _institutions(muni: Municipality) -> list[Institution]:
    """The registered (or since liquidated) institutions whose monitoring results the municipality's founders see,
    by name (monitoring's MONITORED_INSTITUTION rule)."""
    qs = Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
    qs = qs.select_related("type", "municipality")
    return list(MONITORED_INSTITUTION.founders_scope(_founder_ids(muni), qs).order_by("name"))


def _stamp(qs) -> str:
    latest = qs.aggregate(latest=Max("updated_at"))["latest"]
    return latest.isoformat() if latest else "-"


def _register_querysets(muni: Municipality) -> dict[str, Any]:
    """The records of the other apps a founder of the municipality sees, by each app's access policy."""
    ids = _founder_ids(muni)
    return {
        "cases": accreditation_permissions.CASE.founders_scope(ids, Case.objects.select_related("institution")),
        "tasks": accreditation_permissions.TASK.founders_scope(ids, Task.objects.select_related("institution")),
        "complaints": complaint_permissions.COMPLAINT.founders_scope(ids, Complaint.objects.all()),
        "inspections": inspection_permissions.INSPECTION.founders_scope(ids, Inspection.objects.all()),
    }


def _narratives(muni: Municipality, years: Sequence[str]) -> dict[str, Any]:
    return published_narratives(municipality=muni, period=period_of(years))


def inputs(params: Mapping[str, Any]) -> dict[str, str]:
    """What the report depends on: its parameters, the current results of its years (state key and spec
    versions), the latest change of the records it reads, and the narrative versions it prints."""
    years = list(params["years"])
    muni = Municipality.objects.get(code=params["municipality"])
    specs = {y: (now.run.catalogue_version if (now := monitoring.current(y)) else "") for y in years}
    stamps = {name: _stamp(qs) for name, qs in _register_querysets(muni).items()}
    narratives = {k: str(n.pk) for k, n in sorted(_narratives(muni, years).items())}
    return {
        "municipality": muni.code,
        "years": ",".join(years),
        "draft": "1" if params.get("draft") else "",
        "results": monitoring.state_key(*years),
        "specs": json.dumps(specs, sort_keys=True),
        "records": json.dumps(stamps, sort_keys=True),
        "narratives": json.dumps(narratives, sort_keys=True),
    }


# --- the tables ---------------------------------------------------------------------------------------------------

def _cell(value) -> Cell:
    """A monitoring value as a cell: hidden (below the minimum) as `[c]`, None as no data."""
    if value is None:
        return None
    if value.suppressed:
        return Suppressed("[c]")
    return value.value


def _results_lineage(years: Sequence[str], query: str, source: str) -> Lineage:
    specs = {y: now.run.catalogue_version[:12] for y in years if (now := monitoring.current(y))}
    return Lineage(snapshot=f"results {monitoring.state_key(*years)}", query=query, specs=specs, source=source)


def _year_key(year: str) -> str:
    return year.replace("/", "_")


def indicator_table(muni: Municipality, years: Sequence[str], institutions: Sequence[Institution]) -> Table:
    """Each indicator of the municipality in each school year beside the nation's, and, in the latest year, the
    median of its institutions (`area_dashboard`'s spread)."""
    latest = years[-1]
    units = [i.registration_number for i in institutions]
    own = {y: monitoring.by_key(monitoring.values(year=y, grain=Grain.MUNICIPALITY, units=[muni.code]))
           for y in years}
    nation = {y: monitoring.by_key(monitoring.values(year=y, grain=Grain.NATION, units=[monitoring.NATION]))
              for y in years}
    spread = {r.key: r for r in monitoring.area_dashboard(year=latest, grain=Grain.MUNICIPALITY, unit=muni.code,
                                                          institutions=units, nation_too=False)}
    info = monitoring.indicators()
    keys = [k for k in spread if k[0] in info]
    seen = set(keys)
    for y in years:  # indicators held only in an earlier year follow
        keys += [k for k in own[y] if k not in seen and k[0] in info and not seen.add(k)]
    columns = [Column("indicator", _("Indicator"), "text"), Column("slice", _("Breakdown"), "text")]
    for y in years:
        columns += [Column(f"m_{_year_key(y)}", f"{muni.name} {y}", "number", 1),
                    Column(f"n_{_year_key(y)}", _("Latvia %(year)s") % {"year": y}, "number", 1)]
    columns += [Column("median", _("Median of its institutions %(year)s") % {"year": latest}, "number", 1),
                Column("units", _("Institutions with a value"), "count")]
    rows, row_keys = [], []
    for key in keys:
        row: list[Cell] = [info[key[0]].name, slice_label(*key[1:])]
        for y in years:
            row += [_cell(own[y].get(key)), _cell(nation[y].get(key))]
        s = spread.get(key)
        row += [s.median if s else None, s.units if s and s.units else None]
        rows.append(row)
        row_keys.append("|".join(str(p) for p in key))
    return Table(key="indicators", title=_("Indicators of the municipality and of Latvia"), columns=columns,
                 rows=rows, row_keys=row_keys, disclosure_minimum=DISCLOSURE_MINIMUM,
                 note=_("Empty cells: no data for that school year."),
                 lineage=_results_lineage(years, f"monitoring.values(grain=municipality, unit={muni.code}); "
                                                 f"area_dashboard(year={latest})", _("monitoring results")))


def comparator_table(muni: Municipality, years: Sequence[str], institutions: Sequence[Institution]) -> Table:
    """Each institution's headline indicators in the latest year beside its comparator group's median (same type and
    size band: the dashboards' `comparator_group`) and the nation."""
    latest = years[-1]
    columns = [Column("institution", _("Institution"), "text"), Column("indicator", _("Indicator"), "text"),
               Column("slice", _("Breakdown"), "text"), Column("value", _("Value"), "number", 1),
               Column("comparator", _("Comparator group median"), "number", 1),
               Column("comparator_n", _("Institutions in the comparator group"), "count"),
               Column("nation", _("Latvia"), "number", 1)]
    rows, row_keys = [], []
    dashboards = monitoring.institutions_against_groups(year=latest, institutions=institutions,
                                                       indicators_=HEADLINE_INDICATORS)
    for inst in institutions:
        for r in dashboards[inst.registration_number]:
            rows.append([inst.name, r.info.name, r.label, Suppressed("[c]") if r.suppressed else r.value,
                         r.comparator, r.comparator_n or None, r.nation])
            row_keys.append(f"{inst.registration_number}|" + "|".join(str(p) for p in r.key))
    return Table(key="comparators", title=_("Institutions against their comparator groups, %(year)s")
                 % {"year": latest}, columns=columns, rows=rows, row_keys=row_keys,
                 disclosure_minimum=DISCLOSURE_MINIMUM,
                 note=_("A comparator group: the institutions of the same type and size band."),
                 lineage=_results_lineage([latest], f"monitoring.institutions_against_groups(year={latest})",
                                          _("monitoring results")))


def risk_tables(years: Sequence[str], institutions: Sequence[Institution]) -> tuple[Table, Table]:
    """Institutions flagged by each rule in each school year, and each institution's rules over the years (None:
    the year has no computed results)."""
    units = [i.registration_number for i in institutions]
    flags = {y: monitoring.risk_flags(y, units) if monitoring.current(y) else None for y in years}
    unevaluated = {y: monitoring.rules_not_evaluated(y, units) if monitoring.current(y) else None for y in years}
    rule_info = monitoring.rules()
    codes = sorted({f.rule for fs in flags.values() for f in fs or []})
    year_cols = [Column(_year_key(y), y, "count") for y in years]
    rows: list[list[Cell]] = []
    for code in codes:
        name = f"{code} {rule_info[code].name}" if code in rule_info else code
        rows.append([name, *[None if flags[y] is None else len({f.institution for f in flags[y] if f.rule == code})
                             for y in years]])
    rows.append([_("Institutions with a risk flag"),
                 *[None if flags[y] is None else len({f.institution for f in flags[y]}) for y in years]])
    rows.append([_("Institutions with a rule not evaluated (data not received)"),
                 *[None if unevaluated[y] is None else len({r.institution for r in unevaluated[y]}) for y in years]])
    lineage = _results_lineage(years, "monitoring.risk_flags(year, institutions); rules_not_evaluated", _("risk flags"))
    by_rule = Table(key="risk_rules", title=_("Institutions flagged, by rule"),
                    columns=[Column("rule", _("Rule"), "text"), *year_cols], rows=rows,
                    row_keys=[*codes, "flagged", "not_evaluated"], total_rows=(len(codes),), lineage=lineage)
    per_institution: list[list[Cell]] = []
    for inst in institutions:
        per_institution.append([inst.name, *[
            None if flags[y] is None else (", ".join(sorted({f.rule for f in flags[y]
                                                             if f.institution == inst.registration_number}))
                                           or "–") for y in years]])
    course = Table(key="risk_course", title=_("Risk flags of each institution over the years"),
                   columns=[Column("institution", _("Institution"), "text"),
                            *[Column(_year_key(y), y, "text") for y in years]],
                   rows=per_institution, row_keys=[i.registration_number for i in institutions], lineage=lineage,
                   note=_("–: no rule triggered; empty: no results for that school year."))
    return by_rule, course


def _year_of(day: dt.date | None) -> str | None:
    return school_year_of(day) if day else None


def accreditation_tables(years: Sequence[str], records: Mapping[str, Any], today: dt.date) -> tuple[Table, Table]:
    """Accreditation decisions by outcome in each school year, and the open tasks set by decisions, per
    institution (with those past their deadline)."""
    cases = records["cases"].filter(kind=CaseKind.ACCREDITATION)
    decided = [(c.outcome, _year_of(c.decided_on)) for c in cases if c.decided_on]
    rows = [[str(label), *[sum(1 for o, y in decided if o == code and y == year) for year in years]]
            for code, label in AccreditationOutcome.choices]
    rows.append([_("Decisions, total"), *[sum(1 for _o, y in decided if y == year) for year in years]])
    lineage = Lineage(snapshot=f"register {_stamp(records['cases'])}", source=_("accreditation cases"),
                      query="accreditation.permissions.CASE.founders_scope(founders of the municipality)")
    outcomes = Table(key="accreditation", title=_("Accreditation decisions"),
                     columns=[Column("outcome", _("Outcome"), "text"),
                              *[Column(_year_key(y), y, "count") for y in years]],
                     rows=rows, row_keys=[*AccreditationOutcome.values, "total"],
                     total_rows=(len(AccreditationOutcome.values),),
                     lineage=lineage)
    open_tasks: dict[str, list[int]] = {}
    for task in records["tasks"].filter(status=TaskStatus.OPEN).order_by("institution__name"):
        counts = open_tasks.setdefault(task.institution.name, [0, 0])
        counts[0] += 1
        counts[1] += task.deadline < today
    tasks = Table(key="tasks", title=_("Open accreditation tasks"),
                  columns=[Column("institution", _("Institution"), "text"), Column("open", _("Open tasks")),
                           Column("overdue", _("Of them past the deadline"))],
                  rows=[[name, n, late] for name, (n, late) in open_tasks.items()],
                  row_keys=list(open_tasks),
                  lineage=Lineage(snapshot=f"register {_stamp(records['tasks'])}", source=_("accreditation tasks"),
                                  query=f"accreditation.permissions.TASK.founders_scope(…), status=open, "
                                        f"today={today.isoformat()}"))
    return outcomes, tasks


def absence_tables(muni: Municipality, years: Sequence[str]) -> list[Table | Chart]:
    """The annual report's tables 6 and 5 and the actions taken for the municipality (monitoring's
    `absence_tables`; the actions from the municipality's hand-off cases where it holds them)."""
    t = monitoring.absence_tables(grain=Grain.MUNICIPALITY, unit=muni.code, years=years)
    lineage = _results_lineage(years, f"monitoring.absence_tables(grain=municipality, unit={muni.code})",
                               _("absences and out-of-school children"))
    sem_cols = [Column(f"{_year_key(y)}_{s}", f"{y} {semester_label(s)}", "count") for y in years for s in (1, 2)]
    levels = [row[0] for row in t.table6[0][1]] if t.table6 else []
    rows6: list[list[Cell]] = []
    for i, level in enumerate(levels):
        rows6.append([level_label(level), *[row[1][i][s] for row in t.table6 for s in (1, 2)]])
    totals: list[Cell] = [_("Total")]
    for col in range(1, len(sem_cols) + 1):
        known = [r[col] for r in rows6 if r[col] is not None]
        totals.append(sum(known) if known else None)  # type: ignore[arg-type]
    rows6.append(totals)
    absentees = Table(key="absentees", title=_("Learners with long unexcused absences"),
                      columns=[Column("level", _("Level"), "text"), *sem_cols], rows=rows6,
                      row_keys=[*levels, "total"], total_rows=(len(levels),), lineage=lineage,
                      disclosure_minimum=DISCLOSURE_MINIMUM)
    chart = Chart(key="absentees_chart", title=_("Learners with long unexcused absences"), table="absentees",
                  category="level", series=[c.key for c in sem_cols], kind="bar")
    out_of_school = Table(key="out_of_school", title=_("Children out of school, %(year)s") % {"year": t.t5_year},
                          columns=[Column("status", _("Status"), "text"), Column("children", _("Children"))],
                          rows=[[category_label(s), v] for s, v in [*t.table5, *t.outside5]],
                          row_keys=[s for s, _v in [*t.table5, *t.outside5]], lineage=lineage,
                          disclosure_minimum=DISCLOSURE_MINIMUM)
    actions: dict[str, dict[str, Cell]] = {}
    for year, _reasons, action_rows, _source in t.reasons:
        for code, s1, s2 in action_rows:
            actions.setdefault(code, {})[f"{_year_key(year)}_1"] = s1
            actions[code][f"{_year_key(year)}_2"] = s2
    taken = Table(key="absence_actions", title=_("Actions taken on long absences"),
                  columns=[Column("action", _("Action"), "text"), *sem_cols],
                  rows=[[category_label(code), *[actions[code].get(c.key) for c in sem_cols]] for code in actions],
                  row_keys=list(actions), disclosure_minimum=DISCLOSURE_MINIMUM,
                  lineage=Lineage(snapshot=lineage.snapshot, specs=lineage.specs, query=lineage.query,
                                  source=" ".join(_action_source(r[3]) for r in t.reasons[-1:])))
    return [absentees, chart, out_of_school, taken]


def _action_source(code: str) -> str:
    if code == absence_actions.CASES:
        return _("Source: the actions the municipalities recorded in the absence hand-off cases.")
    return _("Source: the actions the schools recorded (imported).")


def supervision_tables(years: Sequence[str], records: Mapping[str, Any]) -> tuple[Table, Table]:
    """Complaints forwarded to the municipality's founders by outcome, and inspections of its institutions (once
    their act is sent) with the orders still open, by school year."""
    complaints = [(c.outcome, _year_of(c.received_on)) for c in records["complaints"]]
    rows = [[_("Complaints received"), *[sum(1 for _o, y in complaints if y == year) for year in years]]]
    rows += [[str(label), *[sum(1 for o, y in complaints if o == code and y == year) for year in years]]
             for code, label in ComplaintOutcome.choices]
    complaint_table = Table(
        key="complaints", title=_("Complaints about its institutions"),
        columns=[Column("row", _("Complaints"), "text"), *[Column(_year_key(y), y, "count") for y in years]],
        rows=rows, row_keys=["received", *ComplaintOutcome.values], disclosure_minimum=DISCLOSURE_MINIMUM,
        note=_("Complaints forwarded to the municipality as founder."),
        lineage=Lineage(snapshot=f"register {_stamp(records['complaints'])}", source=_("complaints"),
                        query="complaints.permissions.COMPLAINT.founders_scope(founders of the municipality)"))
    visits = [(_year_of(i.visited_on or i.planned_on),
               sum(1 for o in i.orders.all() if o.kind == OrderKind.ORDER and o.state == OrderState.OPEN))
              for i in records["inspections"].prefetch_related("orders")]
    inspection_table = Table(
        key="inspections", title=_("Inspections of its institutions"),
        columns=[Column("row", _("Inspections"), "text"), *[Column(_year_key(y), y, "count") for y in years]],
        rows=[[_("Inspections"), *[sum(1 for y, _n in visits if y == year) for year in years]],
              [_("Orders still open"), *[sum(n for y, n in visits if y == year) for year in years]]],
        row_keys=["inspections", "open_orders"],
        lineage=Lineage(snapshot=f"register {_stamp(records['inspections'])}", source=_("inspections"),
                        query="inspections.permissions.INSPECTION.founders_scope(founders of the municipality)"))
    return complaint_table, inspection_table


# --- the report ---------------------------------------------------------------------------------------------------

def _narrative_block(section: str, narratives: Mapping[str, Any], *, draft: bool) -> Text | None:
    """The published narrative of a section; in a draft, a placeholder line where none is published."""
    published = narratives.get(section)
    if published is not None and published.text.strip():
        paragraphs = [p.strip() for p in published.text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return Text(title=_("The municipality's assessment"), paragraphs=paragraphs)
    if draft:
        return Text(title=_("The municipality's assessment"),
                    paragraphs=[_("The municipality has not yet published its text for this section.")])
    return None


def build(params: Mapping[str, Any], *, language: str, progress: kinds.Progress) -> Report:
    """The municipal report of `params` ({"municipality": code, "years": [...], "draft": bool}) in `language`."""
    with translation.override(language):
        return _build(params, language=language, progress=progress)


def _build(params: Mapping[str, Any], *, language: str, progress: kinds.Progress) -> Report:
    muni = Municipality.objects.get(code=params["municipality"])
    years = sorted(params["years"])
    draft = bool(params.get("draft"))
    today = timezone.localdate()
    progress(0.0, _("Reading the institutions"))
    institutions = _institutions(muni)
    records = _register_querysets(muni)
    narratives = _narratives(muni, years)
    blocks: dict[str, list] = {key: [] for key in SECTIONS}
    progress(0.1, _("Indicators"))
    blocks["indicators"] += [indicator_table(muni, years, institutions),
                             comparator_table(muni, years, institutions)]
    progress(0.4, _("Risk flags"))
    by_rule, course = risk_tables(years, institutions)
    blocks["risks"] += [by_rule, Chart(key="risk_chart", title=_("Institutions flagged, by rule"),
                                       table="risk_rules", category="rule", series=[_year_key(y) for y in years]),
                        course]
    progress(0.6, _("Accreditation"))
    blocks["accreditation"] += list(accreditation_tables(years, records, today))
    progress(0.7, _("Absences"))
    blocks["absences"] += absence_tables(muni, years)
    progress(0.85, _("Complaints and inspections"))
    blocks["supervision"] += list(supervision_tables(years, records))
    sections = []
    for key, title in SECTIONS.items():
        text = _narrative_block(key, narratives, draft=draft)
        sections.append(Section(key=key, title=str(title), blocks=([text] if text else []) + blocks[key]))
    progress(1.0, _("Done"))
    span = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return Report(kind="municipal", title=_("Education quality in %(municipality)s") % {"municipality": muni.name},
                  subtitle=_("Report of the municipality, school years %(years)s") % {"years": span},
                  language=language, inputs=inputs(params), sections=sections)


KIND = kinds.ReportKind(
    code="municipal",
    title=gettext_lazy("Municipal education-quality report"),
    description=gettext_lazy("A municipality's institutions over up to four school years, with the municipality's "
                             "own assessment (Education Law, article 18)."),
    parse=parse,
    allowed=allowed,
    inputs=inputs,
    build=build,
    formats=("pdf", "docx", "xlsx"),
    start_url="reports:municipal-choose",
)
