"""Typed indicator and risk-rule specifications (what the YAML under analytics/definitions declares)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Scalar = str | int | float | bool | dt.date
FilterValue = Scalar | tuple[Scalar, ...]

GRAIN_UNITS = ("institution", "municipality", "nation")
GRAIN_DIMS = ("semester", "level")
INDICATOR_TYPES = ("count", "ratio", "mean", "share_of_units")
RULE_OPERATORS = (">", ">=", "<", "<=", "==", "between")
FILTER_OPERATORS = ("==", "!=", "in", "not_in", ">", ">=", "<", "<=", "between")
RELATIVE_TO_NATION = ("difference", "ratio", "shortfall")
PERIODS = ("previous", "current")
COMBINE_MODES = ("all", "any")
IMPORTANCE = ("low", "medium", "high")
PERIOD_TYPES = ("school_year",)
EVIDENCE_FIELDS = ("value", "numerator", "denominator", "semester", "level", "category")
#: Evidence fields that are quantities (they may have a unit); the others are a number or a code.
EVIDENCE_QUANTITIES = ("value", "numerator", "denominator")
#: What an evidence sentence may name besides the rule's parameters and evidence fields.
EVIDENCE_EXTRA = ("year",)
LANGUAGES = ("lv", "en")
#: The plural categories (CLDR) of each language, as unit forms name them (analytics/spec/texts.py).
PLURAL_CATEGORIES = {"lv": ("zero", "one", "other"), "en": ("one", "other")}
DEFAULT_MIN_DENOMINATOR = 5
#: Field metadata of a spec key added after the definitions were first versioned: the key enters a definition's
#: version (analytics/spec/loader.py `content_hash`) only when it is set, so adding it leaves the versions of the
#: definitions that do not use it unchanged.
HASHED_WHEN_SET = "hashed_when_set"

#: Institution type codes of the register (ikms/registry/data/institution_types.yaml, `types`);
#: a test keeps the two in step. Rules and share-of-units indicators may only name these.
INSTITUTION_TYPES = (
    "preschool", "preschool_consultative", "primary", "basic", "secondary", "gymnasium", "state_gymnasium",
    "extramural_secondary", "evening_secondary", "social_correction", "special_basic", "special_secondary",
    "boarding_development_centre", "vocational_secondary", "vocational_competence_centre", "trade_school",
    "vocational_basic", "music_school", "art_school", "music_art_school", "dance_school", "sports_school",
    "continuing_vocational", "interest", "adult", "university", "academy", "college", "college_branch",
    "university_branch", "foreign_university_branch",
)


@dataclass(frozen=True)
class Text:
    """A text in Latvian (primary) and English."""

    lv: str
    en: str

    def of(self, lang: str) -> str:
        """The text in `lang` ("lv" or "en")."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        return str(getattr(self, lang))


@dataclass(frozen=True)
class Condition:
    """`<dataset>.<column> <op> <value>` on the rows of one dataset."""

    dataset: str
    column: str
    op: str
    value: FilterValue


@dataclass(frozen=True)
class Filter:
    """Rows where every condition holds are kept, or, when `exclude`, dropped."""

    conditions: tuple[Condition, ...]
    exclude: bool = False

    @property
    def dataset(self) -> str:
        return self.conditions[0].dataset


@dataclass(frozen=True)
class MeasureSignature:
    """What a registered measure builder reads and offers; specs are validated against it."""

    name: str
    unit: str  # finest unit of its rows: "institution" or "municipality"
    sources: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]  # dataset -> columns the builder reads
    measures: tuple[str, ...]
    dims: tuple[str, ...]  # breakdowns its rows carry: semester, level, category
    required_dims: tuple[str, ...]  # breakdowns that may not be summed away (a learner counts once per value)
    params: Mapping[str, type]  # parameter -> expected type (int/float accept both)
    revision: int = 1  # bump when the builder's logic changes: it enters every spec version built on it
    #: Groups of sources that stand in for each other: an institution's rows come from any one of them (e.g.
    #: per-learner `exams` or the published per-institution `exam_results`), so its data count as received
    #: when any source of the group was received. Specs list every source; filters on them must agree.
    alternatives: tuple[tuple[str, ...], ...] = ()


def requirement_groups(sources: Sequence[str],
                       alternatives: Sequence[Sequence[str]] = ()) -> tuple[tuple[str, ...], ...]:
    """What must have been received for `sources`, as groups of which any one source suffices: each group of
    `alternatives` (limited to `sources`) in place of its first member, every other source alone."""
    groups: list[tuple[str, ...]] = []
    for source in sources:
        group = next((tuple(s for s in g if s in sources) for g in alternatives if source in g), (source,))
        if group not in groups:
            groups.append(group)
    return tuple(groups)


@dataclass(frozen=True)
class Indicator:
    """An indicator. `name`, `description` and `technical` are templates naming its numeric `params`
    (analytics/spec/texts.py renders them with the units in `param_units`): the name and description are plain
    words for the people who read the pages, the optional technical note is the exact definition for a
    specialist (data fields and codes allowed)."""

    code: str
    name: Text
    description: Text
    type: str
    sources: tuple[str, ...]
    grain: tuple[str, ...]  # units among GRAIN_UNITS
    dims: tuple[str, ...]  # among GRAIN_DIMS, plus "category" when the indicator has a category
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    factor: float = 1
    category: str | None = None  # what the category column holds (reason, status, exam ...)
    filters: tuple[Filter, ...] = ()
    params: Mapping[str, Scalar] = field(default_factory=dict)
    min_denominator: int = DEFAULT_MIN_DENOMINATOR
    relative_to_nation: str | None = None
    rule: str | None = None  # share_of_units: the rule whose flags are counted
    institution_types: tuple[str, ...] = ()  # share_of_units: the group of institutions
    technical: Text | None = None
    param_units: Mapping[str, Unit] = field(default_factory=dict)  # how the texts show a parameter's value
    version: str = ""
    path: str = ""

    def filters_on(self, dataset: str) -> tuple[Filter, ...]:
        return tuple(f for f in self.filters if f.dataset == dataset)


@dataclass(frozen=True)
class Unit:
    """How a number is shown in texts: per language, a form per plural category (or one form for every number);
    `#` in a form stands for the number, a form without it follows the number after a space."""

    code: str
    forms: Mapping[str, Mapping[str, str]]  # language -> plural category -> form
    digits: int = 1  # decimals shown for a number that is not whole


@dataclass(frozen=True)
class Parameter:
    """How a rule's texts show one of its parameters. `source` "rule": the rule's own (its value is in
    `RiskRule.params`); "indicator": a parameter of the rule's left indicator, of the same name, whose value
    the loader copies into `value`."""

    name: str
    label: Text
    unit: Unit | None = None
    source: str = "rule"
    value: Scalar | None = None  # source "indicator": the indicator's value at load time


@dataclass(frozen=True)
class Operand:
    """A constant, or the name of one of the rule's params."""

    constant: float | None = None
    param: str | None = None

    def resolve(self, params: Mapping[str, Scalar]) -> float:
        if self.param is not None:
            value = params[self.param]
            assert isinstance(value, int | float)
            assert not isinstance(value, bool)
            return float(value)
        assert self.constant is not None
        return self.constant


@dataclass(frozen=True)
class RiskRule:
    """A risk rule: `left <operator> right` on an indicator's institution rows. `description` and `evidence_text`
    are templates naming `parameters` (analytics/spec/texts.py renders them)."""

    code: str
    name: Text
    description: Text
    applies_to: tuple[str, ...]
    left: str
    operator: str
    right: tuple[Operand, ...]  # one operand, two for `between`
    importance: str
    period_type: str
    evidence: tuple[str, ...]
    params: Mapping[str, Scalar] = field(default_factory=dict)
    periods: tuple[str, ...] = ("current",)
    combine: str = "all"
    combine_by_type: Mapping[str, str] = field(default_factory=dict)
    min_denominator: Operand | None = None
    #: Rows with a numerator below it never match (e.g. one complaint at a small school). Added after rules were
    #: first versioned: it enters a rule's version only when set (`HASHED_WHEN_SET`).
    min_numerator: Operand | None = field(default=None, metadata={HASHED_WHEN_SET: True})
    missing_value: float | None = None
    #: How the texts show each parameter (the rule's own and those of its left indicator the texts name).
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    #: The sentence for each matching row of the evidence (a template: analytics/spec/texts.py), and the units
    #: of the evidence fields that are quantities.
    evidence_text: Text = Text(lv="", en="")
    evidence_units: Mapping[str, Unit] = field(default_factory=dict)
    version: str = ""
    path: str = ""

    def parameter_values(self) -> dict[str, Scalar]:
        """Every parameter the texts may name, with its value: the rule's own (`params`) and its indicator's."""
        values: dict[str, Scalar] = {name: p.value for name, p in self.parameters.items()
                                     if p.source == "indicator" and p.value is not None}
        return {**values, **self.params}

    def thresholds(self) -> tuple[float, ...]:
        return tuple(o.resolve(self.params) for o in self.right)

    def combine_for(self, institution_type: str) -> str:
        return self.combine_by_type.get(institution_type, self.combine)


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    rules: tuple[RiskRule, ...]
    version: str

    def indicator(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    def rule(self, code: str) -> RiskRule:
        return next(r for r in self.rules if r.code == code)
