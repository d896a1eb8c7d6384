"""Whether a licensed programme was implemented within a year of its licence date (MK 253; domain.md §3.1: a licence
not implemented within a year lapses), as far as the system knows it.

The web app holds no enrolments of its own; the record-level lake does (`enrolments`: a learner in a programme code
of an institution, per school year, from VIIS). The criterion:

- **implemented**: the lake has an enrolment of the institution in the programme's code that started no later than a
  year after the licence date;
- **not implemented**: the lake has the institution's enrolments for every school year the year after the licence
  date falls in, and none in this programme's code started in time;
- **not known**: a school year of that period is not in the lake, or the institution has no enrolments at all in one
  of them (it does not report, or it teaches what the lake does not hold, e.g. vocational orientation programmes).
  A licence whose implementation is not known never lapses here."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ikms.registry.models import Programme


class Implementation(enum.Enum):
    IMPLEMENTED = "implemented"
    NOT_IMPLEMENTED = "not_implemented"
    NOT_KNOWN = "not_known"


def one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def school_year_of(day: datetime.date) -> str:
    """The school year a day falls in (1 September to 31 August), e.g. "2023/2024"."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{start + 1}"


def school_years_between(first: datetime.date, last: datetime.date) -> list[str]:
    start = int(school_year_of(first)[:4])
    end = int(school_year_of(last)[:4])
    return [f"{y}/{y + 1}" for y in range(start, end + 1)]


@dataclass
class _Year:
    institutions: set[str] = field(default_factory=set)
    #: (institution, programme code) → the earliest enrolment start
    first_start: dict[tuple[str, str], datetime.date] = field(default_factory=dict)


class LakeEnrolments:
    """The lake's enrolments, read one school year at a time (three columns) and kept for the run."""

    def __init__(self, lake_dir: Path) -> None:
        self.lake_dir = Path(lake_dir)
        self._years: dict[str, _Year | None] = {}

    def year(self, school_year: str) -> _Year | None:
        if school_year not in self._years:
            self._years[school_year] = self._read(school_year)
        return self._years[school_year]

    def _read(self, school_year: str) -> _Year | None:
        folder = self.lake_dir / "enrolments" / ("school_year=" + school_year.replace("/", "-"))
        if not folder.is_dir() or not any(folder.glob("*.parquet")):
            return None
        import pyarrow.dataset as ds  # the web app reads the lake only here and in monitoring

        table = ds.dataset(str(folder), format="parquet").to_table(
            columns=["institution", "programme_code", "start_date"])
        year = _Year()
        for inst, code, start in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
            year.institutions.add(inst)
            key = (inst, code)
            if start is not None and (key not in year.first_start or start < year.first_start[key]):
                year.first_start[key] = start
        return year

    def implementation(self, programme: Programme) -> Implementation:
        deadline = one_year_after(programme.licence_date)
        reg = programme.institution.registration_number
        known = True
        for school_year in school_years_between(programme.licence_date, deadline):
            year = self.year(school_year)
            if year is None or reg not in year.institutions:
                known = False
                continue
            start = year.first_start.get((reg, programme.code))
            if start is not None and start <= deadline:
                return Implementation.IMPLEMENTED
        return Implementation.NOT_IMPLEMENTED if known else Implementation.NOT_KNOWN


def due_for_lapse(programmes: Iterable[Programme], on: datetime.date) -> list[Programme]:
    """Licensed programmes whose year to start implementation ended before `on`."""
    return [p for p in programmes if one_year_after(p.licence_date) < on]
