"""An approximate Latvian school calendar: school days of each semester."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from analytics.synth.population import EPOCH


@dataclass(frozen=True)
class SchoolCalendar:
    """School days (days since 1970-01-01) of semester 1 and semester 2."""

    s1: np.ndarray
    s2: np.ndarray

    @property
    def all_days(self) -> np.ndarray:
        return np.concatenate([self.s1, self.s2])

    def semester(self, sem: int) -> np.ndarray:
        return self.s1 if sem == 1 else self.s2


def _weekdays(start: dt.date, end: dt.date, skip: set[dt.date]) -> np.ndarray:
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    weekday = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    keep = weekday < 5
    if skip:
        keep &= ~np.isin(days, np.array(sorted(skip), dtype="datetime64[D]"))
    return (days[keep] - np.datetime64(EPOCH)).astype(np.int32)


def school_calendar(autumn: int) -> SchoolCalendar:
    """Semester 1: 1 Sep – 22 Dec without the autumn break (last full week of October) and 18 November;
    semester 2: 3 Jan – 31 May without the spring break (third week of March), 1 and 4 May."""
    oct27 = dt.date(autumn, 10, 27)
    autumn_break = oct27 - dt.timedelta(days=oct27.weekday())  # Monday of the last Mon–Fri week in October
    skip1 = {autumn_break + dt.timedelta(days=i) for i in range(5)} | {dt.date(autumn, 11, 18)}
    mar15 = dt.date(autumn + 1, 3, 15)
    spring = mar15 - dt.timedelta(days=mar15.weekday())
    skip2 = {spring + dt.timedelta(days=i) for i in range(5)} | {dt.date(autumn + 1, 5, 1), dt.date(autumn + 1, 5, 4)}
    s1 = _weekdays(dt.date(autumn, 9, 1), dt.date(autumn, 12, 22), skip1)
    s2 = _weekdays(dt.date(autumn + 1, 1, 3), dt.date(autumn + 1, 5, 31), skip2)
    return SchoolCalendar(s1, s2)
