"""IKVD's annual public report (the 2024 report's quantitative sections) built from the system's records when it
is run: the register decisions, licensing, evaluations, the quality and risk indicators, absences and out-of-school
children, supervision. Every number comes from an app's selector (named in each table's lineage), never from the
calibration file; what the records do not hold is `None` ("no data"), never 0.

Table keys and row keys are those of calibration-2024.yaml (each table's `published_as` says how its cells map onto
the file's paths), so that `calibration_cells` names every published figure's cell."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.reports.document import Cell, Chart, Column, Lineage, Report, Section, Table, Text
from ikms.reports.kinds import Progress, ReportKind

#: The column that holds the value in the "row" layout.
VALUE = "value"
#: People counts below this are withheld on publication (ikms.reports.disclosure).
PEOPLE_MINIMUM = 5
NATION = "LV"


def school_year(start: int) -> str:
    return f"{start}/{start + 1}"


# --- lineage -----------------------------------------------------------------------------------------------------


def records_stamp(*models: type[Model]) -> str:
    """The state of some record tables: per table, how many rows, the latest id and the latest change; any new or
    changed record changes it."""
    parts = []
    for model in models:
        got = model.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at")
                                      if hasattr(model, "updated_at") else Max("pk"))
        changed = got["changed"].isoformat(timespec="seconds") if hasattr(got["changed"], "isoformat") else ""
        parts.append(f"{model._meta.label}: {got['n']} rows, latest #{got['last'] or '-'} {changed}".strip())
    return "; ".join(parts)


def run_stamp(year: str) -> tuple[str, dict[str, str]]:
    """The computation run that holds a school year's current results (ikms.monitoring.selectors.current), with
    its lake snapshot's fingerprint and its specification version; "no data" without a run."""
    from ikms.monitoring.selectors.runs import current

    now = current(year)
    if now is None:
        return _("{year}: no computation run").format(year=year), {}
    run = now.run
    manifest = hashlib.sha256(json.dumps(run.snapshot, sort_keys=True, default=str).encode()).hexdigest()[:16]
    redone = ",".join(str(r) for r in now.run_ids()[1:])
    stamp = f"{year}: run #{run.pk} {run.started_at.isoformat(timespec='seconds')} lake {manifest}"
    if redone:
        stamp += f" + runs {redone}"
    return stamp, {"catalogue": run.catalogue_version, "engine": run.engine}


def numbered(number: int) -> str:
    """The published table's number ("3. tabula", "Table 3")."""
    return _("Table {number}").format(number=number)


def _query(func: Callable, **kwargs: Any) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"{func.__module__}.{func.__name__}({args})"


# --- tables ------------------------------------------------------------------------------------------------------


def _count(value: Any) -> Cell:
    """A count as a whole number (the engine stores floats); None stays None."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def keyed_table(key: str, title: str, rows: list[tuple[str, Any, Any]], lineage: Lineage, *, number: str = "",
                kind: str = "count", decimals: int = 0, people: bool = False, prefix: tuple[str, ...] = (),
                note: str = "", total: str = "") -> Table:
    """A table of (row key, label, value) rows under one value column; its cells are calibration paths
    prefix + (row key,) (the prefix: the table's key unless given)."""
    label = _("Indicator") if kind == "share" else _("Item")
    column = Column(VALUE, _("Share, %") if kind == "share" else _("Number"), kind, decimals)  # type: ignore[arg-type]
    cells = [[str(text), _count(value) if kind == "count" else value] for _key, text, value in rows]
    keys = [k for k, _t, _v in rows]
    return Table(key=key, title=title, columns=[Column("label", label, "text"), column], rows=cells,
                 lineage=lineage, number=number, note=note, row_keys=keys, published_as=(prefix or (key,), "row"),
                 total_rows=tuple(i for i, k in enumerate(keys) if k == total),
                 disclosure_minimum=PEOPLE_MINIMUM if people else None)


def grid_table(key: str, title: str, label: str, columns: list[tuple[str, str]], rows: list[tuple[str, Any, list]],
               *, lineage: Lineage, number: str = "", prefix: tuple[str, ...], layout: str = "row_col",
               people: bool = True, total: str = "") -> Table:
    """A table of counts with several columns: rows (row key, label, [cells per column])."""
    keys = [k for k, _t, _c in rows]
    return Table(key=key, title=title, columns=[Column("label", label, "text"),
                                                 *[Column(k, text) for k, text in columns]],
                 rows=[[str(text), *[_count(c) for c in cells]] for _k, text, cells in rows], lineage=lineage,
                 number=number, row_keys=keys, published_as=(prefix, layout),
                 total_rows=tuple(i for i, k in enumerate(keys) if k == total),
                 disclosure_minimum=PEOPLE_MINIMUM if people else None)


def _sum(cells: list) -> Cell:
    """A total of counts: None when every part is missing (no data is not 0)."""
    known = [c for c in cells if c is not None]
    return sum(known) if known else None


# --- sections ----------------------------------------------------------------------------------------------------


def _registers(year: int) -> Section:
    from ikms.childcare import selectors as childcare
    from ikms.childcare.models import ProviderDecision
    from ikms.convictions import selectors as convictions
    from ikms.convictions.models import Decision as ConvictionDecision
    from ikms.convictions.models import Meeting
    from ikms.practice import selectors as practice
    from ikms.practice.models import CertificateDecision
    from ikms.psychologists import models as psy
    from ikms.psychologists import selectors as psychologists
    from ikms.registry.models import Decision
    from ikms.registry.selectors import register_decision_counts

    t3 = register_decision_counts(year=year)
    t3_labels = {
        "postponed_or_deadline_extended": _("Decision postponed or deadline extended"),
        "liquidated_or_struck_off": _("Liquidated or struck off (reorganisation and change of type included)"),
        "registered_or_amended_reorganisation": _("Registered, or entry amended on reorganisation"),
        "registration_refused": _("Registration refused"),
        "decision_revoked": _("Decision revoked"),
        "higher_ed_branch_removed": _("Higher education institution's branch removed"),
        "higher_ed_register_amended": _("Higher education register amended"),
        "international_school_decisions": _("Decisions on international schools"),
    }
    table3 = keyed_table("register_of_institutions", _("Decisions in the register of educational institutions"),
                         [(k, t3_labels.get(k, k), v) for k, v in t3.items()],
                         Lineage(records_stamp(Decision), _query(register_decision_counts, year=year),
                                 source=_("register of educational institutions: decisions")), number=numbered(3))
    t4 = childcare.decision_counts(year=year)
    t4_labels = {"removed": _("Removed from the register"), "amended": _("Entry amended"),
                 "registered": _("Registered"), "refused": _("Registration refused")}
    table4 = keyed_table("child_supervision_providers", _("Decisions on child supervision service providers"),
                         [(k, t4_labels[k], t4[k]) for k in t4_labels],
                         Lineage(records_stamp(ProviderDecision), _query(childcare.decision_counts, year=year),
                                 source=_("register of child supervision service providers: decisions")),
                         number=numbered(4))
    p = psychologists.year_counts(year)
    p_stamp = records_stamp(psy.Decision, psy.BoardMeeting, psy.Application, psy.Certificate)
    p_labels = {
        "council_meetings": _("Meetings of the Psychologists' Certification Council"),
        "certified_by_exam": _("Psychologists certified after an examination"),
        "supervisor_rights_granted": _("Supervisor rights granted"),
        "registration_applications": _("Applications for registration"),
        "registered": _("Psychologists registered"),
        "active_in_register_end_of_year": _("Psychologists in the register at the end of the year"),
        "of_which_supervisors": _("of whom supervisors"),
        "foreign_qualifications_recognised": _("Foreign professional qualifications recognised"),
    }
    p_lineage = Lineage(p_stamp, _query(psychologists.year_counts, year=year), source=_("register of psychologists"))
    psychologists_table = keyed_table("psychologists", _("Register of psychologists"),
                                      [(k, t, p[k]) for k, t in p_labels.items()], p_lineage, people=False)
    share = p["certified_share_percent"] if p["active_in_register_end_of_year"] else None
    table2 = keyed_table("psychologists_certified_share", _("Certified psychologists among those in the register"),
                         [("certified_share_percent", _("Certified psychologists"), share)], p_lineage,
                         number=numbered(2), kind="share", prefix=("psychologists",))
    c = practice.certificate_counts(year=year)
    c_labels = {
        "issued": _("Certificates issued"), "distinct_teachers": _("to different teachers"),
        "for_interest_education": _("for interest education"),
        "for_non_formal_education": _("for non-formal education"), "new": _("new certificates"),
        "extended": _("certificates extended"), "annulled": _("Certificates annulled"),
    }
    certificates = keyed_table("teacher_private_practice_certificates",
                               _("Certificates for teachers' private practice"),
                               [(k, t, c[k]) for k, t in c_labels.items()],
                               Lineage(records_stamp(CertificateDecision), _query(practice.certificate_counts,
                                                                                  year=year),
                                       source=_("register of teachers' private practice certificates")))
    v = convictions.published_counts(year)
    v_labels = {"commission_meetings": _("Commission meetings"), "permits_granted": _("Permits granted"),
                "refused": _("Permits refused"), "annulled": _("Permits annulled")}
    convicted = keyed_table("previously_convicted_persons",
                            _("Permits for persons with a spent conviction to work with children"),
                            [(k, t, v[k]) for k, t in v_labels.items()],
                            Lineage(records_stamp(ConvictionDecision, Meeting),
                                    _query(convictions.published_counts, year=year),
                                    source=_("the commission's decisions and meetings")))
    return Section("registers", _("Registers and decisions"), [
        Text(_("Registers and decisions"), [_(
            "Decisions taken in {year} in the registers IKVD keeps, counted by the date of the decision.").format(
            year=year)]),
        table3, table4, psychologists_table, table2, certificates, convicted])


def _licensing(year: int) -> Section:
    from ikms.registry.models import Decision
    from ikms.registry.selectors import licensing_counts

    counts = licensing_counts(year=year)
    lineage = Lineage(records_stamp(Decision), _query(licensing_counts, year=year),
                      source=_("licensing decisions of education programmes"))
    g_labels = {
        "total": _("General education programmes licensed"), "preschool": _("Pre-school programmes"),
        "preschool_special": _("of which special"), "basic": _("Basic education programmes"),
        "basic_special": _("of which special"), "basic_international": _("of which international"),
        "basic_distance": _("of which in distance learning"), "secondary": _("Secondary education programmes"),
        "viis_amendment_entries": _("Amendments entered in VIIS"),
        "secondary_study_plans_updated": _("Secondary study plans updated"), "refusals": _("Licences refused"),
    }
    general = keyed_table("general_programme_licensing", _("Licensing of general education programmes"),
                          [(k, t, counts["general"][k]) for k, t in g_labels.items()], lineage)
    v_labels = {
        "viis_entries_total": _("VIIS entries, total"), "new_programmes": _("New programmes"),
        "derived_registrations": _("Derived programmes registered"), "rights_restored": _("Rights restored"),
        "modular_relicensing": _("Modular programmes relicensed"),
        "relicensing_new_viis_entry": _("Relicensed with a new VIIS entry"),
        "vocational_oriented_relicensing": _("Vocationally oriented programmes relicensed"),
        "new_place_of_implementation": _("New place of implementation"),
    }
    vocational = keyed_table("vocational_programme_licensing", _("Licensing of vocational education programmes"),
                             [(k, t, counts["vocational"][k]) for k, t in v_labels.items()], lineage,
                             number=numbered(8), total="viis_entries_total")
    return Section("licensing", _("Licensing of education programmes"), [
        Text(_("Licensing"), [_("Licensing decisions of {year}; revoked decisions are left out.").format(year=year)]),
        general,
        Chart("figure_1", _("Figure 1. General education programmes licensed"), "general_programme_licensing",
              "label", [VALUE]),
        vocational])


def _evaluations(year: int) -> Section:
    from ikms.accreditation import selectors as accreditation
    from ikms.accreditation.models import Case, Rating, Task

    a = accreditation.calibration_counts(year=year)
    stamp = records_stamp(Case, Rating, Task)
    a_labels = {
        "institution_accreditations": _("Institutions accredited"), "general": _("general education"),
        "vocational": _("vocational education"),
        "institutions_with_needs_improvement": _("Institutions with at least one criterion to be improved"),
        "of_which_general": _("of which general education"), "of_which_vocational": _("of which vocational"),
        "head_evaluations": _("Heads of institutions evaluated"), "heads_general": _("general education"),
        "heads_vocational": _("vocational education"), "heads_preschool": _("pre-school education"),
        "heads_with_needs_improvement": _("Heads with at least one criterion to be improved"),
        "unified_school_institutions_evaluated": _("Institutions moving to the unified school evaluated"),
        "unified_school_preschool": _("of which pre-school"), "unified_school_general": _("of which general education"),
    }
    table = keyed_table("accreditation", _("Accreditation and evaluation of heads of institutions"),
                        [(k, t, a[k]) for k, t in a_labels.items()],
                        Lineage(stamp, _query(accreditation.calibration_counts, year=year),
                                source=_("accreditation and head evaluation cases decided")))
    first = year - 4
    t = accreditation.task_counts_by_domain(year_from=first, year_to=year)
    domains = [("quality_teaching", _("Quality teaching"), "quality_teaching"),
               ("inclusive_environment", _("Inclusive environment"), "inclusive_environment"),
               ("good_governance", _("Good governance"), "good_governance"),
               ("relevance_to_goals", _("Relevance to goals"), "relevance")]
    rows = [(k, label, t.get(code)) for k, label, code in domains]
    rows.append(("total", _("Total"), _sum([r[2] for r in rows])))
    tasks = keyed_table(f"tasks_given_{first}_{year}", _("Tasks given in quality evaluations, {first}–{year}").format(
        first=first, year=year), rows,
        Lineage(stamp, _query(accreditation.task_counts_by_domain, year_from=first, year_to=year),
                source=_("tasks set to institutions and heads")), total="total")
    return Section("evaluations", _("Accreditation and evaluation of heads"), [
        Text(_("Evaluations"), [_("Evaluations decided in {year} and the tasks they set.").format(year=year)]),
        table, tasks,
        Chart(f"figure_tasks_{year}", _("Tasks given by area of quality"), tasks.key, "label", [VALUE])])


#: quality_indicators keys per school group -> the engine's indicator (national value, percent).
QUALITY_INDICATORS = {
    "basic_schools": {
        "learners_average_7_or_more": "learners_average_7_or_more_basic",
        "learners_daily_vs_state_exam_differs": "learners_daily_vs_exam_differs",
        "graduates_continue_general_secondary": "graduates_continue_general_secondary",
        "risk_combined_classes": "risk_combined_classes_basic",
        "risk_long_term_unexcused_absence": "risk_long_term_unexcused_absence_basic",
        "risk_no_support_staff": "risk_no_support_staff_basic",
        "risk_teacher_vacancy_over_one_month": "risk_teacher_vacancy_over_one_month_basic",
    },
    "secondary_schools": {
        "learners_average_7_or_more": "learners_average_7_or_more_secondary",
        "learners_high_in_advanced_courses": "learners_high_in_advanced_courses",
        "daily_vs_state_exam_gap": "daily_vs_exam_gap",
        "graduates_enter_higher_education": "graduates_enter_higher_education",
        "risk_combined_classes": "risk_combined_classes_secondary",
        "risk_exam_10_to_30_below_national": "risk_exam_10_to_30_below_national_secondary",
        "risk_long_term_unexcused_absence": "risk_long_term_unexcused_absence_secondary",
        "risk_no_support_staff": "risk_no_support_staff_secondary",
        "risk_teacher_vacancy_over_one_month": "risk_teacher_vacancy_over_one_month_secondary",
    },
}


def _quality(year: int) -> Section:
    from ikms.inspections import selectors as inspections
    from ikms.inspections.models import Inspection, ThematicAnswer
    from ikms.inspections.questionnaires import calibration_figures, questionnaire
    from ikms.monitoring.models import Grain
    from ikms.monitoring.selectors.indicator_values import values

    sy = school_year(year - 1)
    tag = sy.replace("/", "_")
    wanted = [i for group in QUALITY_INDICATORS.values() for i in group.values()]
    stored = {v.indicator: v.value for v in values(year=sy, grain=Grain.NATION, units=[NATION], indicators_=wanted)}
    stamp, specs = run_stamp(sy)
    lineage = Lineage(stamp, _query(values, year=sy, grain="nation", units=[NATION], indicators_="…"), specs,
                      _("indicators computed from the data lake, {year}").format(year=sy))
    labels = {
        "learners_average_7_or_more": _("Learners with an average mark of 7 or more"),
        "learners_daily_vs_state_exam_differs": _("Learners whose daily marks differ from the state examination"),
        "graduates_continue_general_secondary": _("Graduates continuing in general secondary education"),
        "learners_high_in_advanced_courses": _("Learners with high results in advanced courses"),
        "daily_vs_state_exam_gap": _("Gap between daily marks and state examination results"),
        "graduates_enter_higher_education": _("Graduates entering higher education"),
        "risk_combined_classes": _("Risk: combined classes"),
        "risk_exam_10_to_30_below_national": _("Risk: examination results 10–30 % below the national average"),
        "risk_long_term_unexcused_absence": _("Risk: long-term unexcused absence"),
        "risk_no_support_staff": _("Risk: no support staff"),
        "risk_teacher_vacancy_over_one_month": _("Risk: a teacher vacancy for over a month"),
    }
    titles = {"basic_schools": _("Quality and risk indicators of basic schools, {year}"),
              "secondary_schools": _("Quality and risk indicators of secondary schools, {year}")}
    tables: list[Any] = [Text(_("Quality and risk indicators"), [_(
        "Shares of learners or of institutions, in percent, for the school year {year}, as the indicator engine "
        "computed them for the whole country.").format(year=sy)])]
    for group, indicators in QUALITY_INDICATORS.items():
        tables.append(keyed_table(f"quality_indicators_{tag}_{group}", titles[group].format(year=sy),
                                  [(k, labels[k], stored.get(ind)) for k, ind in indicators.items()], lineage,
                                  kind="share", decimals=1, prefix=(f"quality_indicators_{tag}", group)))
    try:
        q = questionnaire("unified_school_" + tag)
    except ValidationError:  # no unified-school evaluation that school year
        q, visits, results = None, 0, []
    else:
        visits, results = inspections.thematic_results(q)
    figures = calibration_figures(q, visits, results) if q and visits else {}
    u_labels = {
        "institutions_visited": _("Institutions visited"),
        "fully_in_latvian_on_visit_day": _("Teaching fully in Latvian on the day of the visit"),
        "optimal_or_ahead": _("Optimal or ahead (good, very good, excellent)"),
        "needs_improvement": _("To be improved"), "insufficient": _("Insufficient"),
        "parents_informed": _("Parents informed"),
        "parent_communication_to_improve": _("Communication with parents to be improved"),
        "environment_adapted": _("Environment adapted"), "support_staff_available": _("Support staff available"),
        "language_strategies_used": _("Language learning strategies used"),
        f"methodological_support_{tag}": _("Methodological support received in {year}").format(year=sy),
        "materials_in_latvian": _("Teaching materials in Latvian"),
        "learners_communicate_in_latvian": _("Learners communicate in Latvian"),
        "learners_struggle": _("Learners struggle"),
    }
    keys = {f"methodological_support_{tag}": "methodological_support"}
    unified = keyed_table(f"unified_school_evaluation_{tag}",
                          _("Evaluation of the transition to the unified school, {year}").format(year=sy),
                          [(k, t, figures.get(k, figures.get(keys.get(k, k)))) for k, t in u_labels.items()],
                          Lineage(records_stamp(Inspection, ThematicAnswer),
                                  _query(inspections.thematic_results, questionnaire="unified_school_" + tag),
                                  source=_("thematic inspection visits")))
    tables.append(unified)
    return Section("quality", _("Quality and risk indicators"), tables)


def _absences(year: int) -> Section:
    from ikms.monitoring.labels import CATEGORIES
    from ikms.monitoring.models import Grain
    from ikms.monitoring.selectors.absences import absence_tables

    years = [school_year(year - 2), school_year(year - 1), school_year(year)]
    got = absence_tables(grain=Grain.NATION, unit=NATION, years=years)
    query = _query(absence_tables, grain="nation", unit=NATION, years=years)

    def lineage(sy: str) -> Lineage:
        stamp, specs = run_stamp(sy)
        return Lineage(stamp, query, specs, _("records of learners and absences in the data lake, {year}").format(
            year=sy))

    blocks: list[Any] = [Text(_("Absences and out-of-school children"), [_(
        "Children and learners counted from the learners' records: the out-of-school children on 31 December "
        "{year}, long-term unexcused absentees (more than 3 days in pre-school or more than 20 lessons in a "
        "semester) and learners who missed at least one lesson.").format(year=year)])]
    t5 = dict(got.table5)
    outside = dict(got.outside5)
    blocks.append(keyed_table("out_of_school_children",
                              _("Out-of-school children aged 5–18 on 31 December {year}").format(year=year),
                              [(k, CATEGORIES[k], v) for k, v in t5.items()], lineage(got.t5_year),
                              number=numbered(5), people=True))
    blocks.append(keyed_table("out_of_school_children_other", _("Other children not in education in Latvia"),
                              [(k, CATEGORIES[k], v) for k, v in outside.items()], lineage(got.t5_year),
                              people=True, prefix=("out_of_school_children",)))
    level_keys = {"preschool": "preschool", "basic": "general_basic", "secondary": "general_secondary",
                  "vocational": "vocational"}
    level_labels = {"preschool": _("Pre-school"), "general_basic": _("General basic education"),
                    "general_secondary": _("General secondary education"), "vocational": _("Vocational education")}
    semesters = [("s1", _("Semester 1")), ("s2", _("Semester 2"))]
    for sy, rows6, _total in got.table6[:2]:
        rows = [(level_keys[lv], level_labels[level_keys[lv]], [s1, s2]) for lv, s1, s2 in rows6]
        rows.append(("total", _("Total"), [_sum([r[2][i] for r in rows]) for i in (0, 1)]))
        blocks.append(grid_table(f"long_term_unexcused_absentees_{sy.replace('/', '_')}",
                                 _("Long-term unexcused absentees, {year}").format(year=sy), _("Level"), semesters,
                                 rows, lineage=lineage(sy), number=numbered(6),
                                 prefix=("long_term_unexcused_absentees", sy), total="total"))
    if got.table6[:2]:
        last = got.table6[1][0].replace("/", "_")
        blocks.append(Chart(f"figure_absentees_{last}", _("Long-term unexcused absentees by level"),
                            f"long_term_unexcused_absentees_{last}", "label", ["s1", "s2"]))
    reasons_year = school_year(year - 1)
    for sy, reason_rows, _actions, _source in got.reasons:
        if sy != reasons_year:
            continue
        tag = sy.replace("/", "_")
        blocks.append(grid_table(f"long_term_absence_reasons_{tag}",
                                 _("Reasons of long-term absence, {year}").format(year=sy), _("Reason"), semesters,
                                 [(c, CATEGORIES.get(c, c), [s1, s2]) for c, s1, s2 in reason_rows],
                                 lineage=lineage(sy),
                                 prefix=(f"long_term_absence_reasons_{tag}",), layout="col_row"))
    t7_columns = [("basic_s1", _("Basic, semester 1")), ("basic_s2", _("Basic, semester 2")),
                  ("secondary_s1", _("Secondary, semester 1")), ("secondary_s2", _("Secondary, semester 2"))]
    for sy, rows7 in got.table7[:2]:
        blocks.append(grid_table(f"learners_missing_at_least_one_lesson_{sy.replace('/', '_')}",
                                 _("Learners who missed at least one lesson, {year}").format(year=sy), _("Reason"),
                                 t7_columns, [(r, CATEGORIES[r], list(cells)) for r, *cells in rows7],
                                 lineage=lineage(sy),
                                 number=numbered(7), prefix=("learners_missing_at_least_one_lesson", sy)))
    return Section("absences", _("Absences and out-of-school children"), blocks)


def _supervision(year: int) -> Section:
    from ikms.complaints import selectors as complaints
    from ikms.complaints.models import Complaint, Consultation
    from ikms.inspections import selectors as inspections
    from ikms.inspections.models import Act, Inspection, ProgrammeCheck

    c = complaints.calibration_counts(year)
    c["inspections"] = inspections.supervision_inspection_count(year)
    labels = {
        "complaints_examined": _("Complaints examined"), "confirmed": _("confirmed"),
        "not_confirmed": _("not confirmed"), "explanation_given": _("explanation given"),
        "referred_to_founder_or_other_authority": _("referred to the founder or another authority"),
        "inspections": _("Inspections"), "consultations": _("Consultations"),
    }
    supervision = keyed_table("supervision", _("Supervision: complaints, inspections and consultations"),
                              [(k, t, c[k]) for k, t in labels.items()],
                              Lineage(records_stamp(Complaint, Consultation, Inspection),
                                      f"{_query(complaints.calibration_counts, year=year)}; "
                                      f"{_query(inspections.supervision_inspection_count, year=year)}",
                                      source=_("complaints, consultations and inspections")))
    a = {**inspections.programme_check_counts(year), **inspections.adult_education_counts(year)}
    a_labels = {
        "programme_expert_reviews": _("Expert reviews of programmes"),
        "programmes_checked_in_offer_lists": _("Programmes checked in the offer lists"),
        "mismatches_found": _("Mismatches found"),
        "institutions_inspected": _("Institutions inspected"), "inspection_acts": _("Inspection acts"),
        "acts_with_recommendations": _("Acts with recommendations"), "recommendations": _("Recommendations"),
    }
    adult = keyed_table("adult_education_supervision", _("Supervision of adult education"),
                        [(k, t, a[k]) for k, t in a_labels.items()],
                        Lineage(records_stamp(ProgrammeCheck, Act),
                                f"{_query(inspections.programme_check_counts, year=year)}; "
                                f"{_query(inspections.adult_education_counts, year=year)}",
                                source=_("programme checks and adult-education inspection acts")))
    return Section("supervision", _("Supervision"), [
        Text(_("Supervision"), [_("Complaints received, inspections visited and consultations given in {year}.")
                                .format(year=year)]),
        supervision, adult])


# --- the kind ----------------------------------------------------------------------------------------------------


SECTIONS = (_registers, _licensing, _evaluations, _quality, _absences, _supervision)


def build(params: Mapping[str, Any], *, language: str, progress: Progress) -> Report:
    """The annual report of a calendar year (params {"year": 2024}), in `language`."""
    year = int(params["year"])
    with translation.override(language):
        report = Report(kind="annual", title=_("IKVD annual report {year}").format(year=year),
                        subtitle=_("Figures computed from the records of the system"), language=language,
                        inputs=inputs(params))
        for i, section in enumerate(SECTIONS):
            progress(i / len(SECTIONS), section.__name__.strip("_"))
            report.sections.append(section(year))
        progress(1.0, "done")
    return report


def record_years() -> list[int]:
    """The calendar years held in the records: any year with a register decision (newest first)."""
    from ikms.registry.models import Decision

    return sorted({d.year for d in Decision.objects.dates("date", "year")}, reverse=True)


def parse(user, data: Mapping[str, Any]) -> dict[str, Any]:
    """{"year": a calendar year held in the records}, or a ValidationError in Latvian and English."""
    raw = str(data.get("year", "")).strip()
    if not raw.isdigit() or int(raw) not in record_years():
        raise ValidationError(
            "Gads nav atrasts datos. / The year is not held in the records.", code="year")
    return {"year": int(raw)}


def allowed(user, params: Mapping[str, Any]) -> bool:
    """IKVD staff (the national dashboard's gate)."""
    from ikms.monitoring.permissions import can_view_nation

    return can_view_nation(user)


def inputs(params: Mapping[str, Any]) -> dict[str, str]:
    """What the numbers depend on: the year, the latest stamps of every record table read and the computation runs
    (lake snapshot and specification versions) of the school years read."""
    from ikms.accreditation.models import Case, Rating, Task
    from ikms.childcare.models import ProviderDecision
    from ikms.complaints.models import Complaint, Consultation
    from ikms.convictions.models import Decision as ConvictionDecision
    from ikms.convictions.models import Meeting
    from ikms.inspections.models import Act, Inspection, ProgrammeCheck, ThematicAnswer
    from ikms.practice.models import CertificateDecision
    from ikms.psychologists import models as psy
    from ikms.registry.models import Decision

    year = int(params["year"])
    out = {"year": str(year), "records": records_stamp(
        Decision, ProviderDecision, psy.Decision, psy.BoardMeeting, psy.Application, psy.Certificate,
        CertificateDecision, ConvictionDecision, Meeting, Case, Rating, Task, Complaint, Consultation, Inspection,
        Act, ProgrammeCheck, ThematicAnswer)}
    for start in (year - 2, year - 1, year):
        stamp, specs = run_stamp(school_year(start))
        out[f"run {school_year(start)}"] = " ".join([stamp, *[f"{k}={v}" for k, v in sorted(specs.items())]])
    return out


KIND = ReportKind(code="annual", title=gettext_lazy("Annual report"),
                  description=gettext_lazy("IKVD's annual public report of a calendar year, from the records"),
                  parse=parse, allowed=allowed, inputs=inputs, build=build)


# --- the published figures ---------------------------------------------------------------------------------------


def calibration_cells(report: Report) -> dict[tuple[str, ...], Cell]:
    """Every cell of the report under its calibration-2024.yaml path."""
    out: dict[tuple[str, ...], Cell] = {}
    for table in report.tables():
        if table.published_as is None:
            continue
        prefix, layout = table.published_as
        columns = [c.key for c in table.columns if c.key != "label"]
        for row in table.row_keys:
            if layout == "row":
                out[(*prefix, row)] = table.cell(row, VALUE)
            for col in columns if layout != "row" else ():
                path = (*prefix, row, col) if layout == "row_col" else (*prefix, col, row)
                out[path] = table.cell(row, col)
    return out
