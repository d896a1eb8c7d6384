"""Reading the engine's stored results: current values per school year, comparisons, trends, comparator
groups, risk lists and the visit plan, each scoped to what the user may see.

"Current" values of a school year are those of its latest complete (country-wide) run, overlaid, for
the institutions they cover, by later single-institution recomputations (one rule: `current`). Runs never
change once done, so the heavier aggregates (distributions, comparator medians) are cached by run id."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.core.cache import cache as django_cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from ikms.monitoring import permissions
from ikms.monitoring.labels import IMPORTANCE, IMPORTANCE_WEIGHT, THEMES, not_received_label, slice_label
from ikms.monitoring.models import ComputationRun, Grain, IndicatorValue, RiskFlag, RuleNotEvaluated, VisitPlanEntry
from ikms.registry import access
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Institution, Municipality

NATION = "LV"
#: Comparator groups: institutions of the same type whose enrolment falls in the same band (learners).
SIZE_BANDS = (0, 100, 300, 600, 1000)
CACHE_SECONDS = 3600

SliceKey = tuple[str, int | None, str, str]  # indicator, semester, level, category


# --- the catalogue, for display ------------------------------------------------------------------------------


class _Bilingual:
    """`name` and `description` in the active language (the catalogue holds both)."""

    name_lv: str
    name_en: str
    description_lv: str
    description_en: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "lv").startswith("en") else self.name_lv

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "lv").startswith("en") else self.description_lv


@dataclass(frozen=True)
class IndicatorInfo(_Bilingual):
    code: str
    theme: str
    name_lv: str
    name_en: str
    description_lv: str
    description_en: str
    type: str
    factor: float
    min_denominator: int
    version: str
    order: int

    @property
    def theme_label(self) -> str:
        return str(THEMES.get(self.theme, self.theme))

    @property
    def is_percent(self) -> bool:
        return self.factor == 100

    @property
    def is_count(self) -> bool:
        return self.type == "count"


@dataclass(frozen=True)
class RuleInfo(_Bilingual):
    code: str
    name_lv: str
    name_en: str
    description_lv: str
    description_en: str
    importance: str
    indicator: str
    version: str

    @property
    def importance_label(self) -> str:
        return str(IMPORTANCE.get(self.importance, self.importance))

    @property
    def weight(self) -> int:
        return IMPORTANCE_WEIGHT.get(self.importance, 1)


@cache
def _catalogue():
    from analytics.compile import default_catalogue

    return default_catalogue()


@cache
def indicators() -> dict[str, IndicatorInfo]:
    """Every indicator of the catalogue, in theme order then file order."""
    themes = list(THEMES)
    out = []
    for i, ind in enumerate(_catalogue().indicators):
        theme = Path(ind.path).stem if ind.path else ""
        out.append(IndicatorInfo(code=ind.code, theme=theme, name_lv=ind.name.lv, name_en=ind.name.en,
                                 description_lv=ind.description.lv, description_en=ind.description.en,
                                 type=ind.type, factor=float(ind.factor), min_denominator=int(ind.min_denominator),
                                 version=ind.version,
                                 order=(themes.index(theme) if theme in themes else len(themes)) * 1000 + i))
    return {i.code: i for i in sorted(out, key=lambda i: i.order)}


@cache
def rules() -> dict[str, RuleInfo]:
    from ikms.monitoring.evidence import rule_description  # the YAML's template with the parameters filled in

    return {r.code: RuleInfo(code=r.code, name_lv=r.name.lv, name_en=r.name.en,
                             description_lv=rule_description(r, "lv"), description_en=rule_description(r, "en"),
                             importance=r.importance, indicator=r.left, version=r.version)
            for r in _catalogue().rules}


# --- runs and values -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    indicator: str
    unit: str
    semester: int | None
    level: str
    category: str
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool

    @property
    def key(self) -> SliceKey:
        return (self.indicator, self.semester, self.level, self.category)

    @property
    def slice_label(self) -> str:
        return slice_label(self.semester, self.level, self.category)


VALUE_FIELDS = ("indicator", "unit", "semester", "level", "category", "value", "numerator", "denominator",
                "suppressed")


#: Within one request (ResultsMemoMiddleware) the list of done runs is read once; elsewhere (commands, tests
#: calling selectors directly) every call reads the database, so nothing can go stale.
_memo: ContextVar[dict | None] = ContextVar("ikms_results_memo", default=None)
RUN_FIELDS = ("id", "school_year", "scope", "started_at", "finished_at", "catalogue_version", "status", "engine")


def _done_runs() -> list[ComputationRun]:
    memo = _memo.get()
    if memo is not None and "runs" in memo:
        return memo["runs"]
    runs = list(ComputationRun.objects.filter(status=ComputationRun.Status.DONE).only(*RUN_FIELDS)
                .order_by("started_at", "id"))
    if memo is not None:
        memo["runs"] = runs
    return runs


class ResultsMemoMiddleware:
    """Reads the list of computation runs once per request (every selector needs it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def school_years() -> list[str]:
    """School years with a complete run, oldest first."""
    return sorted({r.school_year for r in _done_runs() if not r.scope})


def latest_year() -> str | None:
    years = school_years()
    return years[-1] if years else None


def full_run(year: str) -> ComputationRun | None:
    """The latest complete run of the school year."""
    return run_state(year)[0]


def run_state(year: str) -> tuple[ComputationRun | None, list[ComputationRun]]:
    """The latest complete run of the school year and the single-institution runs started after it, oldest
    first (None, [] without a complete run); `current` says which of them holds each institution's results."""
    runs = [r for r in _done_runs() if r.school_year == year]
    full = [r for r in runs if not r.scope]
    if not full:
        return None, []
    run = full[-1]
    return run, [r for r in runs if r.scope and r.started_at > run.started_at]


def state_key(*years: str) -> str:
    """A key that changes whenever the current results of any of the years change (a new complete run or a
    single-institution recomputation): the cache key of every page part built from them."""
    import hashlib

    parts = []
    for year in years or tuple(school_years()):
        run, partials = run_state(year)
        parts.append(f"{year}:" + ",".join(f"{r.pk}.{r.started_at.timestamp()}" for r in ([run] if run else [])
                                           + partials))
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:20]


@dataclass(frozen=True)
class Current:
    """Which run holds the current results of a school year, unit by unit: the latest complete run, overlaid,
    for the institutions they cover, by later single-institution runs (the latest of them wins). The one rule
    behind `values()`, `risk_flags()`, `rules_not_evaluated()` and the public profiles; each reads its rows as
    suits its index and keeps those `holds` accepts."""

    run: ComputationRun
    redone: dict[str, int]  # institution → id of the latest later run that recomputed it

    def run_ids(self, units: Iterable[str] | None = None) -> list[int]:
        """The runs to read for these units (all units: None): the complete run and the later runs covering any."""
        wanted = None if units is None else set(units)
        return [self.run.pk, *sorted({r for u, r in self.redone.items() if wanted is None or u in wanted})]

    def holds(self, run_id: int, unit: str) -> bool:
        """Whether a row of run `run_id` for `unit` is current."""
        return self.redone.get(unit, self.run.pk) == run_id


def current(year: str) -> Current | None:
    """The current results of a school year (see `Current`); None when the year has no complete run."""
    run, partials = run_state(year)
    if run is None:
        return None
    redone: dict[str, int] = {}
    for partial in partials:  # oldest first: a later recomputation of an institution wins
        redone.update(dict.fromkeys(partial.scope, partial.pk))
    return Current(run=run, redone=redone)


def values(*, year: str, grain: str, units: Iterable[str] | None = None,
           indicators_: Iterable[str] | None = None) -> list[Value]:
    """Current values of a school year at a grain (optionally only some units and indicators), in one query."""
    now = current(year)
    if now is None:
        return []
    unit_list = list(units) if units is not None else None
    qs = IndicatorValue.objects.filter(run_id__in=now.run_ids(unit_list), grain=grain)
    if unit_list is not None:
        qs = qs.filter(unit__in=unit_list)
    if indicators_ is not None:
        qs = qs.filter(indicator__in=list(indicators_))
    return [Value(*row) for run_id, *row in qs.values_list("run_id", *VALUE_FIELDS) if now.holds(run_id, row[1])]


def run_summary(year: str, *, user) -> dict | None:
    """The 'data as of' line of a page: the run, its spec version, the snapshot's newest file date and the
    later single-institution recomputations the user may see (runs_visible_to; none for the public: None)."""
    run, partials = run_state(year)
    if run is None:
        return None
    if partials and (user is None or not permissions.RUN.sees_everything(user)):
        visible = set() if user is None else set(
            runs_visible_to(user).filter(pk__in=[p.pk for p in partials]).values_list("pk", flat=True))
        partials = [p for p in partials if p.pk in visible]
    newest = ""
    snapshot = ComputationRun.objects.filter(pk=run.pk).values_list("snapshot", flat=True).first() or {}
    for stamps in snapshot.values():
        for stamp in stamps:
            modified = stamp.get("modified", "") if isinstance(stamp, dict) else ""
            newest = max(newest, modified)
    return {"run": run, "year": year, "version": run.catalogue_version[:12], "finished_at": run.finished_at,
            "data_as_of": newest[:19].replace("T", " "), "datasets": sorted(snapshot.keys()),
            "partials": partials}


# --- dashboards ----------------------------------------------------------------------------------------------


@dataclass
class DashboardRow:
    info: IndicatorInfo
    key: SliceKey
    label: str
    value: float | None = None
    suppressed: bool = False
    denominator: float | None = None
    municipality: float | None = None
    nation: float | None = None
    comparator: float | None = None
    comparator_n: int = 0
    history: dict[str, float | None] = field(default_factory=dict)
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    units: int = 0

    @property
    def trend(self) -> list[float | None]:
        return [self.history[y] for y in sorted(self.history)]

    @property
    def slice_param(self) -> str:
        return "|".join(map(str, self.key))

    @property
    def change(self) -> float | None:
        years = sorted(self.history)
        if len(years) < 2:
            return None
        last, before = self.history[years[-1]], self.history[years[-2]]
        return None if last is None or before is None else last - before


def _by_key(rows: Iterable[Value]) -> dict[SliceKey, Value]:
    return {v.key: v for v in rows}


def comparison_values(year: str, institutions: Iterable[str], indicators_: Sequence[str] | None = None
                      ) -> dict[str, tuple[dict[SliceKey, Value], dict[SliceKey, Value]]]:
    """The comparison columns of institutions' dashboards: per registration number, its municipality's and
    the nation's current values of the same breakdowns (two queries, whatever the number of institutions)."""
    numbers = sorted(set(institutions))
    if not numbers:
        return {}
    municipality_of = dict(Institution.objects.filter(registration_number__in=numbers)
                           .values_list("registration_number", "municipality__code"))
    municipal: dict[str, dict[SliceKey, Value]] = defaultdict(dict)
    for v in values(year=year, grain=Grain.MUNICIPALITY, units=sorted(set(municipality_of.values())),
                    indicators_=indicators_):
        municipal[v.unit][v.key] = v
    national = _by_key(values(year=year, grain=Grain.NATION, units=[NATION], indicators_=indicators_))
    return {n: (municipal.get(municipality_of.get(n, ""), {}), national) for n in numbers}


def _level_ok(key: SliceKey, level: str | None) -> bool:
    return not level or not key[2] or key[2] == level


def _ordered(keys: Iterable[SliceKey]) -> list[SliceKey]:
    info = indicators()

    def sort_key(k: SliceKey):
        i = info.get(k[0])
        return (i.order if i else 10**9, k[2], k[1] or 0, k[3])

    return sorted(keys, key=sort_key)


def size_band(learners: float | None) -> tuple[int, int | None]:
    n = learners or 0
    low = max(b for b in SIZE_BANDS if b <= n)
    higher = [b for b in SIZE_BANDS if b > low]
    return low, (higher[0] if higher else None)


def comparator_group(year: str, institution: Institution) -> list[str]:
    """Registration numbers of the institutions of the same type and size band (the institution included)."""
    run, _ = run_state(year)
    if run is None:
        return []
    key = f"ikms:cmp:{state_key(year)}:{institution.type_id}:{institution.registration_number}"
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    same_type = list(Institution.objects.filter(type_id=institution.type_id)
                     .values_list("registration_number", flat=True))
    sizes = {v.unit: v.value for v in values(year=year, grain=Grain.INSTITUTION, units=same_type,
                                             indicators_=["learners_enrolled"])}
    band = size_band(sizes.get(institution.registration_number))
    group = sorted(u for u, n in sizes.items() if size_band(n) == band)
    django_cache.set(key, group, CACHE_SECONDS)
    return group


def _medians(year: str, units: Sequence[str], cache_key: str) -> dict[SliceKey, tuple[float | None, int, float | None,
                                                                                      float | None]]:
    """Per slice: (median, number of units with a value, 25th and 75th percentile) over the units."""
    cached = django_cache.get(cache_key)
    if cached is not None:
        return cached
    collected: dict[SliceKey, list[float]] = defaultdict(list)
    for v in values(year=year, grain=Grain.INSTITUTION, units=units):
        if v.value is not None and not v.suppressed:
            collected[v.key].append(v.value)
    out = {}
    for k, vals in collected.items():
        vals.sort()
        if len(vals) >= 4:
            q = statistics.quantiles(vals, n=4, method="inclusive")
            p25, p75 = q[0], q[2]
        else:
            p25 = p75 = None
        out[k] = (statistics.median(vals), len(vals), p25, p75)
    django_cache.set(cache_key, out, CACHE_SECONDS)
    return out


def institution_dashboard(*, year: str, institution: Institution, level: str | None = None) -> list[DashboardRow]:
    """Every indicator of the institution with its municipality, the nation, the comparator group's median and
    the values of the school years held."""
    unit = institution.registration_number
    muni = institution.municipality.code
    own = _by_key(values(year=year, grain=Grain.INSTITUTION, units=[unit]))
    municipal = _by_key(values(year=year, grain=Grain.MUNICIPALITY, units=[muni]))
    national = _by_key(values(year=year, grain=Grain.NATION, units=[NATION]))
    run, _ = run_state(year)
    group = comparator_group(year, institution)
    medians = _medians(year, group, f"ikms:med:{state_key(year)}:{size_band_key(group)}") if run else {}
    history = _history(grain=Grain.INSTITUTION, unit=unit)
    rows = []
    info = indicators()
    for key in _ordered(k for k in own if _level_ok(k, level)):
        if key[0] not in info:
            continue
        v = own[key]
        med = medians.get(key)
        rows.append(DashboardRow(
            info=info[key[0]], key=key, label=v.slice_label, value=v.value, suppressed=v.suppressed,
            denominator=v.denominator,
            municipality=municipal[key].value if key in municipal else None,
            nation=national[key].value if key in national else None,
            comparator=med[0] if med else None, comparator_n=med[1] if med else 0,
            history={y: h.get(key) for y, h in history.items()}))
    return rows


def size_band_key(group: Sequence[str]) -> str:
    import hashlib

    return hashlib.sha1(",".join(group).encode(), usedforsecurity=False).hexdigest()[:16]


def _history(*, grain: str, unit: str) -> dict[str, dict[SliceKey, float | None]]:
    out = {}
    for y in school_years():
        out[y] = {v.key: v.value for v in values(year=y, grain=grain, units=[unit])}
    return out


def area_dashboard(*, year: str, grain: str, unit: str, level: str | None = None,
                   institutions: Sequence[str] | None = None, nation_too: bool = True) -> list[DashboardRow]:
    """Every indicator of a municipality or of the nation with the nation's value, the trend, and the spread
    (quartiles) over the institutions given (those of a type, a municipality, or all)."""
    own = _by_key(values(year=year, grain=grain, units=[unit]))
    national = _by_key(values(year=year, grain=Grain.NATION, units=[NATION])) if nation_too else {}
    run, _ = run_state(year)
    spread = {}
    if run is not None and institutions is not None:
        spread = _medians(year, institutions, f"ikms:spread:{state_key(year)}:{size_band_key(institutions)}")
    history = _history(grain=grain, unit=unit)
    info = indicators()
    rows = []
    for key in _ordered(k for k in own if _level_ok(k, level)):
        if key[0] not in info:
            continue
        v = own[key]
        s = spread.get(key)
        rows.append(DashboardRow(
            info=info[key[0]], key=key, label=v.slice_label, value=v.value, suppressed=v.suppressed,
            denominator=v.denominator, nation=national[key].value if key in national else None,
            median=s[0] if s else None, units=s[1] if s else 0, p25=s[2] if s else None,
            p75=s[3] if s else None, history={y: h.get(key) for y, h in history.items()}))
    return rows


def indicator_distribution(*, year: str, indicator: str, units: Sequence[str] | None = None) -> list[Value]:
    """The institution values of one indicator (all slices), optionally only some institutions."""
    return values(year=year, grain=Grain.INSTITUTION, units=units, indicators_=[indicator])


def indicator_series(*, indicator: str, grain: str, unit: str) -> dict[str, dict[SliceKey, Value]]:
    """One indicator of one unit in every school year held: {year: {slice: value}}."""
    return {y: _by_key(values(year=y, grain=grain, units=[unit], indicators_=[indicator])) for y in school_years()}


# --- scoping -------------------------------------------------------------------------------------------------


def _monitored_base() -> QuerySet[Institution]:
    return (Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
            .select_related("type", "municipality", "founder"))


def institutions_for_monitoring(user) -> QuerySet[Institution]:
    """Registered (or since liquidated) institutions whose monitoring results the user may see
    (permissions.MONITORED_INSTITUTION)."""
    return permissions.MONITORED_INSTITUTION.scope(user, _monitored_base())


def institution_for_monitoring(user, registration_number: str) -> Institution:
    """One of them by registration number, or Http404."""
    return permissions.MONITORED_INSTITUTION.get(user, _monitored_base(), registration_number=registration_number)


def municipalities_for_user(user) -> QuerySet[Municipality]:
    """Municipalities whose results the user may see (permissions.MUNICIPALITY)."""
    return permissions.MUNICIPALITY.scope(user, Municipality.objects.all().order_by("name_lv"))


def municipality_for_user(user, code: str) -> Municipality:
    return permissions.MUNICIPALITY.get(user, Municipality.objects.all(), code=code)


def value_units_visible_to(user) -> dict[str, set[str]] | None:
    """The units whose indicator values the user may see, per grain (None: every unit, for IKVD staff): the
    same units whose pages the user may open — institutions (MONITORED_INSTITUTION), municipalities
    (MUNICIPALITY: a founder its own), the nation (NATION: IKVD staff). The API and the pages read values
    through this one rule."""
    if permissions.NATION.allows(user) and permissions.MONITORED_INSTITUTION.sees_everything(user):
        return None
    return {Grain.INSTITUTION: set(institutions_for_monitoring(user).values_list("registration_number", flat=True)),
            Grain.MUNICIPALITY: set(municipalities_for_user(user).values_list("code", flat=True)),
            Grain.NATION: {NATION} if permissions.NATION.allows(user) else set()}


def value_unit_grain_for_user(user, unit: str) -> str:
    """The grain of a unit whose values the user may see; Http404 for an unknown or invisible one (the same
    answer), PermissionDenied for the nation to a user who may not see the national figures (as its page)."""
    if unit == NATION:
        if not permissions.NATION.allows(user):
            raise PermissionDenied
        return Grain.NATION
    if institutions_for_monitoring(user).filter(registration_number=unit).exists():
        return Grain.INSTITUTION
    if municipalities_for_user(user).filter(code=unit).exists():
        return Grain.MUNICIPALITY
    raise Http404


# --- risk list -----------------------------------------------------------------------------------------------


@dataclass
class RiskEntry:
    institution: Institution
    flags: list[RiskFlag]
    score: int
    planned: VisitPlanEntry | None = None

    @property
    def rule_codes(self) -> list[str]:
        return sorted({f.rule for f in self.flags})


def _current(model, year: str, institutions: Iterable[str] | None = None) -> list:
    """Current rows of a per-institution result model (RiskFlag, RuleNotEvaluated) for a school year (see
    `Current`), ordered by institution and rule, in one query."""
    now = current(year)
    if now is None:
        return []
    inst = list(institutions) if institutions is not None else None
    qs = model.objects.filter(run_id__in=now.run_ids(inst))
    if inst is not None:
        qs = qs.filter(institution__in=inst)
    return [r for r in qs.order_by("institution", "rule", "id") if now.holds(r.run_id, r.institution)]


def risk_flags(year: str, institutions: Iterable[str] | None = None) -> list[RiskFlag]:
    """Current flags of a school year (latest complete run, overlaid by later single-institution runs)."""
    return _current(RiskFlag, year, institutions)


def risk_flag_institutions_visible_to(user) -> QuerySet[Institution]:
    """The institutions whose risk flags the user may see (ADR 0016): every one for IKVD staff, a founder's
    own, a head's own; none for anybody else (permissions.RISK_FLAG; can_view_risk_flags is its one-object
    twin)."""
    return permissions.RISK_FLAG.institutions(user, _monitored_base())


def risk_flags_visible_to(user, year: str, institutions: Iterable[str] | None = None) -> list[RiskFlag]:
    """The current flags of a school year (see `risk_flags`) on the institutions the user may see, optionally
    only some institutions (registration numbers). Pages and the API read flags only through this."""
    visible = risk_flag_institutions_visible_to(user)
    if institutions is not None:
        visible = visible.filter(registration_number__in=list(institutions))
    numbers = set(visible.values_list("registration_number", flat=True))
    if not numbers:
        return []
    everything = institutions is None and permissions.RISK_FLAG.sees_everything(user)
    return [f for f in risk_flags(year, None if everything else sorted(numbers)) if f.institution in numbers]


def risk_flag_get_for_user(user, pk: int) -> RiskFlag:
    """One flag of a finished run (current or not) on an institution the user may see; Http404 otherwise."""
    flags = RiskFlag.objects.filter(run__status=ComputationRun.Status.DONE,
                                    institution__in=risk_flag_institutions_visible_to(user).values("registration_number"))
    return permissions.RISK_FLAG.get(user, flags, pk=pk)


def rules_not_evaluated(year: str, institutions: Iterable[str] | None = None) -> list[RuleNotEvaluated]:
    """Current "not evaluated" rows of a school year: a rule that could not decide an institution because
    data it needs were not received (neither a flag nor a pass)."""
    return _current(RuleNotEvaluated, year, institutions)


@dataclass
class NotEvaluatedSummary:
    """Per rule: how many of the user's institutions it could not evaluate, and why (reason -> count)."""

    rule: str
    count: int
    reasons: list[tuple[str, int]]
    institutions: list[str]


def not_evaluated_summary(*, user, year: str, municipality: str | None = None,
                          type_code: str | None = None) -> list[NotEvaluatedSummary]:
    """For the risk list: per rule, the visible institutions it could not evaluate, with the reasons counted."""
    visible = institutions_for_monitoring(user)
    if municipality:
        visible = visible.filter(municipality__code=municipality)
    if type_code:
        visible = visible.filter(type__code=type_code)
    numbers = set(visible.values_list("registration_number", flat=True))
    per_rule: dict[str, list[RuleNotEvaluated]] = defaultdict(list)
    for row in rules_not_evaluated(year):
        if row.institution in numbers:
            per_rule[row.rule].append(row)
    out = []
    for rule, rows in sorted(per_rule.items()):
        reasons = Counter(not_received_label(str(s), str(y)) for row in rows for s, y in row.missing)
        out.append(NotEvaluatedSummary(rule=rule, count=len(rows), reasons=reasons.most_common(),
                                       institutions=sorted(r.institution for r in rows)))
    return out


def scope_key(user) -> str:
    """Cache-key fingerprint of the user's scope (ikms.registry.access.scope_key)."""
    return access.scope_key(user)


@dataclass(frozen=True)
class Ranked:
    """One line of the cached risk ranking: only numbers, so a cache hit costs almost nothing."""

    number: str
    score: int
    flags: int
    rules: tuple[str, ...]


def risk_ranking(*, user, year: str, municipality: str | None = None, type_code: str | None = None,
                 rule: str | None = None, min_score: int = 0) -> list[Ranked]:
    """Institutions ranked by their triggered rules (weight by importance: high 3, medium 2, low 1; ties by the
    number of flags, then name), cached per results state and filters. The scope and the filters (text a
    client sent) are hashed into the key, which is then valid for any cache backend (memcached allows no spaces
    or control characters and at most 250 characters)."""
    import hashlib

    filters = repr((scope_key(user), municipality, type_code, rule, min_score)).encode()
    key = f"ikms:risks:{state_key(year)}:{hashlib.sha1(filters, usedforsecurity=False).hexdigest()[:20]}"
    ranked = django_cache.get(key)
    if ranked is None:
        ranked = [Ranked(number=e.institution.registration_number, score=e.score, flags=len(e.flags),
                         rules=tuple(e.rule_codes))
                  for e in _rank(user=user, year=year, municipality=municipality, type_code=type_code, rule=rule,
                                 min_score=min_score)]
        django_cache.set(key, ranked, CACHE_SECONDS)
    return ranked


def risk_entries(*, user, year: str, ranked: Sequence[Ranked]) -> list[RiskEntry]:
    """The full entries (institution, flags with evidence, visit planned) of some ranked lines, in their order."""
    numbers = [r.number for r in ranked]
    institutions = {i.registration_number: i for i in institutions_for_monitoring(user)
                    .filter(registration_number__in=numbers)}
    flags: dict[str, list[RiskFlag]] = defaultdict(list)
    for f in risk_flags(year, numbers):
        flags[f.institution].append(f)
    planned = {e.institution_id: e for e in VisitPlanEntry.objects.filter(
        status="planned", institution__registration_number__in=numbers)}
    return [RiskEntry(institution=institutions[r.number], flags=sorted(flags[r.number], key=lambda f: f.rule),
                      score=r.score, planned=planned.get(institutions[r.number].pk))
            for r in ranked if r.number in institutions]


def risk_list(*, user, year: str, municipality: str | None = None, type_code: str | None = None,
              rule: str | None = None, min_score: int = 0) -> list[RiskEntry]:
    """Every ranked institution with its flags and planned visit (exports and the API; pages use
    risk_ranking + risk_entries for the lines they show)."""
    ranked = risk_ranking(user=user, year=year, municipality=municipality, type_code=type_code, rule=rule,
                          min_score=min_score)
    return risk_entries(user=user, year=year, ranked=ranked)


def _rank(*, user, year: str, municipality: str | None, type_code: str | None, rule: str | None,
          min_score: int) -> list[RiskEntry]:
    visible = institutions_for_monitoring(user)
    if municipality:
        visible = visible.filter(municipality__code=municipality)
    if type_code:
        visible = visible.filter(type__code=type_code)
    by_number = {i.registration_number: i for i in visible}
    grouped: dict[str, list[RiskFlag]] = defaultdict(list)
    for f in risk_flags(year):
        if f.institution in by_number:
            grouped[f.institution].append(f)
    info = rules()
    entries = []
    for number, flags in grouped.items():
        if rule and rule not in {f.rule for f in flags}:
            continue
        score = sum(info[r].weight if r in info else 1 for r in {f.rule for f in flags})
        if score < min_score:
            continue
        entries.append(RiskEntry(institution=by_number[number], flags=sorted(flags, key=lambda f: f.rule),
                                 score=score))
    entries.sort(key=lambda e: (-e.score, -len(e.flags), e.institution.name))
    return entries


# --- computation runs ----------------------------------------------------------------------------------------


def runs_visible_to(user) -> QuerySet[ComputationRun]:
    """Computation runs the user may see (ADR 0016), newest first: every run for IKVD staff; for founders and
    heads the complete (country-wide) runs and the single-institution recomputations that touched one of their
    institutions (never another institution's recomputation); nobody else any."""
    qs = ComputationRun.objects.order_by("-started_at", "-id")
    if permissions.RUN.sees_everything(user):
        return qs
    if not permissions.RUN.may_open(user):
        return qs.none()
    numbers = set(institutions_for_monitoring(user).values_list("registration_number", flat=True))
    partial = [pk for pk, scope in ComputationRun.objects.exclude(scope=[]).values_list("pk", "scope")
               if numbers.intersection(scope or [])]
    return qs.filter(Q(scope=[]) | Q(pk__in=partial))


def run_get_for_user(user, pk: int) -> ComputationRun:
    from django.http import Http404

    try:
        return runs_visible_to(user).get(pk=pk)
    except (ComputationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def visit_plan(*, status: str | None = None, reason: str | None = None) -> QuerySet[VisitPlanEntry]:
    """The whole visit plan (the pages and the API scope it with `visits_visible_to`)."""
    qs = VisitPlanEntry.objects.select_related("institution", "institution__municipality", "created_by")
    if status:
        qs = qs.filter(status=status)
    if reason:
        qs = qs.filter(reason=reason)
    return qs.order_by("planned_date", "id")


def visits_visible_to(user, *, status: str | None = None, reason: str | None = None) -> QuerySet[VisitPlanEntry]:
    """The visit plan entries the user may see (permissions.VISIT)."""
    return permissions.VISIT.scope(user, visit_plan(status=status, reason=reason))


def visit_get_for_user(user, pk) -> VisitPlanEntry:
    """One visit plan entry the user may see, or Http404."""
    return permissions.VISIT.get(user, visit_plan(), pk=pk)
