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
from analytics.lake.schemas import ABSENCE_REASONS, DESTINATIONS, STUDY_DESTINATIONS, STUDY_FIELDS
from analytics.spec.model import Indicator, MeasureSignature, requirement_groups
from analytics.spec.periods import SchoolYear

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


# --- school network (issue 15) ---------------------------------------------------------------------------------


@measure(
    "learners_and_capacity",
    sources=("enrolments", "institutions"),
    columns={"enrolments": ENROLMENT_COLUMNS, "institutions": ("institution", "capacity")},
    measures=("learners", "capacity"),
    institution_local=True,
)
def learners_and_capacity(ctx: BuildContext) -> ir.Table:
    """Per institution with learners enrolled in the year and a design capacity recorded in the year's register
    snapshot: the learners (as the spec's filters count them) and the capacity. An institution without a recorded
    capacity has no row (capacity use: no data, never 0), and counts in no municipal or national figure."""
    learners = learner_enrolments(ctx).group_by("institution").aggregate(learners=ibis._.count())
    reg = ctx.register()
    cap = reg.filter(reg.capacity.notnull() & (reg.capacity > 0)).select(
        "institution", capacity=reg.capacity.cast("int64"))
    j = inner_join(learners, cap, ["institution"])
    return j.select("institution", learners=j.learners.cast("int64"), capacity=j.capacity)


@measure(
    "school_size",
    sources=("enrolments",),
    columns={"enrolments": ENROLMENT_COLUMNS},
    measures=("schools", "small_schools", "learners", "learners_in_small_schools"),
    params={"small_below": int},
    institution_local=True,
)
def school_size(ctx: BuildContext) -> ir.Table:
    """Per institution with learners enrolled in the year (as the spec's filters count them): one school, whether
    it is small (fewer learners than `small_below`), its learners, and its learners again where it is small."""
    learners = learner_enrolments(ctx).group_by("institution").aggregate(learners=ibis._.count())
    small = flag(learners.learners < ctx.param("small_below"))
    return learners.select("institution", schools=one(), small_schools=small,
                           learners=learners.learners.cast("int64"),
                           learners_in_small_schools=learners.learners.cast("int64") * small)
# --- the teaching profession (issue 15) --------------------------------------------------------------------------
# Read from the school year's own staff and vacancies files (not every partition): the profile columns birth_year,
# qualified and subject were added to those datasets later (Column.optional), so a year whose file is of the first
# format has them empty, and an indicator over them then has no subjects and no value (no data), never 0.

STAFF_PROFILE = ("staff_id", "institution", "position", "fte", "start_date", "end_date", "birth_year", "qualified",
                 "subject")
STAFF_BASE = ("staff_id", "institution", "position", "fte", "start_date", "end_date")
TEACHER_VACANCY = ("vacancy_id", "institution", "position", "opened", "filled", "subject")
#: Age bands (age = the calendar year the school year starts in − birth year): code, lowest and highest age.
AGE_BANDS = (("under_30", None, 29), ("30_39", 30, 39), ("40_49", 40, 49), ("50_59", 50, 59), ("60_64", 60, 64),
             ("65_plus", 65, None))


def with_optional_columns(table: ir.Table, dataset: str) -> ir.Table:
    """`table` with every optional column of the dataset that no file of the lake has added as null (a lake of
    first-format files only)."""
    from analytics.lake.schemas import DATASETS

    missing = {c.name: ibis.null(ibis.dtype(c.type)) for c in DATASETS[dataset].columns
               if c.optional and c.name not in table.columns}
    return table.mutate(**missing) if missing else table


def year_teachers(ctx: BuildContext) -> ir.Table:
    """One row per person and institution among the positions of the year's staff file (as filtered by the spec,
    e.g. position = teacher) active in the school year: birth_year, qualified (false when any of the person's
    positions there lacks the qualification, null when unknown), subject (of the position started last) and
    `workload`, the sum of the FTE of all the person's positions active in the year, at every institution."""
    every = with_optional_columns(ctx.year_rows("staff", filtered=False), "staff")
    active = ((every.start_date <= lit_date(ctx.year.end))
              & (every.end_date.isnull() | (every.end_date >= lit_date(ctx.year.start))))
    every = every.filter(active)
    workload = every.group_by("staff_id").aggregate(workload=score(every.fte).sum())
    s = apply_spec_filters(ctx, every)
    rank = ibis.row_number().over(group_by=[s.staff_id, s.institution], order_by=[ibis.desc(s.start_date)])
    subject = s.mutate(_rank=rank).filter(ibis._._rank == 0).select("staff_id", "institution", "subject")
    people = s.group_by(["staff_id", "institution"]).aggregate(
        birth_year=s.birth_year.cast("int64").max(), qualified=s.qualified.cast("int64").min())
    people = inner_join(inner_join(people, subject, ["staff_id", "institution"]), workload, ["staff_id"])
    # The same rows for every teaching indicator of the run (same filters): an engine that can computes them once.
    return ctx._share(people.select("staff_id", "institution", "birth_year", "qualified", "subject", "workload"))


def apply_spec_filters(ctx: BuildContext, table: ir.Table) -> ir.Table:
    from analytics.compile.context import apply_filters

    return apply_filters(table, ctx.indicator.filters_on("staff"))


def _subject_category(ctx: BuildContext, t: ir.Table) -> ir.Table:
    """With a subject breakdown (the indicator has a category), only the rows with a known subject, the subject
    as the category."""
    if "category" in ctx.indicator.dims:
        t = t.filter(t.subject.notnull())
        return t.mutate(category=t.subject)
    return t


@measure(
    "teacher_age_bands",
    sources=("staff",),
    columns={"staff": STAFF_PROFILE},
    measures=("staff", "in_band"), dims=("category",), required_dims=("category",),
    institution_local=True,
)
def teacher_age_bands(ctx: BuildContext) -> ir.Table:
    """Every person of known birth year × every age band (AGE_BANDS; age = the year the school year starts in −
    birth year); `in_band` is 1 for the person's own band, so each band's denominator is everyone of known age.
    A person without a birth year has no row (age unknown, never young)."""
    t = year_teachers(ctx)
    t = t.filter(t.birth_year.notnull())
    age = lit_int(ctx.year.start_year) - t.birth_year
    parts = []
    for code, low, high in AGE_BANDS:
        inside = ibis.literal(True)
        if low is not None:
            inside &= age >= low
        if high is not None:
            inside &= age <= high
        parts.append(t.select("institution", category=lit_str(code), staff=one(), in_band=flag(inside)))
    return union_all(parts)


@measure(
    "retirement_horizon",
    sources=("staff",),
    columns={"staff": STAFF_PROFILE},
    measures=("staff", "near_retirement"), dims=("category",),
    params={"retirement_age": int, "horizon_years": int},
    institution_local=True,
)
def retirement_horizon(ctx: BuildContext) -> ir.Table:
    """One row per person of known birth year; `near_retirement` is 1 when they reach the retirement age within
    horizon_years of the school year's start: birth_year + retirement_age ≤ start year + horizon_years (age
    counted in whole calendar years, so a person born in 1964 is 60 in 2024 and reaches 65 in 2029). The
    category, when the indicator has one, is the subject."""
    t = _subject_category(ctx, year_teachers(ctx))
    t = t.filter(t.birth_year.notnull())
    limit = lit_int(ctx.year.start_year) + ctx.param("horizon_years") - ctx.param("retirement_age")
    cols = {"staff": one(), "near_retirement": flag(t.birth_year <= limit)}
    return t.select("institution", *(["category"] if "category" in t.columns else []), **cols)


@measure(
    "qualified_staff",
    sources=("staff",),
    columns={"staff": STAFF_PROFILE},
    measures=("staff", "qualified"), dims=("category",),
    institution_local=True,
)
def qualified_staff(ctx: BuildContext) -> ir.Table:
    """One row per person whose qualification is known; `qualified` is 1 when they hold the qualification their
    posts require. The category, when the indicator has one, is the subject."""
    t = _subject_category(ctx, year_teachers(ctx))
    t = t.filter(t.qualified.notnull())
    cols = {"staff": one(), "qualified": t.qualified}
    return t.select("institution", *(["category"] if "category" in t.columns else []), **cols)


@measure(
    "teacher_workload",
    sources=("staff",),
    columns={"staff": STAFF_BASE},
    measures=("staff", "workload"),
    institution_local=False,
)
def teacher_workload(ctx: BuildContext) -> ir.Table:
    """One row per person and institution; `workload` is the sum of the FTE of all the person's positions active
    in the year, at every institution (a person working at two schools counts at each, with their whole
    workload)."""
    t = year_teachers(ctx)
    return t.select("institution", staff=one(), workload=t.workload)


@measure(
    "subject_shortage",
    sources=("staff", "vacancies"),
    columns={"staff": STAFF_PROFILE, "vacancies": TEACHER_VACANCY},
    measures=("staff", "vacancies"), dims=("category",),
    institution_local=True,
)
def subject_shortage(ctx: BuildContext) -> ir.Table:
    """Per subject (the category, or all subjects together): the people of known subject (`staff`) and the
    vacancies of the year's file (as filtered by the spec) of known subject that were open during the school
    year (opened ≤ 31 August, unfilled or filled ≥ 1 September; `vacancies`)."""
    t = year_teachers(ctx)
    t = t.filter(t.subject.notnull())
    v = with_optional_columns(ctx.year_rows("vacancies"), "vacancies")
    v = v.group_by(["vacancy_id", "institution"]).aggregate(
        opened=v.opened.min(), filled=v.filled.max(), subject=v.subject.max())
    v = v.filter(v.subject.notnull() & (v.opened <= lit_date(ctx.year.end))
                 & (v.filled.isnull() | (v.filled >= lit_date(ctx.year.start))))
    zero = ibis.literal(0, type="int64")
    return union_all([
        t.select("institution", category=t.subject, staff=one(), vacancies=zero),
        v.select("institution", category=v.subject, staff=zero, vacancies=one()),
    ])


@measure(
    "vacancy_days_open",
    sources=("vacancies",),
    columns={"vacancies": ("vacancy_id", "institution", "position", "opened", "filled")},
    measures=("days", "vacancies"), dims=("category",),
    institution_local=True,
)
def vacancy_days_open(ctx: BuildContext) -> ir.Table:
    """One row per vacancy overlapping the year (as vacancies_open_longer_than); `days` = filled − opened, or 31
    August of the school year − opened while unfilled. Category: position."""
    v = vacancies_in_year(ctx)
    days = v.filled.fill_null(lit_date(ctx.year.end)).delta(v.opened, unit="day")
    return v.select("institution", category=v.position, days=days.cast("int64"), vacancies=one())



# --- graduates (issue 15) -------------------------------------------------------------------------------------


#: The category of a further-study graduate whose field is not reported: never dropped, shown as such.
UNKNOWN_FIELD = "unknown"


@measure(
    "graduate_study_fields",
    sources=("graduates",),
    columns={"graduates": ("institution", "level", "destination", "field")},
    measures=("graduates", "to_field"), dims=("level", "category"), required_dims=("category",),
    institution_local=True,
)
def graduate_study_fields(ctx: BuildContext) -> ir.Table:
    """Every graduate going on to further study (general secondary, vocational or higher education) × every
    ISCED-F broad field and `unknown`; `to_field` is 1 for the graduate's own field (`unknown` where the field is
    empty), so each category's denominator is all the graduates going on to study. The category is the field."""
    g = ctx.year_rows("graduates")
    g = g.filter(g.destination.isin(list(STUDY_DESTINATIONS)))
    own = g.field.fill_null(UNKNOWN_FIELD)
    return union_all([
        g.select("institution", "level", category=lit_str(f), graduates=one(), to_field=flag(own == f))
        for f in (*STUDY_FIELDS, UNKNOWN_FIELD)
    ])


# --- support to continue studies (issue 15) -----------------------------------------------------------------------

#: Where a basic-education graduate was found the next school year (the category of `basic_to_secondary`).
TRANSITIONS = ("general_secondary", "vocational", "not_found")


def _next_year_enrolments(ctx: BuildContext) -> tuple[ir.Table, ir.Table]:
    """The next school year's enrolments (every institution, no filters) and a one-row table `next_rows` with
    their number: a builder joins it and keeps rows only where it is above 0, so that a year whose next year has
    no enrolments yet gives no value (no data), never 0."""
    nxt = ctx._year("enrolments", SchoolYear(ctx.year.start_year + 1))
    return nxt, nxt.aggregate(next_rows=ibis._.count())


@measure(
    "basic_to_secondary",
    sources=("graduates", "enrolments"),
    columns={"graduates": ("learner_id", "institution", "level"), "enrolments": ("learner_id", "level")},
    measures=("graduates", "to_category"), dims=("category",), required_dims=("category",),
)
def basic_to_secondary(ctx: BuildContext) -> ir.Table:
    """Every basic-education graduate of the year (graduates.level = basic) × the categories of TRANSITIONS:
    `to_category` is 1 for general_secondary when the learner has an enrolment of level secondary anywhere in
    the next school year's partition, else for vocational when one of level vocational, else for not_found. No
    rows (no data) while the next school year has no enrolments. The graduate's institution is the unit."""
    g = ctx.year_rows("graduates")
    g = g.filter(g.level == "basic")
    nxt, count = _next_year_enrolments(ctx)
    found = nxt.group_by("learner_id").aggregate(
        sec=flag(nxt.level == "secondary").max(), voc=flag(nxt.level == "vocational").max())
    j = left_join(g.select("learner_id", "institution"), found, ["learner_id"]).cross_join(count)
    j = j.filter(j.next_rows > 0)
    sec, voc = j.sec.fill_null(0) == 1, j.voc.fill_null(0) == 1
    where = ibis.cases((sec, "general_secondary"), (voc, "vocational"), else_="not_found")
    return union_all([
        j.select("institution", category=lit_str(c), graduates=one(), to_category=flag(where == c))
        for c in TRANSITIONS
    ])


@measure(
    "early_leavers",
    sources=("enrolments", "graduates"),
    columns={"enrolments": (*ENROLMENT_COLUMNS, "end_date"), "graduates": ("learner_id",)},
    measures=("learners", "early_leavers"), dims=("level",),
)
def early_leavers(ctx: BuildContext) -> ir.Table:
    """One row per learner at an institution in the year (the latest enrolment there, as filtered by the spec):
    `early_leavers` is 1 when that enrolment ended within the school year (1 September – 31 August), the
    learner is not in the year's graduates (any level, any institution) and has no enrolment anywhere in the
    next school year's partition. No rows (no data) while the next school year has no enrolments."""
    e = ctx.enrolments()
    graduates = ctx.year_rows("graduates", filtered=False)
    graduated = graduates.select("learner_id").distinct().mutate(graduated=lit_int(1))
    nxt, count = _next_year_enrolments(ctx)
    later = nxt.select("learner_id").distinct().mutate(enrolled_next=lit_int(1))
    j = left_join(left_join(e, graduated, ["learner_id"]), later, ["learner_id"]).cross_join(count)
    j = j.filter(j.next_rows > 0)
    ended = j.end_date.notnull() & (j.end_date >= lit_date(ctx.year.start)) & (j.end_date <= lit_date(ctx.year.end))
    left = ended & j.graduated.isnull() & j.enrolled_next.isnull()
    return j.select("institution", "level", learners=one(), early_leavers=flag(left))


@measure(
    "special_programme_learners",
    sources=("enrolments",),
    columns={"enrolments": (*ENROLMENT_COLUMNS, "special")},
    measures=("learners", "special_learners"), dims=("level",),
    institution_local=True,
)
def special_programme_learners(ctx: BuildContext) -> ir.Table:
    """One row per learner at an institution in the year; `special_learners` is 1 when the learner's latest
    enrolment there is in a special education programme (enrolments.special)."""
    e = ctx.enrolments()
    return e.select("institution", "level", learners=one(), special_learners=flag(e.special))


#: The category of a graduate whose programme is not reported (graduate_programme_destinations).
UNKNOWN_PROGRAMME = "unknown"


@measure(
    "graduate_programme_destinations",
    sources=("graduates",),
    columns={"graduates": ("institution", "level", "destination", "programme_code")},
    measures=("graduates", "to_destination"), dims=("level", "category"), required_dims=("category",),
    institution_local=True,
)
def graduate_programme_destinations(ctx: BuildContext) -> ir.Table:
    """Every graduate × every destination, the category being `<programme code>|<destination>` (`unknown` for a
    graduate without a programme): `to_destination` is 1 for the graduate's own destination, so each category's
    denominator is the graduates of that programme."""
    g = ctx.year_rows("graduates")
    programme = g.programme_code.fill_null(UNKNOWN_PROGRAMME)
    return union_all([
        g.select("institution", "level", category=programme.concat(lit_str(f"|{d}")), graduates=one(),
                 to_destination=flag(g.destination == d))
        for d in DESTINATIONS
    ])


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


# --- EQAVET ----------------------------------------------------------------------------------------------------

#: The destinations EQAVET indicator 5 counts as placed: employment or further study.
PLACED_DESTINATIONS = ("employment", *STUDY_DESTINATIONS)


@measure(
    "graduate_placement",
    sources=("graduates",),
    columns={"graduates": ("institution", "level", "destination")},
    measures=("graduates", "placed"), dims=("level",),
    institution_local=True,
)
def graduate_placement(ctx: BuildContext) -> ir.Table:
    """One row per graduate (as filtered by the spec); `placed` is 1 when the graduate works or studies further
    the following autumn (PLACED_DESTINATIONS; unknown, abroad and other destinations are not placed)."""
    g = ctx.year_rows("graduates")
    return g.select("institution", "level", graduates=one(), placed=flag(g.destination.isin(PLACED_DESTINATIONS)))
