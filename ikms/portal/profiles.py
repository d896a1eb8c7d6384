"""Public school profiles: what anyone may see of a school's indicators, with statistical disclosure control.

`public_indicators()` is the **single source** of every indicator figure the public sees: the profile page,
the comparison page, their CSV/XLSX exports and the public API all serialize what it returns, and nothing
else reads `IndicatorValue` for the public. Numerators and denominators never leave this module; a hidden
figure leaves it as `Figure(value=None, hidden=True)`, so no template, export or serializer can show it.

Disclosure rules (also in docs/data/disclosure.md):

1. **At least 5 learners.** A figure is hidden when the engine stored it as `suppressed`, or when the
   number of learners it is computed from is below 5. Which stored number counts the learners depends on
   the indicator (`KeyIndicator.base`): the value itself (learners enrolled), the numerator (average class
   size, learners per teacher: learners in classes / enrolled), the denominator (exam takers, learners with
   marks, graduates, learners for support staff and absences) or, for the share of combined classes, the
   school's learners enrolled that year. A figure whose base is unknown is hidden.
2. **No counts of 1–4.** Learners enrolled is hidden below 5. A share of learners (learners with an average
   mark of 7 or more, a graduate destination, long-term unexcused absentees) is hidden when the learners it
   counts, or the learners it leaves out (denominator − numerator), number 1 to 4: with the school's other
   figures either could be turned back into a count under 5. A share of 0 or 100 % is shown.
3. **Complementary suppression.** Parts of one whole (a school's graduate destinations of one level in one
   year) form a partition group. If exactly one part is hidden, or the hidden parts together count fewer
   than 5 learners, the smallest part still shown (with at least one learner) is hidden too, and so on until
   neither holds or every such part is hidden. So no hidden part can be worked out as 100 % minus the others,
   and the hidden parts' sum is never a count under 5.
4. **Rates, not counts.** Only rates and means rounded to 1 decimal are published, and learners enrolled as
   a whole number. Numerators and denominators are never published.
5. **National comparisons only as rounded rates.** Beside a school's figure stands the national rate or
   mean of the same year, rounded to 1 decimal and put through the same rules. No national or municipal
   count is published, so a hidden school cannot be obtained by subtracting the shown ones from a total.

Hidden figures read "fewer than 5 learners" ("mazāk nekā 5 izglītojamie"), also where rule 3 hid a larger
part, so that the primary hidden part cannot be told apart from its complement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics import disclosure
from analytics.lake.schemas import STUDY_FIELDS
from ikms.monitoring import selectors as monitoring
from ikms.monitoring.labels import category_label, field_label, level_label, semester_label
from ikms.monitoring.models import Grain, IndicatorValue
from ikms.portal import search
from ikms.registry import selectors as registry
from ikms.registry.models import Accreditation, Institution, Programme

MIN_LEARNERS = 5
TREND_YEARS = 5
MAX_COMPARED = 3

HIDDEN_TEXT = _("fewer than 5 learners")
MAX_COMPARED_MESSAGE = _("You can compare at most three schools at a time; you chose %(n)s.")
NO_DATA_TEXT = pgettext_lazy("indicator value", "no data")

SECTIONS = {
    "school": _("Learners, classes and staff"),
    "results": _("Marks and examinations"),
    "graduates": _("Graduates' destinations"),
    "absences": _("Long-term unexcused absences"),
    "graduate_fields": _("Fields of further study"),
    "diagnostics": _("Diagnostic assessments"),
    "wellbeing": _("Well-being survey"),
}
#: The short name of each diagnostic assessment (issue 15): chart axes and table rows of the profile.
DIAGNOSTIC_GRADES = {"preschool": _("Pre-school"), "grade3": _("Grade 3"), "grade6": _("Grade 6")}

#: The derived indicator: long-term unexcused absentees of all levels as a share of the learners enrolled.
ABSENTEE_SHARE = "long_term_unexcused_absentees_share"
EXAM_ORDER = ("LAT9", "MAT9", "ENG9", "LAT", "MAT", "ENG")
LEVEL_ORDER = ("preschool", "basic", "secondary", "vocational")
DESTINATION_ORDER = ("general_secondary", "vocational", "higher_education", "employment", "abroad",
                     "repeat_or_other", "unknown")
FIELD_ORDER = (*STUDY_FIELDS, "unknown")


@dataclass(frozen=True)
class KeyIndicator:
    """One indicator of the public profile and how its disclosure is decided."""

    code: str
    section: str
    unit: str  # "%" or "" (shown after the name)
    base: str  # where the learners it is computed from are counted: value, numerator, denominator, enrolled
    share_of_learners: bool = False  # rule 2: the numerator and its complement are counts of learners
    partition: bool = False  # rule 3: the categories of one (year, level, semester) add up to a whole
    count: bool = False  # published as a whole number, no national comparison
    national: bool = True


KEY_INDICATORS: tuple[KeyIndicator, ...] = (
    KeyIndicator("learners_enrolled", "school", "", base="value", count=True, national=False),
    KeyIndicator("average_class_size", "school", "", base="numerator"),
    KeyIndicator("learners_per_teacher", "school", "", base="numerator"),
    KeyIndicator("support_staff_per_100_learners", "school", "", base="denominator"),
    KeyIndicator("combined_classes_share", "school", "%", base="enrolled"),
    KeyIndicator("learners_average_7_or_more_basic", "results", "%", base="denominator", share_of_learners=True),
    KeyIndicator("learners_average_7_or_more_secondary", "results", "%", base="denominator",
                 share_of_learners=True),
    KeyIndicator("exam_mean_score", "results", "%", base="denominator"),
    KeyIndicator("graduate_destinations", "graduates", "%", base="denominator", share_of_learners=True,
                 partition=True),
    KeyIndicator(ABSENTEE_SHARE, "absences", "%", base="denominator", share_of_learners=True),
    KeyIndicator("graduate_study_fields", "graduate_fields", "%", base="denominator", share_of_learners=True,
                 partition=True),
    # issue 15: the mean diagnostic score of each assessment by domain; base: the pupils assessed in the domain
    *(KeyIndicator(f"diagnostic_mean_score_{g}", "diagnostics", "%", base="denominator") for g in DIAGNOSTIC_GRADES),
    # the well-being index (mean answer 1–5) of pupils and of teachers; base: the respondents
    KeyIndicator("wellbeing_pupil_index", "wellbeing", "", base="denominator"),
    KeyIndicator("wellbeing_teacher_index", "wellbeing", "", base="denominator"),
)
KEY = {k.code: k for k in KEY_INDICATORS}
#: What is read from the engine's results (the derived share is computed from the absentee counts).
STORED_INDICATORS = [k.code for k in KEY_INDICATORS if k.code != ABSENTEE_SHARE] + ["long_term_unexcused_absentees"]


# --- the published figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One published figure: a rounded value, "no data" (value None) or hidden (value None, hidden True)."""

    value: float | int | None
    hidden: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        if self.hidden:
            return str(HIDDEN_TEXT)
        if self.value is None:
            return str(NO_DATA_TEXT)
        if isinstance(self.value, int):
            return number_format(self.value, force_grouping=True)
        return number_format(self.value, decimal_pos=1)

    @property
    def export(self) -> float | int | str:
        """The cell of a CSV/XLSX export: the number, or the marker text."""
        return self.value if self.value is not None else self.text


NO_DATA = Figure(None)
HIDDEN = Figure(None, hidden=True)


def _round(value: float, places: int) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _published(spec: KeyIndicator, value: float | None) -> Figure:
    if value is None:
        return NO_DATA
    return Figure(int(_round(value, 0))) if spec.count else Figure(_round(value, 1))


@dataclass(frozen=True)
class _Stored:
    """A stored (or derived) value with the numbers the rules need; never leaves this module."""

    key: tuple[str, int | None, str, str]  # indicator, semester, level, category
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool


def _small(n: float | None) -> bool:
    """A count of 1 to 4 learners (0 is publishable): the one rule of analytics/disclosure.py."""
    return disclosure.is_small(n, MIN_LEARNERS)


def _primary_hidden(spec: KeyIndicator, s: _Stored, enrolled: float | None) -> bool:
    """Rules 1 and 2 for one value (rule 3 needs the whole partition group)."""
    if s.value is None:
        return False
    if s.suppressed:
        return True
    base = {"value": s.value, "numerator": s.numerator, "denominator": s.denominator, "enrolled": enrolled}[spec.base]
    if base is None or round(base, 6) < MIN_LEARNERS:
        return True
    if spec.share_of_learners:
        if s.numerator is None or s.denominator is None:
            return True
        if _small(s.numerator) or _small(s.denominator - s.numerator):
            return True
    return False


def _complementary(parts: list[_Stored], hidden: set[int]) -> set[int]:
    """Rule 3 on one partition group: indices of the parts to hide (the primary ones included); the secondary
    suppression of analytics/disclosure.py (`complementary`)."""
    return disclosure.complementary([p.numerator for p in parts], hidden, MIN_LEARNERS)


def _disclose(values: Iterable[_Stored], enrolled: float | None) -> dict[tuple, Figure]:
    """The published figure of each value of one unit in one school year (rules 1–4)."""
    out: dict[tuple, Figure] = {}
    groups: dict[tuple, list[_Stored]] = defaultdict(list)
    for s in values:
        spec = KEY[s.key[0]]
        if spec.partition:
            groups[(s.key[0], s.key[1], s.key[2])].append(s)
        else:
            out[s.key] = HIDDEN if _primary_hidden(spec, s, enrolled) else _published(spec, s.value)
    for (code, _semester, _level), parts in groups.items():
        spec = KEY[code]
        primary = {i for i, p in enumerate(parts) if _primary_hidden(spec, p, enrolled)}
        hide = _complementary(parts, primary)
        for i, p in enumerate(parts):
            out[p.key] = HIDDEN if i in hide else _published(spec, p.value)
    return out


def _absentee_shares(rows: Iterable[monitoring.Value]) -> list[_Stored]:
    """Long-term unexcused absentees of all levels per semester, as a share of the learners of those levels."""
    sums: dict[int | None, list[float]] = defaultdict(lambda: [0.0, 0.0])
    unknown: set[int | None] = set()
    for v in rows:
        if v.numerator is None or v.denominator is None:
            unknown.add(v.semester)
            continue
        sums[v.semester][0] += v.numerator
        sums[v.semester][1] += v.denominator
    out = []
    for semester, (num, den) in sums.items():
        known = semester not in unknown
        out.append(_Stored(key=(ABSENTEE_SHARE, semester, "", ""),
                           value=100 * num / den if den else None,
                           numerator=num if known else None, denominator=den if known else None,
                           suppressed=False))
    return out


def _stored(rows: Iterable[monitoring.Value]) -> tuple[list[_Stored], float | None]:
    """The key values of one unit in one year (absentees turned into a share) and its learners enrolled."""
    out, absentees, enrolled = [], [], None
    for v in rows:
        if v.indicator == "long_term_unexcused_absentees":
            absentees.append(v)
            continue
        if v.indicator not in KEY:
            continue
        if v.indicator == "learners_enrolled" and not v.semester and not v.level and not v.category:
            enrolled = v.value
        out.append(_Stored(key=v.key, value=v.value, numerator=v.numerator, denominator=v.denominator,
                           suppressed=v.suppressed))
    return out + _absentee_shares(absentees), enrolled


# --- rows of the profile -------------------------------------------------------------------------------------


def _order(key: tuple) -> tuple:
    code, semester, level, category = key
    index = [k.code for k in KEY_INDICATORS].index(code)
    order = {"exam_mean_score": EXAM_ORDER, "graduate_study_fields": FIELD_ORDER}.get(code, DESTINATION_ORDER)
    return (index, LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level,
            semester or 0, order.index(category) if category in order else len(order), category)


@dataclass
class ProfileRow:
    """One key indicator (one breakdown) of a school: its published figure per school year and the nation's."""

    indicator: str
    semester: int | None
    level: str
    category: str
    school: dict[str, Figure] = field(default_factory=dict)
    nation: dict[str, Figure] = field(default_factory=dict)

    @property
    def spec(self) -> KeyIndicator:
        return KEY[self.indicator]

    @property
    def section(self) -> str:
        return self.spec.section

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def sort_key(self) -> tuple:
        return (self.indicator, self.semester, self.level, self.category)

    @property
    def key(self) -> str:
        """A stable identifier of the row, e.g. `exam_mean_score:::MAT9` or `graduate_destinations:basic::abroad`."""
        return f"{self.indicator}:{self.level}:{self.semester or ''}:{self.category}"

    @property
    def name(self) -> str:
        if self.indicator == ABSENTEE_SHARE:
            return str(_("Long-term unexcused absentees, share of learners"))
        info = monitoring.indicators().get(self.indicator)
        return info.name if info else self.indicator

    @property
    def breakdown(self) -> str:
        category = field_label(self.category) if self.indicator == "graduate_study_fields" else category_label(
            self.category)
        return " · ".join(p for p in (level_label(self.level), semester_label(self.semester), category) if p)

    @property
    def label(self) -> str:
        """'Mean score of mandatory exams · Mathematics (grade 9), %': tables, exports and the API."""
        text = " · ".join(p for p in (self.name, self.breakdown) if p)
        return f"{text}, {self.unit}" if self.unit else text

    @property
    def table_label(self) -> str:
        """The row header in a section's table (the section's heading names the level of destinations)."""
        if self.indicator == "graduate_destinations" and self.category:
            return f"{category_label(self.category)}, {self.unit}"
        if self.indicator == "graduate_study_fields" and self.category:
            return f"{field_label(self.category)}, {self.unit}"
        if self.indicator == "exam_mean_score" and self.category:
            return f"{self.name}: {category_label(self.category)}, {self.unit}"
        if self.diagnostic_grade:
            return f"{self.short_label}, {self.unit}"
        if self.indicator == ABSENTEE_SHARE:
            share = _("Share of learners")
            return f"{share} · {semester_label(self.semester)}, {self.unit}"
        return self.label

    @property
    def diagnostic_grade(self) -> str:
        """The assessment's short name for a diagnostic score ("Grade 3"), else ""."""
        prefix = "diagnostic_mean_score_"
        return str(DIAGNOSTIC_GRADES[self.indicator[len(prefix):]]) if self.indicator.startswith(prefix) else ""

    @property
    def short_label(self) -> str:
        """The breakdown alone where the section says the rest (exams, destinations): chart axes."""
        if self.diagnostic_grade:
            return f"{self.diagnostic_grade}: {category_label(self.category)}"
        if self.indicator in ("exam_mean_score", "graduate_destinations") and self.category:
            return category_label(self.category)
        if self.indicator == "graduate_study_fields" and self.category:
            return field_label(self.category)
        if self.indicator == ABSENTEE_SHARE:
            return semester_label(self.semester)
        return self.name

    def at(self, year: str | None) -> Figure:
        return self.school.get(year, NO_DATA) if year else NO_DATA

    def nation_at(self, year: str | None) -> Figure:
        return self.nation.get(year, NO_DATA) if year and self.spec.national else NO_DATA


@dataclass
class SchoolIndicators:
    """The published key indicators of one school over the school years held."""

    unit: str
    years: list[str]  # the school years shown, oldest first (up to TREND_YEARS, ending with `latest`)
    latest: str | None  # the latest school year with results for the school
    rows: list[ProfileRow]

    def section(self, code: str) -> list[ProfileRow]:
        return [r for r in self.rows if r.section == code]

    def row(self, key: str) -> ProfileRow | None:
        return next((r for r in self.rows if r.key == key), None)


def _current_values(years: Sequence[str], units: Sequence[str]) -> dict[tuple[str, str], list[monitoring.Value]]:
    """The current key values of some schools and of the nation in some years, in one query: {(grain, year): rows}.

    Current as `monitoring.selectors.values()` has it (one rule: `monitoring.current`), but read through the
    (school_year, indicator, grain, unit) index: filtering by run id, as `values()` does, makes SQLite scan the
    whole run (~27 ms a call at scale 1), and a profile needs two calls per year."""
    states = {y: now for y in years if (now := monitoring.current(y)) is not None}
    if not states or not units:
        return {}
    rows = (IndicatorValue.objects
            .filter(school_year__in=list(states), indicator__in=STORED_INDICATORS,
                    grain__in=[Grain.INSTITUTION, Grain.NATION], unit__in=[*units, monitoring.NATION])
            .values_list("run_id", "school_year", "grain", *monitoring.VALUE_FIELDS))
    schools = set(units)
    out: dict[tuple[str, str], list[monitoring.Value]] = {
        (grain, year): [] for year in states for grain in (Grain.INSTITUTION, Grain.NATION)}
    for run_id, year, grain, *fields in rows:
        value = monitoring.Value(*fields)
        if (grain == Grain.NATION or value.unit in schools) and states[year].holds(run_id, value.unit):
            out[(grain, year)].append(value)
    return out


@dataclass
class _Disclosed:
    years: list[str]  # every school year held, oldest first
    schools: dict[str, dict[str, dict[tuple, Figure]]]  # unit → year → key → figure
    nation: dict[str, dict[tuple, Figure]]  # year → key → figure


def _disclosed(units: Sequence[str]) -> _Disclosed:
    all_years = monitoring.school_years()
    current = _current_values(all_years, units)
    schools: dict[str, dict[str, dict[tuple, Figure]]] = {u: {} for u in units}
    nation: dict[str, dict[tuple, Figure]] = {}
    for year in all_years:
        per_unit: dict[str, list[monitoring.Value]] = defaultdict(list)
        for v in current.get((Grain.INSTITUTION, year), []):
            per_unit[v.unit].append(v)
        for unit, unit_rows in per_unit.items():
            stored, enrolled = _stored(unit_rows)
            if stored:
                schools[unit][year] = _disclose(stored, enrolled)
        stored, enrolled = _stored(current.get((Grain.NATION, year), []))
        nation[year] = _disclose(stored, enrolled)
    return _Disclosed(years=all_years, schools=schools, nation=nation)


def _row(key: tuple, school: dict[str, Figure], nation: dict[str, Figure]) -> ProfileRow:
    return ProfileRow(indicator=key[0], semester=key[1], level=key[2], category=key[3], school=school,
                      nation=nation if KEY[key[0]].national else {})


def public_indicators(units: Sequence[str]) -> dict[str, SchoolIndicators]:
    """THE source of the public's indicator figures: the disclosed key indicators of some schools (by registration
    number) in the school years held, with the national figures beside them. See the module docstring."""
    units = list(dict.fromkeys(units))
    data = _disclosed(units)
    out = {}
    for unit in units:
        figures = data.schools[unit]
        latest = max(figures) if figures else None
        years = [y for y in data.years if latest and y <= latest][-TREND_YEARS:]
        keys = sorted({k for y in years for k in figures.get(y, {})}, key=_order)
        rows = [_row(k, {y: figures.get(y, {}).get(k, NO_DATA) for y in years},
                     {y: data.nation.get(y, {}).get(k, NO_DATA) for y in years}) for k in keys]
        out[unit] = SchoolIndicators(unit=unit, years=years, latest=latest, rows=rows)
    return out


# --- profiles ------------------------------------------------------------------------------------------------


@dataclass
class Profile:
    """Everything the public profile of a school shows."""

    institution: Institution
    programmes: list[Programme]
    accreditation: Accreditation | None
    indicators: SchoolIndicators
    summary: dict | None  # monitoring.run_summary of the latest year with results

    @property
    def year(self) -> str | None:
        return self.indicators.latest

    @property
    def sections(self) -> list[tuple[str, str, list[ProfileRow]]]:
        """(code, title, rows) of each section with rows, in order."""
        return [(code, str(title), rows) for code, title in SECTIONS.items()
                if (rows := self.indicators.section(code))]


def _clean(text: str) -> str:
    """Free text from a URL, without the NUL characters PostgreSQL refuses."""
    return (text or "").replace("\x00", "").strip()


def profile_search(*, q: str = "", municipality: str = "", type: str = "") -> search.Found:
    """Institutions of the public register with a profile, found by name as people type it (case, diacritics,
    punctuation and word order ignored, one slip in a longer word forgiven: `ikms.portal.search`) or by registration
    number, and filtered by municipality and institution type codes; best matches first. Pages and API share it."""
    return search.Found(search.public_index().search(_clean(q)[:200], municipality=_clean(municipality),
                                                     type=_clean(type)))


def profile_get(*, registration_number: str) -> Profile:
    """The public profile of one institution of the public register, or 404."""
    if _clean(registration_number) != registration_number:
        raise Http404
    institution = registry.institution_public_get(registration_number=registration_number)
    indicators = public_indicators([institution.registration_number])[institution.registration_number]
    return Profile(
        institution=institution,
        programmes=list(institution.programmes.prefetch_related("places").order_by("status", "code")),
        accreditation=registry.accreditation_current(institution),
        indicators=indicators,
        summary=monitoring.run_summary(indicators.latest, user=None) if indicators.latest else None,
    )


@dataclass
class Comparison:
    """Up to three schools side by side in one school year (the latest any of them has results for)."""

    institutions: list[Institution]
    year: str | None
    rows: list[tuple[ProfileRow, list[Figure], Figure]]  # the row, each school's figure, the nation's
    summary: dict | None

    @property
    def sections(self) -> list[tuple[str, str, list[tuple[ProfileRow, list[Figure], Figure]]]]:
        return [(code, str(title), rows) for code, title in SECTIONS.items()
                if (rows := [r for r in self.rows if r[0].section == code])]


class CompareError(ValueError):
    """The schools asked for cannot be compared; the message says why (in the active language)."""


def profile_compare(*, registration_numbers: Sequence[str]) -> Comparison:
    """The key indicators of up to three schools of the public register side by side."""
    numbers = [_clean(n) for n in registration_numbers if _clean(n)]
    numbers = list(dict.fromkeys(numbers))
    if not numbers:
        raise CompareError(_("Choose up to three schools to compare."))
    if len(numbers) > MAX_COMPARED:
        raise CompareError(MAX_COMPARED_MESSAGE % {"n": len(numbers)})
    found = {i.registration_number: i for i in registry.institution_public_list().filter(
        registration_number__in=numbers)}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise CompareError(_("No school in the public register has the registration number %(numbers)s.") % {
            "numbers": ", ".join(unknown)})
    indicators = public_indicators(numbers)
    latest = [indicators[n].latest for n in numbers if indicators[n].latest]
    year = max(latest) if latest else None
    keyed: dict[str, ProfileRow] = {}
    for n in numbers:
        for row in indicators[n].rows:
            if year and (row.at(year).shown or row.at(year).hidden):
                keyed.setdefault(row.key, row)
    rows = []
    for key, row in sorted(keyed.items(), key=lambda item: _order(item[1].sort_key)):
        own = [(r.at(year) if (r := indicators[n].row(key)) else NO_DATA) for n in numbers]
        rows.append((row, own, row.nation_at(year)))
    return Comparison(institutions=[found[n] for n in numbers], year=year, rows=rows,
                      summary=monitoring.run_summary(year, user=None) if year else None)
