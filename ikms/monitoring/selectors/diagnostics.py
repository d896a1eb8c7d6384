"""Pupil diagnostics and well-being (issue 15, item 6): the tables of the tool page, read from the current values,
with the disclosure control of analytics/disclosure.py applied (primary: fewer than 5 pupils or respondents;
secondary: no hidden cell can be worked out from the area's total row shown under the table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from analytics import disclosure
from analytics.lake.schemas import DIAGNOSTIC_DOMAINS
from analytics.surveys import wellbeing_questions
from ikms.monitoring.models import Grain
from ikms.monitoring.selectors.indicator_values import Value, values

GRADES = ("preschool", "grade3", "grade6")
#: The domains assessed in each grade (science only in grade 6): the other cells are not applicable ([z]).
GRADE_DOMAINS = {"preschool": ("numeracy", "literacy"), "grade3": ("numeracy", "literacy"),
                 "grade6": DIAGNOSTIC_DOMAINS}
ROLES = ("pupil", "teacher")
#: The existing indicators shown beside the diagnostics: daily marks and state exams (grade 9).
MARKS = "learners_average_7_or_more_basic"
EXAMS = "exam_mean_score"
EXAM_CODES = ("LAT9", "MAT9")


def mean_indicator(grade: str) -> str:
    return f"diagnostic_mean_score_{grade}"


def below_indicator(grade: str) -> str:
    return f"diagnostic_below_threshold_{grade}"


def index_indicator(role: str) -> str:
    return f"wellbeing_{role}_index"


def favourable_indicator(role: str) -> str:
    return f"wellbeing_{role}_favourable"


@dataclass(frozen=True)
class Cell:
    """A published figure: a value, or a marker of analytics/disclosure.py ([c] hidden, [x] no data, [z] not
    applicable) and no value."""

    value: float | None
    marker: str = ""
    count: float | None = None  # pupils or respondents (never shown where the cell is hidden)

    @property
    def export(self) -> float | str:
        return self.marker if self.value is None else self.value


NOT_APPLICABLE = Cell(None, disclosure.NOT_APPLICABLE)
NO_DATA = Cell(None, disclosure.NOT_AVAILABLE)
HIDDEN = Cell(None, disclosure.CONFIDENTIAL)


@dataclass
class Row:
    code: str  # unit code (registration number, municipality code, LV)
    name: str
    cells: list[Cell] = field(default_factory=list)
    total: bool = False


@dataclass
class Table:
    columns: list[str]  # codes (domains, roles, indicators)
    rows: list[Row]  # the sub-units, then the area's row (its total)


def _cell(v: Value | None) -> Cell:
    if v is not None and v.suppressed:
        return HIDDEN
    if v is None or v.value is None:
        return NO_DATA
    return Cell(v.value, count=v.denominator)


def _disclosed(table: dict[tuple[str, str], Value | None], units: Sequence[str], total: str,
               columns: Sequence[str], applicable: Sequence[str]) -> dict[tuple[str, str], Cell]:
    """Cells of a table of sub-units × columns with the area's row as the column totals, after primary (engine
    suppressed, 1–4 people) and secondary suppression (analytics.disclosure.suppress_table)."""
    counts, primary = {}, set()
    for u in units:
        for c in applicable:
            v = table.get((u, c))
            counts[(u, c)] = v.denominator if v is not None and v.denominator is not None else 0
            if v is not None and v.suppressed:
                primary.add((u, c))
    for c in applicable:
        v = table.get((total, c))
        if v is not None and v.suppressed:
            primary.add((disclosure.TOTAL, c))
    hidden = disclosure.suppress_table(counts, row_totals=False, primary=primary) if units else set(
        (disclosure.TOTAL, c) for c in applicable if (disclosure.TOTAL, c) in primary
        or disclosure.is_small(getattr(table.get((total, c)), "denominator", None)))
    out = {}
    for u in [*units, total]:
        key_u = disclosure.TOTAL if u == total else u
        for c in columns:
            if c not in applicable:
                out[(u, c)] = NOT_APPLICABLE
            elif (key_u, c) in hidden:
                out[(u, c)] = HIDDEN
            else:
                out[(u, c)] = _cell(table.get((u, c)))
    return out


def _read(year: str, grain: str, *, unit: str, sub_grain: str | None, units: Sequence[str],
          indicators: Sequence[str]) -> list[Value]:
    rows = values(year=year, grain=grain, units=[unit], indicators_=indicators)
    if sub_grain and units:
        rows += values(year=year, grain=sub_grain, units=units, indicators_=indicators)
    return rows


@dataclass
class DiagnosticsPage:
    grade: str
    diagnostics: Table  # sub-units × domains of the grade (mean score), then the area
    below: Table  # the same, share below the threshold
    compare: Table  # sub-units × [marks, LAT9, MAT9]: beside the diagnostics
    wellbeing: Table  # sub-units × roles (index), then the area
    questions: list[tuple[str, str, Cell]]  # the area's favourable share per question: code, text, cell
    has_data: bool


def diagnostics_page(*, year: str, grain: str, unit: str, unit_name: str, sub_grain: str | None,
                     sub_units: Sequence[tuple[str, str]], grade: str, lang: str) -> DiagnosticsPage:
    """The tool's tables for the nation (sub-units: municipalities) or a municipality (its institutions the user
    may see), in two queries."""
    codes = [c for c, _ in sub_units]
    names = dict(sub_units)
    indicators = [mean_indicator(grade), below_indicator(grade), MARKS, EXAMS,
                  *[index_indicator(r) for r in ROLES], *[favourable_indicator(r) for r in ROLES]]
    rows = _read(year, grain, unit=unit, sub_grain=sub_grain, units=codes, indicators=indicators)
    by: dict[tuple[str, str, str], Value] = {(v.indicator, v.unit, v.category): v for v in rows}
    order = [*codes, unit]

    def table(indicator_of, columns, applicable, disclose=True) -> Table:
        cells = {(u, c): by.get((indicator_of(c), u, _category(c))) for u in order for c in columns}
        if disclose:
            shown = _disclosed(cells, codes, unit, columns, applicable)
        else:
            shown = {k: _cell(v) for k, v in cells.items()}
        return Table(list(columns), [Row(u, names.get(u, unit_name), [shown[(u, c)] for c in columns],
                                         total=u == unit) for u in order])

    domains = GRADE_DOMAINS[grade]
    diag = table(lambda c: mean_indicator(grade), DIAGNOSTIC_DOMAINS, domains)
    below = table(lambda c: below_indicator(grade), DIAGNOSTIC_DOMAINS, domains)
    compare_cols = [MARKS, *[f"{EXAMS}:{e}" for e in EXAM_CODES]]
    compare = table(lambda c: c.split(":")[0], compare_cols, compare_cols, disclose=False)
    well = table(index_indicator, ROLES, ROLES)
    questions = []
    for code, q in wellbeing_questions().items():
        v = by.get((favourable_indicator(q.role), unit, code))
        cell = HIDDEN if v is not None and (v.suppressed or disclosure.is_small(v.denominator)) else _cell(v)
        questions.append((code, q.text(lang), cell))
    has_data = any(v.indicator.startswith(("diagnostic_", "wellbeing_")) for v in rows)
    return DiagnosticsPage(grade, diag, below, compare, well, questions, has_data)


def _category(column: str) -> str:
    """The category of a column's value: the domain, the exam code after ':', none for roles and marks."""
    if column in DIAGNOSTIC_DOMAINS:
        return column
    return column.split(":")[1] if ":" in column else ""


def area_grains(grain: str) -> str | None:
    """The grain of the rows under an area: municipalities under the nation, institutions under a municipality."""
    return {Grain.NATION: Grain.MUNICIPALITY, Grain.MUNICIPALITY: Grain.INSTITUTION}.get(grain)
