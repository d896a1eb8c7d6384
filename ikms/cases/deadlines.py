"""Statutory deadlines counted in Latvian working days, calendar days or months (ADR 0022).

* **The calendar.** A working day is a weekday that is no public holiday, or a Saturday the Cabinet moved a working
  day to. Both come from the `holidays` package (`holidays.LV`: its holidays include the days off the Cabinet moved,
  "Day off (substituted from 28.12.2024)", and its `weekend_workdays` the working Saturdays); days the package does
  not know yet are listed in `settings.IKMS_WORKING_DAYS_FILE` (data/working_days.yaml), which wins.
* **Counting.** A term in working days ends on the n-th working day after the start (the day of receipt does not
  count: 7 working days after Friday 20.12.2024 is 08.01.2025, the working Saturday 28.12.2024 included). A term in
  months ends on the same day of the month n months later, or on that month's last day when it has no such day
  (31.01 + 1 month = 28.02 or 29.02); a term in calendar days n days later. A deadline that falls on a day off moves
  to the next working day.
* **Rules and regimes.** The deadlines a case counts are data (data/deadline_rules.yaml): a rule ("answer to a
  submission") has regimes keyed on the start date (the Law on Submissions before and from 01.03.2026), each with
  its term and the latest an extension may reach. A regime may instead leave the term to the decision that
  starts the deadline (`decided: true`, e.g. an inspection order's deadline set in the act): the day is then
  given when the deadline starts, and extensions work the same.
* **A deadline** (`StatutoryDeadline`) is a rule, a start date, the regime of that date and its extensions; each
  extension has a new date, a reason (required), who and when. The database rows (`models.Deadline`,
  `models.DeadlineExtension`) are built and checked through it."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import functools
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import holidays
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ikms.core.formatting import date_text

RULES_FILE = Path(__file__).resolve().parent / "data" / "deadline_rules.yaml"


# --- the calendar --------------------------------------------------------------------------------------------


class WorkingCalendar:
    """Latvia's working days: the `holidays` package's public holidays and moved days, with a file's additions."""

    def __init__(self, *, days_off: set[dt.date] | None = None, working_days: set[dt.date] | None = None) -> None:
        self.extra_days_off = frozenset(days_off or ())
        self.extra_working_days = frozenset(working_days or ())
        if self.extra_days_off & self.extra_working_days:
            raise ValueError("a date is listed both as a day off and as a working day")
        self._holidays = holidays.country_holidays("LV")

    def is_working_day(self, day: dt.date) -> bool:
        """A weekday that is not a holiday (nor a moved day off), or a Saturday made a working day."""
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return self._holidays.is_working_day(day)

    def day_off_name(self, day: dt.date) -> str:
        """The holiday's name (Latvian), "" for a plain weekend or a working day."""
        return str(self._holidays.get(day) or "")

    def next_working_day(self, day: dt.date) -> dt.date:
        """The day itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n ≥ 1; `start` itself never counts)."""
        if n < 1:
            raise ValueError("count at least one working day")
        day = start
        for _i in range(n):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_months(start: dt.date, n: int) -> dt.date:
    """The same day of the month n months later, or that month's last day when it is shorter (31.01 → 28.02)."""
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def _load_extra_days(path: Path) -> tuple[set[dt.date], set[dt.date]]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"days_off", "working_days"}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")

    def dates(key: str) -> set[dt.date]:
        out = set()
        for row in data.get(key) or []:
            if not isinstance(row, dict) or not isinstance(row.get("date"), dt.date) or not row.get("source"):
                raise ValueError(f"{path}: each of {key} needs a date (YYYY-MM-DD) and a source")
            out.add(row["date"])
        return out

    return dates("days_off"), dates("working_days")


@functools.cache
def _calendar_from(path: str) -> WorkingCalendar:
    days_off, working_days = _load_extra_days(Path(path))
    return WorkingCalendar(days_off=days_off, working_days=working_days)


def working_calendar() -> WorkingCalendar:
    """The calendar of this deployment (the package and settings.IKMS_WORKING_DAYS_FILE), read once per process."""
    return _calendar_from(str(settings.IKMS_WORKING_DAYS_FILE))


@receiver(setting_changed)
def _forget_calendar(*, setting: str, **kwargs: Any) -> None:
    if setting == "IKMS_WORKING_DAYS_FILE":
        _calendar_from.cache_clear()


# --- terms, regimes and rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A length of time in one unit: working days, calendar days or months."""

    working_days: int = 0
    days: int = 0
    months: int = 0

    def __post_init__(self) -> None:
        if (
            sum(bool(v) for v in (self.working_days, self.days, self.months)) != 1
            or min(self.working_days, self.days, self.months) < 0
        ):
            raise ValueError("a term is a positive number of working days, days or months")

    def end(self, start: dt.date, cal: WorkingCalendar | None = None) -> dt.date:
        """The last day of the term counted from `start`; a day off moves it to the next working day."""
        cal = cal or working_calendar()
        if self.working_days:
            return cal.add_working_days(start, self.working_days)
        end = add_months(start, self.months) if self.months else start + dt.timedelta(days=self.days)
        return cal.next_working_day(end)

    @classmethod
    def parse(cls, data: dict) -> Term:
        unknown = set(data) - {"working_days", "days", "months"}
        if unknown:
            raise ValueError(f"unknown term units {sorted(unknown)}")
        return cls(**{k: int(v) for k, v in data.items()})


def _text(value: dict | str) -> dict[str, str]:
    return value if isinstance(value, dict) else {"lv": value, "en": value}


def _in_language(texts: dict[str, str]) -> str:
    lang = (get_language() or "lv")[:2]
    return texts.get(lang) or texts["lv"]


@dataclass(frozen=True)
class Regime:
    """One version of a rule, for deadlines starting from `valid_from` to `valid_until` (either may be open)."""

    code: str
    labels: dict[str, str]
    term: Term | None  # None: the decision that starts the deadline sets its day (`decided: true`)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    extension_limit: Term | None = None
    source: str = ""

    @property
    def label(self) -> str:
        return _in_language(self.labels)

    @property
    def decided(self) -> bool:
        return self.term is None

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Rule:
    """A statutory deadline a case counts, with its regimes in date order."""

    code: str
    labels: dict[str, str]
    regimes: tuple[Regime, ...]

    @property
    def label(self) -> str:
        return _in_language(self.labels)

    def regime_for(self, start: dt.date) -> Regime:
        """The regime in force on the start date."""
        for regime in self.regimes:
            if regime.covers(start):
                return regime
        raise ValidationError(_("No rule for this deadline covers the date %(date)s.") % {"date": date_text(start)})

    def regime(self, code: str) -> Regime:
        return next(r for r in self.regimes if r.code == code)


def _parse_rules(data: dict) -> dict[str, Rule]:
    out = {}
    for code, spec in (data.get("rules") or {}).items():
        regimes = []
        for r in spec["regimes"]:
            unknown = set(r) - {"code", "label", "from", "until", "term", "decided", "extension_limit", "source"}
            if unknown:
                raise ValueError(f"deadline rule {code}: unknown keys {sorted(unknown)}")
            if bool(r.get("decided")) == ("term" in r):
                raise ValueError(f"deadline rule {code}: a regime has either a term or `decided: true`")
            limit = r.get("extension_limit")
            regimes.append(
                Regime(
                    code=r["code"],
                    labels=_text(r["label"]),
                    term=Term.parse(r["term"]) if "term" in r else None,
                    valid_from=r.get("from"),
                    valid_until=r.get("until"),
                    extension_limit=Term.parse(limit) if limit else None,
                    source=r.get("source", ""),
                )
            )
        regimes.sort(key=lambda r: r.valid_from or dt.date.min)
        for a, b in itertools.pairwise(regimes):
            if a.valid_until is None or b.valid_from is None or b.valid_from != a.valid_until + dt.timedelta(days=1):
                raise ValueError(f"deadline rule {code}: regimes must follow each other without a gap or overlap")
        out[code] = Rule(code=code, labels=_text(spec["label"]), regimes=tuple(regimes))
    return out


@functools.cache
def rules() -> dict[str, Rule]:
    """Every statutory deadline rule (data/deadline_rules.yaml), checked at start-up by CasesConfig."""
    return _parse_rules(yaml.safe_load(RULES_FILE.read_text(encoding="utf-8")))


def rule(code: str) -> Rule:
    try:
        return rules()[code]
    except KeyError:
        raise ValidationError(_("Unknown kind of deadline.")) from None


# --- one deadline --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extension:
    """A deadline moved to a later day, with the reason (required), who moved it and when."""

    due_on: dt.date
    reason: str
    by: Any = None
    at: dt.datetime | None = None


@dataclass(frozen=True)
class StatutoryDeadline:
    """A rule counted from a start date under the regime of that date, and its extensions in order."""

    rule: Rule
    starts_on: dt.date
    extensions: tuple[Extension, ...] = field(default=())
    decided_on: dt.date | None = None  # the day a decision set (a regime with `decided: true`)

    @classmethod
    def start(
        cls, rule_code: str, starts_on: dt.date, *, today: dt.date, due_on: dt.date | None = None
    ) -> StatutoryDeadline:
        """A new deadline; it cannot start after today (a date in the future is a typing error). Under a regime
        whose decision sets the day, `due_on` is that day (after the start); otherwise it must not be given."""
        if starts_on > today:
            raise ValidationError({"starts_on": _("The start date cannot be in the future.")})
        found = rule(rule_code)
        if found.regime_for(starts_on).decided:
            if due_on is None:
                raise ValidationError({"due_on": _("Enter the deadline.")})
            if due_on <= starts_on:
                raise ValidationError({"due_on": _("The deadline must be after the day it is counted from.")})
        elif due_on is not None:
            raise ValueError(f"deadline rule {rule_code}: the law sets the day, not the decision")
        return cls(rule=found, starts_on=starts_on, decided_on=due_on)

    @property
    def regime(self) -> Regime:
        return self.rule.regime_for(self.starts_on)

    @property
    def statutory_due_on(self) -> dt.date:
        """The last day the law (or the decision, under a `decided` regime) gives, before any extension."""
        term = self.regime.term
        if term is None:
            assert self.decided_on is not None
            return self.decided_on
        return term.end(self.starts_on)

    @property
    def due_on(self) -> dt.date:
        """The last day now: the latest extension's, or the statutory one."""
        return self.extensions[-1].due_on if self.extensions else self.statutory_due_on

    @property
    def latest_possible(self) -> dt.date | None:
        """The latest day an extension may reach (None: the regime sets no limit)."""
        limit = self.regime.extension_limit
        return limit.end(self.starts_on) if limit else None

    def extend(
        self, *, due_on: dt.date | None, reason: str, by: Any = None, at: dt.datetime | None = None
    ) -> StatutoryDeadline:
        """The deadline moved to a later day; a reason is required, and the regime's limit holds."""
        errors: dict[str, str] = {}
        if not (reason or "").strip():
            errors["reason"] = _("Give the reason for extending the deadline.")
        if due_on is None:
            errors["due_on"] = _("Enter the new deadline.")
        elif due_on <= self.due_on:
            errors["due_on"] = _("The new deadline must be later than the current one.")
        elif not working_calendar().is_working_day(due_on):
            errors["due_on"] = _("The new deadline falls on a day off; choose a working day.")
        elif self.latest_possible is not None and due_on > self.latest_possible:
            errors["due_on"] = _("The law allows an extension up to %(date)s at the latest.") % {
                "date": date_text(self.latest_possible)
            }
        if errors:
            raise ValidationError(errors)
        assert due_on is not None
        return replace(
            self, extensions=(*self.extensions, Extension(due_on=due_on, reason=reason.strip(), by=by, at=at))
        )

    def working_days_left(self, today: dt.date) -> int:
        return working_days_left(self.due_on, today)


def working_days_left(due_on: dt.date, today: dt.date) -> int:
    """Working days from today to a deadline (0 on the day itself; negative, the working days past it, once it has
    passed)."""
    cal = working_calendar()
    if today <= due_on:
        return cal.working_days_between(today, due_on)
    return -cal.working_days_between(due_on, today)
