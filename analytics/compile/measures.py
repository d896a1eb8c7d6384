"""Measure builders: named Ibis functions that turn lake tables into one row per counted subject.

A builder returns a table with the unit column (`institution`, or `municipality` for data that
belongs to no institution), the breakdown columns it declares (`semester`, `level`, `category`)
and numeric measure columns. The indicator compiler sums measures over whatever grain the spec
asks for, so every measure must be additive: a learner's row carries 1 or 0, a value to average
carries the value and a count of 1. The spec chooses which measures are its numerator and
denominator, and supplies the parameters and filters; the builder holds no thresholds.

Conventions shared by all builders:
* the counted subject for learner data is a learner at an institution (`BuildContext.enrolments`:
  the learner's latest enrolment there in the year decides the level and grade);
* float32 lake values (exam scores, FTE) are rounded to 4 decimals after widening, so 53.3 stays
  53.3 rather than 53.29999924 and thresholds behave as written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

import ibis
import ibis.expr.types as ir

from analytics.compile.context import BuildContext, lit_date, lit_int, lit_str
from analytics.lake.schemas import ABSENCE_REASONS, DESTINATIONS
from analytics.spec.model import Indicator, MeasureSignature, requirement_groups

Builder = Callable[[BuildContext], ir.Table]
SEMESTERS = (1, 2)
ENROLMENT_COLUMNS = ("learner_id", "institution", "level", "start_date", "programme_code", "grade", "class_id")


@dataclass(frozen=True)
class Measure:
    signature: MeasureSignature
    build: Builder
    #: True when an institution's subject rows depend only on that institution's rows of every source
    #: (every grouping, join and window includes `institution`), so an institution-scoped run may filter
    #: the scans by institution first. Opt-in: False unless the builder declares it.
    institution_local: bool = False


MEASURES: dict[str, Measure] = {}


def measure(
    name: str, *, sources: Sequence[str], columns: dict[str, tuple[str, ...]], measures: Sequence[str],
    dims: Sequence[str] = (), required_dims: Sequence[str] = (), params: dict[str, type] | None = None,
    unit: str = "institution", revision: int = 1, institution_local: bool = False,
    alternatives: Sequence[Sequence[str]] = (),
) -> Callable[[Builder], Builder]:
    """Register a builder under `name` with the signature specs are validated against. `alternatives`: groups
    of its sources that stand in for each other (MeasureSignature.alternatives)."""

    def register(fn: Builder) -> Builder:
        if name in MEASURES:
            raise ValueError(f"measure builder {name!r} registered twice")
        MEASURES[name] = Measure(MeasureSignature(
            name=name, unit=unit, sources=tuple(sources), columns=columns, measures=tuple(measures),
            dims=tuple(dims), required_dims=tuple(required_dims), params=params or {}, revision=revision,
            alternatives=tuple(tuple(g) for g in alternatives),
        ), fn, institution_local=institution_local)
        return fn

    return register


def signatures() -> dict[str, MeasureSignature]:
    return {name: m.signature for name, m in MEASURES.items()}


def requirements(ind: Indicator) -> tuple[tuple[str, ...], ...]:
    """The sources an indicator needs received, as groups of which any one source suffices (its measure's
    `alternatives`; every other source alone). Coverage (analytics/lake/coverage.py) is checked against these:
    an institution counts for the indicator when every group has a source received for it."""
    alternatives = MEASURES[ind.measure].signature.alternatives if ind.measure in MEASURES else ()
    return requirement_groups(ind.sources, alternatives)


# --- helpers ---------------------------------------------------------------------------------------------------


def union_all(tables: Sequence[ir.Table]) -> ir.Table:
    return reduce(lambda a, b: a.union(b), tables)


def left_join(left: ir.Table, right: ir.Table, keys: Sequence[str]) -> ir.Table:
    """Left join on equally named keys, keeping the left's keys and the right's other columns."""
    renamed = right.rename({f"_r_{k}": k for k in keys})
    joined = left.left_join(renamed, [left[k] == renamed[f"_r_{k}"] for k in keys])
    return joined.drop(*(f"_r_{k}" for k in keys))


def inner_join(left: ir.Table, right: ir.Table, keys: Sequence[str]) -> ir.Table:
    return left.inner_join(right, list(keys))


def one() -> ir.IntegerScalar:
    return lit_int(1)


def flag(condition: ir.BooleanValue) -> ir.IntegerValue:
    """1 where the condition holds, else 0 (NULL counts as not holding)."""
    return condition.fill_null(False).cast("int64")


def score(column: ir.NumericValue) -> ir.FloatingValue:
    """A float32 lake value widened and rounded to 4 decimals (see the module docstring)."""
    return column.cast("float64").round(4)


def learner_enrolments(ctx: BuildContext) -> ir.Table:
    return ctx.enrolments().select("learner_id", "institution", "level", "grade")


def active_staff(ctx: BuildContext) -> ir.Table:
    """Staff positions active in the school year (start ≤ year end, no end or end ≥ year start), from every
    partition, one row per (staff, institution, position, start date)."""
    s = ctx.all_rows("staff")
    active = s.filter((s.start_date <= lit_date(ctx.year.end))
                      & (s.end_date.isnull() | (s.end_date >= lit_date(ctx.year.start))))
    return active.group_by(["staff_id", "institution", "position", "start_date"]).aggregate(
        fte=score(active.fte).max())


def vacancies_in_year(ctx: BuildContext) -> ir.Table:
    """Vacancies overlapping the school year (opened ≤ year end, unfilled or filled ≥ year start), from every
    partition; a vacancy seen in several partitions keeps its first opening and its filling date."""
    v = ctx.all_rows("vacancies")
    v = v.group_by(["vacancy_id", "institution", "position"]).aggregate(
        opened=v.opened.min(), filled=v.filled.max())
    return v.filter((v.opened <= lit_date(ctx.year.end))
                    & (v.filled.isnull() | (v.filled >= lit_date(ctx.year.start))))


# --- absences --------------------------------------------------------------------------------------------------


@measure(
    "long_term_unexcused_absentees",
    sources=("absences", "enrolments"),
    columns={"absences": ("learner_id", "institution", "date", "semester", "lessons"),
             "enrolments": ENROLMENT_COLUMNS},
    measures=("absentees", "learners"), dims=("semester", "level"), required_dims=("semester",),
    params={"lessons_threshold": int, "preschool_days_threshold": int},
    institution_local=True,
)
def long_term_unexcused_absentees(ctx: BuildContext) -> ir.Table:
    """The enrolled learners of each semester (`learners`, counted per institution and level) and, one row
    each, those whose absences (as filtered by the spec, e.g. reason = unjustified) exceed the lessons
    threshold or, at preschool level, whose distinct days with such an absence exceed the days threshold
    (`absentees` = 1)."""
    learners = learner_enrolments(ctx)
    a = ctx.year_rows("absences")
    per = a.group_by(["learner_id", "institution", a.semester.cast("int64").name("semester")]).aggregate(
        lessons=a.lessons.cast("int64").sum(), days=a.date.nunique())
    j = inner_join(per, learners, ["learner_id", "institution"])
    over = ibis.ifelse(j.level == "preschool", j.days > ctx.param("preschool_days_threshold"),
                       j.lessons > ctx.param("lessons_threshold"))
    absentees = j.filter(over).select(institution=j.institution.cast("string"), semester=j.semester,
                                      level=j.level.cast("string"), absentees=one(), learners=lit_int(0))
    return union_all([_learner_counts(learners, measure="absentees"), absentees])


@measure(
    "learners_missing_lessons",
    sources=("absences", "enrolments"),
    columns={"absences": ("learner_id", "institution", "semester", "lessons", "reason"),
             "enrolments": ENROLMENT_COLUMNS},
    measures=("learners_missing", "learners"), dims=("semester", "level", "category"),
    required_dims=("semester", "category"),
    institution_local=True,
)
def learners_missing_lessons(ctx: BuildContext) -> ir.Table:
    """The enrolled learners for each semester × absence reason (`learners`, counted per institution and
    level) and, one row each, those who missed at least one lesson for that reason in that semester
    (`learners_missing` = 1). The category is the reason."""
    learners = learner_enrolments(ctx)
    a = ctx.year_rows("absences")
    per = a.group_by(["learner_id", "institution", a.semester.cast("int64").name("semester"),
                      a.reason.name("category")]).aggregate(lessons=a.lessons.cast("int64").sum())
    j = inner_join(per.filter(per.lessons >= 1), learners, ["learner_id", "institution"])
    missing = j.select(institution=j.institution.cast("string"), semester=j.semester,
                       level=j.level.cast("string"), category=j.category.cast("string"), learners_missing=one(),
                       learners=lit_int(0))
    return union_all([_learner_counts(learners, measure="learners_missing", reasons=True), missing])


def _learner_counts(learners: ir.Table, *, measure: str, reasons: bool = False) -> ir.Table:
    """The `learners` measure of a per-semester (with `reasons`: per semester and absence reason) grid: the
    enrolled learners counted per institution and level, once for each cell, with `measure` = 0. The indicator
    sums its measures, so count rows give what one row per learner would, at a fraction of the rows; the
    learners who count in `measure` come as separate rows with learners = 0."""
    counts = learners.group_by(["institution", "level"]).aggregate(_n=learners.count())
    parts = []
    for semester in SEMESTERS:
        for reason in ABSENCE_REASONS if reasons else (None,):
            cols: dict[str, ir.Value] = {"institution": counts.institution.cast("string"),
                                         "semester": lit_int(semester), "level": counts.level.cast("string")}
            if reason is not None:
                cols["category"] = lit_str(reason)
            parts.append(counts.select(**cols, **{measure: lit_int(0)}, learners=counts._n.cast("int64")))
    return union_all(parts)


@measure(
    "long_term_absence_records",
    sources=("long_term_absences",),
    columns={"long_term_absences": ("institution", "semester", "level", "reason")},
    measures=("records",), dims=("semester", "level", "category"), required_dims=("semester",),
    institution_local=True,
)
def long_term_absence_records(ctx: BuildContext) -> ir.Table:
    """One row per long-term absentee record (learner, institution, semester); the category is the main
    reason recorded, `not_recorded` where none was."""
    return _long_term_records(ctx, "reason", "not_recorded")


@measure(
    "long_term_absence_actions",
    sources=("long_term_absences",),
    columns={"long_term_absences": ("institution", "semester", "level", "action")},
    measures=("records",), dims=("semester", "level", "category"), required_dims=("semester",),
    institution_local=True,
)
def long_term_absence_actions(ctx: BuildContext) -> ir.Table:
    """One row per long-term absentee record (learner, institution, semester); the category is the action the
    institution recorded, `none_recorded` where none was."""
    return _long_term_records(ctx, "action", "none_recorded")


def _long_term_records(ctx: BuildContext, column: str, missing: str) -> ir.Table:
    """Long-term absentee records with `column` (reason or action) as the category, `missing` where empty."""
    t = ctx.year_rows("long_term_absences")
    return t.select("institution", semester=t.semester.cast("int64"), level=t.level,
                    category=t[column].fill_null(missing), records=one())


# --- out-of-school children ------------------------------------------------------------------------------------


@measure(
    "out_of_school_children",
    sources=("out_of_school",),
    columns={"out_of_school": ("child_id", "declared_municipality", "status", "as_of")},
    measures=("children",), dims=("category",), unit="municipality",
)
def out_of_school_children(ctx: BuildContext) -> ir.Table:
    """The children of the latest snapshot (greatest `as_of`) in the school year's partition, by declared
    municipality; the category is the status the municipality entered."""
    t = ctx.year_rows("out_of_school")
    t = t.mutate(_latest=t.as_of.max().over(ibis.window()))
    t = t.filter(t.as_of == t._latest)
    return t.select(municipality=t.declared_municipality, category=t.status, children=one())


# --- marks and examinations ------------------------------------------------------------------------------------


@measure(
    "learner_mean_mark",
    sources=("grades", "enrolments"),
    columns={"grades": ("learner_id", "institution", "mark"), "enrolments": ENROLMENT_COLUMNS},
    measures=("learners", "learners_at_or_above"), dims=("level",), params={"min_mean": float},
    institution_local=True,
)
def learner_mean_mark(ctx: BuildContext) -> ir.Table:
    """Every enrolled learner with at least one mark (as filtered by the spec) at the institution in the year;
    `learners_at_or_above` is 1 when the mean of those marks is ≥ min_mean."""
    g = ctx.year_rows("grades")
    per = g.group_by(["learner_id", "institution"]).aggregate(mean_mark=g.mark.cast("float64").mean())
    j = inner_join(per, learner_enrolments(ctx), ["learner_id", "institution"])
    return j.select("institution", "level", learners=one(),
                    learners_at_or_above=flag(j.mean_mark >= ctx.param("min_mean")))


def _daily_vs_exam(ctx: BuildContext) -> ir.Table:
    """Per learner and institution with exams (as filtered by the spec) and marks in the year:
    daily_pct = 10 × mean mark, exam_pct = mean exam score, gap = daily_pct − exam_pct."""
    x = ctx.year_rows("exams")
    exams = x.group_by(["learner_id", "institution"]).aggregate(exam_pct=score(x.score_pct).mean())
    g = ctx.year_rows("grades")
    daily = g.group_by(["learner_id", "institution"]).aggregate(daily_pct=g.mark.cast("float64").mean() * 10)
    j = inner_join(exams, daily, ["learner_id", "institution"])
    return j.mutate(gap=j.daily_pct - j.exam_pct)


@measure(
    "daily_vs_exam_gap",
    sources=("exams", "grades"),
    columns={"exams": ("learner_id", "institution", "score_pct"), "grades": ("learner_id", "institution", "mark")},
    measures=("learners", "gap", "abs_gap"),
    institution_local=True,
)
def daily_vs_exam_gap(ctx: BuildContext) -> ir.Table:
    """Learners with exams and marks; `gap` and `abs_gap` (percentage points) to average."""
    j = _daily_vs_exam(ctx)
    return j.select("institution", learners=one(), gap=j.gap, abs_gap=j.gap.abs())


@measure(
    "daily_vs_exam_differs",
    sources=("exams", "grades"),
    columns={"exams": ("learner_id", "institution", "score_pct"), "grades": ("learner_id", "institution", "mark")},
    measures=("learners", "differs"), params={"threshold_pp": float},
    institution_local=True,
)
def daily_vs_exam_differs(ctx: BuildContext) -> ir.Table:
    """Learners with exams and marks; `differs` is 1 when |gap| > threshold_pp."""
    j = _daily_vs_exam(ctx)
    return j.select("institution", learners=one(), differs=flag(j.gap.abs() > ctx.param("threshold_pp")))


@measure(
    "exam_scores",
    sources=("exams", "exam_results"),
    columns={"exams": ("institution", "exam", "score_pct"),
             "exam_results": ("institution", "exam", "takers", "mean_score_pct")},
    measures=("score_sum", "takers"), dims=("category",),
    alternatives=(("exams", "exam_results"),),
    revision=2,
    institution_local=True,
)
def exam_scores(ctx: BuildContext) -> ir.Table:
    """One row per institution and exam (as filtered by the spec; the category is the exam code): `score_sum`,
    the sum of the scores, and `takers`. From the per-learner `exams` rows, summed; or, for an institution and
    exam without any per-learner row in the year, from the published per-institution `exam_results` row
    (score_sum = mean_score_pct × takers). Never from both: per-learner rows win."""
    x = ctx.year_rows("exams")
    learners = x.group_by(["institution", "exam"]).aggregate(score_sum=score(x.score_pct).sum(), takers=x.count())
    described = ctx.year_rows("exams", filtered=False).select("institution", "exam").distinct()
    r = ctx.year_rows("exam_results").anti_join(described, ["institution", "exam"])
    takers = r.takers.cast("int64")
    return union_all([
        learners.select("institution", category=learners.exam, score_sum=learners.score_sum,
                        takers=learners.takers.cast("int64")),
        r.select("institution", category=r.exam, score_sum=score(r.mean_score_pct) * takers, takers=takers),
    ])


# --- graduates -------------------------------------------------------------------------------------------------


@measure(
    "graduate_destination",
    sources=("graduates",),
    columns={"graduates": ("institution", "level", "destination")},
    measures=("graduates", "to_destination"), dims=("level",), params={"destination": str},
    institution_local=True,
)
def graduate_destination(ctx: BuildContext) -> ir.Table:
    """One row per graduate (as filtered by the spec); `to_destination` is 1 for the param's destination."""
    destination = ctx.text_param("destination")
    if destination not in DESTINATIONS:
        raise ValueError(f"{ctx.indicator.path}: indicator {ctx.indicator.code!r}: params.destination "
                         f"{destination!r} is not one of {', '.join(DESTINATIONS)}")
    g = ctx.year_rows("graduates")
    return g.select("institution", "level", graduates=one(), to_destination=flag(g.destination == destination))


@measure(
    "graduate_destinations",
    sources=("graduates",),
    columns={"graduates": ("institution", "level", "destination")},
    measures=("graduates", "to_destination"), dims=("level", "category"), required_dims=("category",),
    institution_local=True,
)
def graduate_destinations(ctx: BuildContext) -> ir.Table:
    """Every graduate × every destination; `to_destination` is 1 for the graduate's own, so each category's
    denominator is all graduates. The category is the destination."""
    g = ctx.year_rows("graduates")
    return union_all([
        g.select("institution", "level", category=lit_str(d), graduates=one(), to_destination=flag(g.destination == d))
        for d in DESTINATIONS
    ])


# --- learners, classes, staff, vacancies -------------------------------------------------------------------------


@measure(
    "enrolled_learners",
    sources=("enrolments",),
    columns={"enrolments": ENROLMENT_COLUMNS},
    measures=("learners",), dims=("level",),
    institution_local=True,
)
def enrolled_learners(ctx: BuildContext) -> ir.Table:
    """One row per learner enrolled at the institution in the year."""
    return learner_enrolments(ctx).select("institution", "level", learners=one())


@measure(
    "classes",
    sources=("classes",),
    columns={"classes": ("institution", "class_id", "combined", "learners")},
    measures=("classes", "combined_classes", "class_learners"),
    institution_local=True,
)
def classes(ctx: BuildContext) -> ir.Table:
    """One row per distinct class of the institution in the year."""
    c = ctx.year_rows("classes")
    c = c.group_by(["institution", "class_id"]).aggregate(
        combined=c.combined.cast("int64").max(), learners=c.learners.cast("int64").max())
    return c.select("institution", classes=one(), combined_classes=c.combined, class_learners=c.learners)


@measure(
    "learners_and_staff",
    sources=("enrolments", "staff"),
    columns={"enrolments": ENROLMENT_COLUMNS,
             "staff": ("staff_id", "institution", "position", "fte", "start_date", "end_date")},
    measures=("learners", "staff", "staff_fte"),
    institution_local=True,
)
def learners_and_staff(ctx: BuildContext) -> ir.Table:
    """Per institution: enrolled learners, and the distinct staff and FTE sum of the positions (as filtered by
    the spec) active in the year. An institution with learners and no such staff has staff 0."""
    learners = learner_enrolments(ctx).group_by("institution").aggregate(learners=ibis._.count())
    s = active_staff(ctx)
    staff = s.group_by("institution").aggregate(staff=s.staff_id.nunique(), staff_fte=s.fte.sum())
    zero = ibis.literal(0, type="int64")
    return union_all([
        learners.select("institution", learners=learners.learners, staff=zero,
                        staff_fte=ibis.literal(0.0, type="float64")),
        staff.select("institution", learners=zero, staff=staff.staff, staff_fte=staff.staff_fte),
    ])


@measure(
    "learners_and_complaints",
    sources=("enrolments", "complaints"),
    columns={"enrolments": ENROLMENT_COLUMNS, "complaints": ("institution", "complaints")},
    measures=("learners", "complaints"),
    institution_local=True,
)
def learners_and_complaints(ctx: BuildContext) -> ir.Table:
    """Per institution with at least one learner enrolled in the year: the learners (`learners`) and the
    complaints received in the year about it (`complaints`, from the year's partition of the complaints
    register; 0 where its row says 0). An institution without learners has no row, so its rate is not computed
    (no data, not 0) and its complaints count in no municipal or national figure."""
    learners = learner_enrolments(ctx).group_by("institution").aggregate(learners=ibis._.count())
    c = ctx.year_rows("complaints")
    per = c.group_by("institution").aggregate(complaints=c.complaints.cast("int64").sum())
    j = left_join(learners, per, ["institution"])
    return j.select("institution", learners=j.learners.cast("int64"), complaints=j.complaints.fill_null(0))


@measure(
    "vacancy_months",
    sources=("vacancies",),
    columns={"vacancies": ("vacancy_id", "institution", "position", "opened", "filled")},
    measures=("months", "vacancies"), dims=("category",), params={"days_per_month": float},
    institution_local=True,
)
def vacancy_months(ctx: BuildContext) -> ir.Table:
    """One row per vacancy overlapping the year; `months` = days open within the year (from the later of
    opening and 1 September to the earlier of filling and 31 August, inclusive) / days_per_month.
    The category is the position."""
    v = vacancies_in_year(ctx)
    after_year = ctx.year.end + dt.timedelta(days=1)
    start = ibis.greatest(v.opened, lit_date(ctx.year.start))
    end = ibis.least(v.filled.fill_null(lit_date(after_year)), lit_date(after_year))
    days = ibis.greatest(end.delta(start, unit="day"), lit_int(0))
    return v.select("institution", category=v.position, months=days.cast("float64") / ctx.param("days_per_month"),
                    vacancies=one())


@measure(
    "vacancies_open_longer_than",
    sources=("vacancies",),
    columns={"vacancies": ("vacancy_id", "institution", "position", "opened", "filled")},
    measures=("long_vacancies", "vacancies"), dims=("category",), params={"min_open_days": int},
    institution_local=True,
)
def vacancies_open_longer_than(ctx: BuildContext) -> ir.Table:
    """One row per vacancy overlapping the year; `long_vacancies` is 1 when it was open more than
    min_open_days: filled − opened, or 31 August of the year − opened while unfilled. Category: position."""
    v = vacancies_in_year(ctx)
    open_days = v.filled.fill_null(lit_date(ctx.year.end)).delta(v.opened, unit="day")
    return v.select("institution", category=v.position, long_vacancies=flag(open_days > ctx.param("min_open_days")),
                    vacancies=one())


# --- diagnostics and well-being (issue 15) ---------------------------------------------------------------------


@measure(
    "diagnostic_scores",
    sources=("diagnostics",),
    columns={"diagnostics": ("learner_id", "institution", "grade", "domain", "score_pct")},
    measures=("pupils", "score_sum"), dims=("category",), required_dims=("category",),
    institution_local=True,
)
def diagnostic_scores(ctx: BuildContext) -> ir.Table:
    """One row per diagnostic result (as filtered by the spec, e.g. one grade): `score_sum` is the score in
    percent, `pupils` 1. The category is the domain (skill group)."""
    d = ctx.year_rows("diagnostics")
    return d.select("institution", category=d.domain, pupils=one(), score_sum=score(d.score_pct))


@measure(
    "diagnostic_below",
    sources=("diagnostics",),
    columns={"diagnostics": ("learner_id", "institution", "grade", "domain", "score_pct")},
    measures=("pupils", "below"), dims=("category",), required_dims=("category",),
    params={"threshold_pct": float},
    institution_local=True,
)
def diagnostic_below(ctx: BuildContext) -> ir.Table:
    """One row per diagnostic result (as filtered by the spec); `below` is 1 when the score is under
    threshold_pct. The category is the domain."""
    d = ctx.year_rows("diagnostics")
    return d.select("institution", category=d.domain, pupils=one(),
                    below=flag(score(d.score_pct) < ctx.param("threshold_pct")))


@measure(
    "wellbeing_answers",
    sources=("wellbeing",),
    columns={"wellbeing": ("respondent_id", "institution", "role", "question", "answer")},
    measures=("respondents", "favourable", "answer_sum"), dims=("category",), required_dims=("category",),
    params={"favourable_from": int},
    institution_local=True,
)
def wellbeing_answers(ctx: BuildContext) -> ir.Table:
    """One row per answer (as filtered by the spec, e.g. one role); a respondent answers a question once, so
    `respondents` counts the respondents of the question. `favourable` is 1 when the answer is ≥ favourable_from,
    `answer_sum` the answer (1–5). The category is the question code."""
    w = ctx.year_rows("wellbeing")
    answer = w.answer.cast("int64")
    return w.select("institution", category=w.question, respondents=one(),
                    favourable=flag(answer >= ctx.param("favourable_from")), answer_sum=answer)


@measure(
    "wellbeing_respondents",
    sources=("wellbeing",),
    columns={"wellbeing": ("respondent_id", "institution", "role", "question", "answer")},
    measures=("respondents", "mean_answer_sum"),
    institution_local=True,
)
def wellbeing_respondents(ctx: BuildContext) -> ir.Table:
    """One row per respondent (as filtered by the spec) and institution: `mean_answer_sum` is the mean of the
    respondent's answers (1–5), so that every respondent weighs the same whatever the questions answered."""
    w = ctx.year_rows("wellbeing")
    per = w.group_by(["respondent_id", "institution"]).aggregate(mean_answer=w.answer.cast("float64").mean())
    return per.select("institution", respondents=one(), mean_answer_sum=per.mean_answer.round(9))
