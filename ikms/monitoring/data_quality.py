"""Data quality: what the data lake has received (completeness), when it arrived (timeliness) and which stored
values changed implausibly from the previous school year (validation rules), scoped to the institutions the
user may see. Reads only: the lake's manifests (analytics.lake.coverage), the lake's register of institutions
of each school year, the web register and the engine's current values (selectors.values).

Settings (due dates, which institution kinds are expected to send a source, the validation rules) are data:
ikms/monitoring/data/data_quality.yaml. The due dates are an inferred rule, not a legal one (see that file).

* **Expected**: the institutions registered in the school year: the lake's `institutions` partition of the
  year when the lake holds one, otherwise the web register (registered by the end of the school year, or
  liquidated during it); narrowed by `expected_kinds` for the sources listed there.
* **Received**: the institution is covered by a manifest entry of the source and year (``read_coverage``).
* **Timeliness**: the *first* receipt's date against the source's due date (a later correction does not
  make data late; a partition the web application rewrites, such as the complaints, records its first receipt
  as `first_received_at`); the page shows the newest receipt's date and file.

The lake is read once per change of its manifests and register files (a stamp of their sizes and times)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.cache import cache as django_cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.lake.coverage import (
    MANIFEST,
    NATIONAL,
    NATIONAL_DATASETS,
    entry_institutions,
    read_coverage,
    read_manifest,
)
from analytics.lake.schemas import DATASETS, INSTITUTIONS
from ikms.core.formatting import number_text
from ikms.monitoring import permissions, selectors
from ikms.monitoring.labels import slice_label, source_label
from ikms.monitoring.models import Grain
from ikms.registry.choices import InstitutionStatus
from ikms.registry.models import Institution, Municipality

CONFIG_PATH = Path(__file__).resolve().parent / "data" / "data_quality.yaml"
#: Every source, in the order of the lake's declarations.
SOURCES = tuple(DATASETS)
#: Sources received institution by institution (the rest are national extracts).
INSTITUTION_SOURCES = tuple(s for s in SOURCES if s not in NATIONAL_DATASETS)
#: A source whose receipt also answers for others: per-learner exam results contain the per-school ones.
STANDS_IN_FOR = {"exams": ("exam_results",)}

ON_TIME, LATE, MISSING = "on_time", "late", "missing"
#: The institution lists the page offers: any source missing, any late, all received, all on time.
LISTS = ("missing", "late", "received", "on_time")


# --- settings ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRule:
    year: str  # "start" or "end" of the school year
    month: int
    day: int


@dataclass(frozen=True)
class OutlierRule:
    indicator: str
    max_relative_change: float
    min_base: float
    min_denominator: float | None = None
    compare: str = "value"  # or "share": numerator / denominator × 100

    @property
    def is_share(self) -> bool:
        return self.compare == "share"

    def denominator_minimum(self) -> float:
        if self.min_denominator is not None:
            return self.min_denominator
        info = selectors.indicators().get(self.indicator)
        return float(info.min_denominator) if info else 0.0

    def name(self) -> str:
        info = selectors.indicators().get(self.indicator)
        name = info.name if info else self.indicator
        return _("%(indicator)s (share of learners, %%)") % {"indicator": name} if self.is_share else name

    def describe(self) -> str:
        """The rule in a sentence."""
        return _("%(indicator)s: a change of more than %(change)s %% up or down from the previous school year, "
                 "when the earlier figure is at least %(base)s and each year's figure is computed over at least "
                 "%(den)s learners or other units counted.") % {
            "indicator": self.name(), "change": _number(self.max_relative_change * 100),
            "base": _number(self.min_base), "den": _number(self.denominator_minimum())}


@dataclass(frozen=True)
class Settings:
    due: dict[str, DueRule]
    overrides: dict[tuple[str, str], dt.date]
    expected_kinds: dict[str, frozenset[str]]
    outliers: tuple[OutlierRule, ...]


def _number(value: float) -> str:
    return number_text(value, 1, trim=True)


def _due_rule(source: str, rule: dict) -> DueRule:
    if not isinstance(rule, dict) or rule.get("year") not in ("start", "end"):
        raise ImproperlyConfigured(f"{CONFIG_PATH.name}: {source}: year must be start or end")
    due = DueRule(year=rule["year"], month=int(rule["month"]), day=int(rule["day"]))
    try:
        dt.date(2000, due.month, due.day)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{CONFIG_PATH.name}: {source}: not a date") from exc
    return due


def _parse_settings(document: dict) -> Settings:
    due = {}
    for source, rule in (document.get("due") or {}).items():
        if source != "default" and source not in DATASETS:
            raise ImproperlyConfigured(f"{CONFIG_PATH.name}: due date for an unknown source {source!r}")
        due[source] = _due_rule(source, rule)
    default = due.pop("default", None)
    missing = [s for s in SOURCES if s not in due]
    if missing and default is None:
        raise ImproperlyConfigured(f"{CONFIG_PATH.name}: no due date for {', '.join(missing)}")
    due.update(dict.fromkeys(missing, default))
    overrides = {}
    for year, per_source in (document.get("overrides") or {}).items():
        for source, day in (per_source or {}).items():
            if source not in DATASETS:
                raise ImproperlyConfigured(f"{CONFIG_PATH.name}: override for an unknown source {source!r}")
            overrides[(str(year), source)] = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
    kinds = {}
    for source, values in (document.get("expected_kinds") or {}).items():
        if source not in INSTITUTION_SOURCES:
            raise ImproperlyConfigured(f"{CONFIG_PATH.name}: expected_kinds for {source!r}, not an institution source")
        kinds[source] = frozenset(str(v) for v in values)
    rules = []
    for rule in document.get("outliers") or []:
        compare = rule.get("compare", "value")
        if compare not in ("value", "share"):
            raise ImproperlyConfigured(f"{CONFIG_PATH.name}: {rule.get('indicator')}: compare must be value or share")
        rules.append(OutlierRule(indicator=str(rule["indicator"]),
                                 max_relative_change=float(rule["max_relative_change"]),
                                 min_base=float(rule.get("min_base", 0)),
                                 min_denominator=(float(rule["min_denominator"]) if rule.get("min_denominator")
                                                  is not None else None),
                                 compare=compare))
    return Settings(due=due, overrides=overrides, expected_kinds=kinds, outliers=tuple(rules))


@cache
def config() -> Settings:
    return _parse_settings(yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8")) or {})


def due_date(source: str, year: str) -> dt.date:
    """The day by which the source's data of the school year ("2023/2024") should have arrived."""
    cfg = config()
    if (year, source) in cfg.overrides:
        return cfg.overrides[(year, source)]
    rule = cfg.due[source]
    first = int(year[:4])
    return dt.date(first if rule.year == "start" else first + 1, rule.month, rule.day)


# --- the lake ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the lake holds of one source for one institution (or the nation) in one school year."""

    received_at: str  # the newest receipt (ISO timestamp)
    file: str
    rows: int
    first_at: str  # the first receipt: the one timeliness is judged on
    received_on: dt.date | None = None  # the two timestamps' local dates (read once, with the lake)
    first_on: dt.date | None = None


@dataclass(frozen=True)
class RegisterEntry:
    number: str
    name: str
    municipality: str
    kind: str


@dataclass
class LakeState:
    receipts: dict[tuple[str, str], dict[str, Receipt]]  # (source, school year) → institution → receipt
    registers: dict[str, dict[str, RegisterEntry]]  # school year → the lake's register of that year
    years: list[str]


def _local_date(stamp: str) -> dt.date | None:
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date()


def lake_root() -> Path:
    return Path(settings.IKMS_LAKE_DIR)


def _register_parts(root: Path) -> list[Path]:
    return sorted((root / INSTITUTIONS.name).glob("school_year=*/*.parquet"))


def _stamp(root: Path) -> str:
    """Changes whenever a manifest or a register file of the lake changes."""
    parts = [str(root.absolute())]
    for path in [root / s / MANIFEST for s in SOURCES] + _register_parts(root):
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(root)}:{st.st_mtime_ns}:{st.st_size}")
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()


def _year_label(folder: str) -> str:
    return folder.removeprefix("school_year=").replace("-", "/")


def _read_registers(root: Path) -> dict[str, dict[str, RegisterEntry]]:
    import pyarrow.parquet as pq

    out: dict[str, dict[str, RegisterEntry]] = {}
    for part in _register_parts(root):
        table = pq.read_table(part, columns=["institution", "name", "municipality", "kind"]).to_pylist()
        year = out.setdefault(_year_label(part.parent.name), {})
        for row in table:
            number = str(row["institution"])
            year[number] = RegisterEntry(number=number, name=str(row["name"] or number),
                                         municipality=str(row["municipality"] or ""), kind=str(row["kind"] or ""))
    return out


def _read(root: Path) -> LakeState:
    first: dict[tuple[str, str, str], str] = {}
    for source in SOURCES:
        for entry in read_manifest(root, source)["files"]:
            year = str(entry.get("school_year") or "")
            if not year:
                continue
            # A partition the web application rewrites keeps when it was first received (`first_received_at`).
            at = str(entry.get("first_received_at") or entry.get("imported_at") or "")
            for inst in entry_institutions(root, source, entry):
                key = (source, year, inst)
                if key not in first or at < first[key]:
                    first[key] = at
    receipts: dict[tuple[str, str], dict[str, Receipt]] = defaultdict(dict)
    dates: dict[str, dt.date | None] = {}  # a receipt covers many institutions: parse each timestamp once
    frame = read_coverage(root)
    for source, year, inst, received_at, file, rows in frame[
            ["source", "school_year", "institution", "received_at", "file", "rows"]].itertuples(index=False):
        newest = str(received_at)
        first_at = first.get((str(source), str(year), str(inst)), newest)
        for stamp in (newest, first_at):
            if stamp not in dates:
                dates[stamp] = _local_date(stamp)
        receipts[(str(source), str(year))][str(inst)] = Receipt(
            received_at=newest, file=Path(str(file)).name, rows=int(rows), first_at=first_at,
            received_on=dates[newest], first_on=dates[first_at])
    # Per-learner exam rows stand in for a school's published results (analytics' `exam_scores` measure takes
    # them first): a school that sent `exams` has reported what `exam_results` asks for, not the other way.
    for (source, year), by_inst in list(receipts.items()):
        for target in STANDS_IN_FOR.get(source, ()):
            into = receipts.setdefault((target, year), {})
            for inst, receipt in by_inst.items():
                into.setdefault(inst, receipt)
    registers = _read_registers(root)
    years = sorted({y for _, y in receipts} | set(registers))
    return LakeState(receipts=dict(receipts), registers=registers, years=years)


_last: tuple[str, LakeState] | None = None


def lake_state() -> LakeState:
    """What the lake has received, read again only when its manifests or registers change."""
    global _last  # noqa: PLW0603 - a one-entry memo of an immutable read
    root = lake_root()
    stamp = _stamp(root)
    memo = _last
    if memo is not None and memo[0] == stamp:
        return memo[1]
    state = _read(root)
    _last = (stamp, state)
    return state


# --- expected institutions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """An institution expected to report in a school year, with its web entry where the user may open it."""

    number: str
    name: str
    municipality: str  # code
    kind: str
    institution: Institution | None = None

    @property
    def linked(self) -> bool:
        return self.institution is not None


def _web_register(year: str) -> dict[str, RegisterEntry]:
    """Institutions registered in the school year by the web register: registered by its end (31 August),
    or liquidated during it."""
    first = int(year[:4])
    start, end = dt.date(first, 9, 1), dt.date(first + 1, 8, 31)
    registered_by_end = Q(registered_on__isnull=True) | Q(registered_on__lte=end)
    qs = (Institution.objects.filter(registered_by_end & (
        Q(status=InstitutionStatus.REGISTERED) | Q(status=InstitutionStatus.LIQUIDATED, liquidated_on__gte=start)))
          .values_list("registration_number", "name", "municipality__code", "type__kind__code"))
    return {n: RegisterEntry(number=n, name=name, municipality=muni, kind=kind) for n, name, muni, kind in qs}


def expected_register(year: str, state: LakeState) -> tuple[dict[str, RegisterEntry], str]:
    """The institutions registered in the school year and where the list comes from ("lake" or "register")."""
    if state.registers.get(year):
        return state.registers[year], "lake"
    return _web_register(year), "register"


@dataclass(frozen=True)
class Scope:
    """The institutions a user may see on the page (all, for whoever sees the nation) and a municipality."""

    visible: dict[str, Institution]
    everything: bool
    municipality: str = ""

    def units(self, register: dict[str, RegisterEntry]) -> list[Unit]:
        out = []
        for number, entry in register.items():
            inst = self.visible.get(number)
            if inst is None and not self.everything:
                continue
            municipality = entry.municipality or (inst.municipality.code if inst else "")
            if self.municipality and municipality != self.municipality:
                continue
            out.append(Unit(number=number, name=inst.name if inst else entry.name, municipality=municipality,
                            kind=entry.kind or (inst.type.kind.code if inst else ""), institution=inst))
        return sorted(out, key=lambda u: (u.name, u.number))


def scope_for(user, municipality: str = "") -> Scope:
    """The user's institutions through the monitoring scoper; the municipality filter only for those who see
    the nation (a founder's own institutions are its scope)."""
    everything = permissions.can_view_nation(user)
    visible = {i.registration_number: i for i in selectors.institutions_for_monitoring(user)
               .select_related("type__kind")}
    return Scope(visible=visible, everything=everything, municipality=municipality if everything else "")


# --- the report ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    source: str
    status: str  # ON_TIME, LATE or MISSING
    receipt: Receipt | None
    due: dt.date

    @property
    def label(self) -> str:
        return str({ON_TIME: _("On time"), LATE: _("Late"), MISSING: _("Not received")}[self.status])

    @property
    def source_label(self) -> str:
        return source_label(self.source)

    @property
    def days_late(self) -> int | None:
        if self.status != LATE or self.receipt is None or self.receipt.first_on is None:
            return None
        return (self.receipt.first_on - self.due).days


def _status(source: str, year: str, receipt: Receipt | None, due: dt.date | None = None) -> Status:
    due = due or due_date(source, year)
    if receipt is None:
        return Status(source, MISSING, None, due)
    first = receipt.first_on
    return Status(source, ON_TIME if first is not None and first <= due else LATE, receipt, due)


@dataclass
class SourceRow:
    source: str
    due: dt.date
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def label(self) -> str:
        return source_label(self.source)

    @property
    def received(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def percent(self) -> float | None:
        return 100 * self.received / self.expected if self.expected else None


@dataclass
class InstitutionRow:
    unit: Unit
    statuses: list[Status]
    municipality_name: str = ""

    def having(self, status: str) -> list[Status]:
        return [s for s in self.statuses if s.status == status]

    @property
    def missing(self) -> list[Status]:
        return self.having(MISSING)

    @property
    def late(self) -> list[Status]:
        return self.having(LATE)

    def matches(self, listing: str) -> bool:
        if listing == "missing":
            return bool(self.having(MISSING))
        if listing == "late":
            return bool(self.having(LATE))
        if listing == "on_time":
            return bool(self.statuses) and all(s.status == ON_TIME for s in self.statuses)
        return bool(self.statuses) and not self.having(MISSING)  # received


@dataclass
class MunicipalityRow:
    code: str
    name: str
    institutions: int = 0
    expected: int = 0
    received: int = 0
    with_gaps: int = 0
    links: dict[str, str] = field(default_factory=dict)  # the institution lists behind the figures (views)

    @property
    def percent(self) -> float | None:
        return 100 * self.received / self.expected if self.expected else None


@dataclass
class NationalRow:
    status: Status

    @property
    def label(self) -> str:
        return self.status.source_label


@dataclass
class Report:
    year: str
    basis: str  # "lake" or "register"
    sources: list[SourceRow]  # institution sources (the chosen one, or all)
    national: list[NationalRow]
    institutions: list[InstitutionRow]
    municipalities: list[MunicipalityRow]
    trend: list[tuple[SourceRow, list[tuple[str, SourceRow]]]] = field(default_factory=list)

    @property
    def expected_institutions(self) -> int:
        return len(self.institutions)

    def listed(self, listing: str) -> list[InstitutionRow]:
        return [r for r in self.institutions if r.matches(listing)]


def _institution_rows(year: str, units: list[Unit], sources: list[str], state: LakeState) -> list[InstitutionRow]:
    """Each unit expected to send at least one of the sources, with the status of each source it is expected
    to send."""
    rows = []
    dues = {s: due_date(s, year) for s in sources}
    received = {s: state.receipts.get((s, year), {}) for s in sources}
    kinds = config().expected_kinds
    for unit in units:
        statuses = [_status(s, year, received[s].get(unit.number), dues[s])
                    for s in sources if s not in kinds or unit.kind in kinds[s]]
        if statuses:
            rows.append(InstitutionRow(unit=unit, statuses=statuses))
    return rows


def _source_rows(year: str, rows: list[InstitutionRow], sources: list[str]) -> list[SourceRow]:
    out = {s: SourceRow(source=s, due=due_date(s, year)) for s in sources}
    for row in rows:
        for st in row.statuses:
            counted = out[st.source]
            counted.expected += 1
            if st.status == ON_TIME:
                counted.on_time += 1
            elif st.status == LATE:
                counted.late += 1
    return list(out.values())


def report(*, scope: Scope, year: str, source: str = "") -> Report:
    """Completeness and timeliness of the school year's sources (one, or all) over the scope's institutions,
    per municipality and per institution, and the completeness of every school year the lake knows."""
    state = lake_state()
    register, basis = expected_register(year, state)
    units = scope.units(register)
    if source in NATIONAL_DATASETS:
        sources, national_sources = [], [source]
    elif source in INSTITUTION_SOURCES:
        sources, national_sources = [source], []
    else:
        sources, national_sources = list(INSTITUTION_SOURCES), list(NATIONAL_DATASETS)
    national = [NationalRow(_status(s, year, state.receipts.get((s, year), {}).get(NATIONAL)))
                for s in national_sources]
    rows = _institution_rows(year, units, sources, state)
    names = {m.code: m.name for m in Municipality.objects.only("code", "name_lv", "name_en")}
    munis: dict[str, MunicipalityRow] = {}
    for row in rows:
        code = row.unit.municipality
        m = munis.setdefault(code, MunicipalityRow(code=code, name=names.get(code, code or "–")))
        row.municipality_name = m.name
        m.institutions += 1
        m.expected += len(row.statuses)
        m.received += len(row.statuses) - len(row.having(MISSING))
        m.with_gaps += bool(row.having(MISSING))
    trend = []
    if sources:
        per_year = {}
        for y in sorted({*state.years, year}):
            y_register, _basis = expected_register(y, state)
            per_year[y] = {r.source: r for r in _source_rows(
                y, _institution_rows(y, scope.units(y_register), sources, state), sources)}
        trend = [(SourceRow(source=s, due=due_date(s, year)), [(y, counts[s]) for y, counts in per_year.items()])
                 for s in sources]
    return Report(year=year, basis=basis, sources=_source_rows(year, rows, sources), national=national,
                  institutions=rows, municipalities=sorted(munis.values(), key=lambda m: m.name), trend=trend)


def years() -> list[str]:
    """School years the page can show: those the lake knows and those with computed results."""
    return sorted(set(lake_state().years) | set(selectors.school_years()))


# --- one institution ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageCell:
    year: str
    receipt: Receipt | None


def institution_coverage(registration_number: str) -> tuple[list[str], list[tuple[str, list[CoverageCell]]]]:
    """Per institution source and school year the lake knows: the newest receipt, or None (no data)."""
    state = lake_state()
    rows = [(source_label(s), [CoverageCell(y, state.receipts.get((s, y), {}).get(registration_number))
                               for y in state.years]) for s in INSTITUTION_SOURCES]
    return state.years, rows


# --- validation rules: implausible changes -------------------------------------------------------------------


@dataclass(frozen=True)
class Outlier:
    """One institution value that moved more than its rule allows (cached: labels are made when shown)."""

    number: str
    indicator: str
    semester: int | None
    level: str
    category: str
    before: float
    after: float
    change: float  # relative, e.g. 1.5 = +150 %
    percent: bool  # the values are percentages
    rule: OutlierRule

    @property
    def indicator_name(self) -> str:
        return self.rule.name()

    @property
    def slice(self) -> str:
        return slice_label(self.semester, self.level, self.category)

    @property
    def change_percent(self) -> float:
        return self.change * 100


@cache
def _indicator_sources() -> dict[str, tuple[str, ...]]:
    return {i.code: tuple(i.sources) for i in selectors.catalogue().indicators}


def previous_year(year: str) -> str:
    first = int(year[:4])
    return f"{first - 1}/{first}"


def _compared(rule: OutlierRule, value) -> float | None:
    if rule.is_share:
        if value.numerator is None or not value.denominator:
            return None
        return 100 * value.numerator / value.denominator
    return value.value


def outliers(*, year: str, units: list[str] | None, source: str = "") -> list[Outlier]:
    """Institution values of the school year that moved implausibly from the previous school year (the rules
    of data_quality.yaml), largest change first; only indicators computed from `source` when one is given.
    `units`: the institutions to check (None: all)."""
    before_year = previous_year(year)
    held = selectors.school_years()
    if year not in held or before_year not in held:
        return []
    rules = [r for r in config().outliers
             if not source or source in _indicator_sources().get(r.indicator, (source,))]
    if not rules:
        return []
    units_key = selectors.size_band_key(units) if units is not None else "all"
    rules_key = hashlib.sha1(repr(rules).encode(), usedforsecurity=False).hexdigest()[:12]
    key = f"ikms:dq:outliers:{selectors.state_key(before_year, year)}:{source}:{units_key}:{rules_key}"
    found = django_cache.get(key)
    if found is None:
        found = _outliers(year, before_year, units, rules)
        django_cache.set(key, found, selectors.CACHE_SECONDS)
    return found


def _outliers(year: str, before_year: str, units: list[str] | None, rules: list[OutlierRule]) -> list[Outlier]:
    indicators = sorted({r.indicator for r in rules})
    earlier = {(v.unit, v.key): v for v in selectors.values(year=before_year, grain=Grain.INSTITUTION, units=units,
                                                            indicators_=indicators)}
    now = selectors.values(year=year, grain=Grain.INSTITUTION, units=units, indicators_=indicators)
    by_indicator: dict[str, list[OutlierRule]] = defaultdict(list)
    for r in rules:
        by_indicator[r.indicator].append(r)
    found = []
    for v in now:
        old = earlier.get((v.unit, v.key))
        if old is None:
            continue
        for rule in by_indicator[v.indicator]:
            base, new = _compared(rule, old), _compared(rule, v)
            if base is None or new is None or abs(base) < rule.min_base or base == 0:
                continue
            minimum = rule.denominator_minimum()
            if minimum and ((old.denominator or 0) < minimum or (v.denominator or 0) < minimum):
                continue
            change = (new - base) / abs(base)
            if abs(change) <= rule.max_relative_change:
                continue
            info = selectors.indicators().get(v.indicator)
            found.append(Outlier(number=v.unit, indicator=v.indicator, semester=v.semester, level=v.level,
                                 category=v.category, before=base, after=new, change=change,
                                 percent=rule.is_share or bool(info and info.is_percent), rule=rule))
    found.sort(key=lambda o: (-abs(o.change), o.number, o.indicator, o.semester or 0, o.level, o.category))
    return found


def report_outliers(*, scope: Scope, report_: Report, year: str, source: str = "",
                    municipality: str = "") -> list[tuple[Outlier, Unit]]:
    """The outliers of the page, each with its institution: over the report's institutions, or, for the whole
    country (a user who sees every institution, no municipality chosen), over every institution with values,
    also those the register of the year does not expect."""
    units = {r.unit.number: r.unit for r in report_.institutions}
    whole_country = scope.everything and not municipality
    found = []
    for o in outliers(year=year, units=None if whole_country else sorted(units), source=source):
        unit = units.get(o.number)
        if unit is None and whole_country:
            inst = scope.visible.get(o.number)
            unit = Unit(number=o.number, name=inst.name if inst else o.number,
                        municipality=inst.municipality.code if inst else "", kind="", institution=inst)
        if unit is not None:
            found.append((o, unit))
    return found
