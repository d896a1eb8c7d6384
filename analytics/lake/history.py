"""One learner's education history from the lake: where they were enrolled (institution, programme, level, grades,
dates) and what they completed, looked up by the pseudonymous learner id (analytics/imports/pseudonym.py), never
by a personal code. IKVD's statements for other authorities (ikms/statements) are written from it.

The lake holds only the school years it was given, so the history says which: `coverage` lists the school years
with an enrolments partition and `graduate_coverage` those with a graduates partition. "Nothing found" means
nothing in those years, and a statement must say so.

Rows are read with DuckDB straight from the Parquet parts (hive partitioning gives the school year). An enrolment
repeated in several school years (the same institution, programme, level and start date) is one period here: its
grades from the first to the last, its end date the latest recorded (none while still enrolled in the last year
that holds it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from analytics.lake.schemas import DATASETS


@dataclass(frozen=True)
class Enrolment:
    institution: str
    programme_code: str
    level: str
    first_grade: int
    last_grade: int
    start_date: dt.date
    end_date: dt.date | None
    first_school_year: str
    last_school_year: str


@dataclass(frozen=True)
class Graduation:
    institution: str
    level: str
    school_year: str


@dataclass(frozen=True)
class History:
    enrolments: tuple[Enrolment, ...]
    graduations: tuple[Graduation, ...]
    coverage: tuple[str, ...]  # school years with enrolment data
    graduate_coverage: tuple[str, ...]  # school years with graduate data

    @property
    def found(self) -> bool:
        return bool(self.enrolments or self.graduations)


def _year(partition: str) -> str:
    """ "2023-2024" (a partition's value) → "2023/2024"."""
    return partition.replace("-", "/")


def coverage(lake_root: Path, dataset: str) -> tuple[str, ...]:
    """The school years a dataset of the lake has Parquet data for, oldest first."""
    folder = Path(lake_root) / dataset
    if not folder.is_dir():
        return ()
    years = {
        _year(p.name.removeprefix("school_year="))
        for p in folder.glob("school_year=*")
        if p.is_dir() and any(p.glob("*.parquet"))
    }
    return tuple(sorted(years))


def _pattern(lake_root: Path, dataset: str) -> str:
    return str(Path(lake_root) / dataset / "school_year=*" / "*.parquet").replace("'", "''")


def _rows(
    con: duckdb.DuckDBPyConnection, lake_root: Path, dataset: str, columns: list[str], learner_id: str
) -> list[tuple[Any, ...]]:
    names = ", ".join(columns)
    sql = (
        f"SELECT {names}, school_year FROM read_parquet('{_pattern(lake_root, dataset)}', "  # noqa: S608
        "hive_partitioning = true, hive_types_autocast = false, union_by_name = true) WHERE learner_id = ?"
    )
    return con.execute(sql, [learner_id]).fetchall()


def education_history(lake_root: Path, learner_id: str) -> History:
    """Everything the lake's `enrolments` and `graduates` hold for one pseudonymous learner id."""
    if not learner_id:
        raise ValueError("a learner id is required")
    enrolment_years = coverage(lake_root, DATASETS["enrolments"].name)
    graduate_years = coverage(lake_root, DATASETS["graduates"].name)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        periods: dict[tuple, dict] = {}
        if enrolment_years:
            columns = ["institution", "programme_code", "level", "grade", "start_date", "end_date"]
            for inst, code, level, grade, start, end, part in _rows(con, lake_root, "enrolments", columns, learner_id):
                year = _year(part)
                key = (inst, code, level, start)
                p = periods.setdefault(key, {"grades": set(), "years": {}})
                p["grades"].add(int(grade))
                p["years"][year] = end
        graduations: set[tuple[str, str, str]] = set()
        if graduate_years:
            for inst, level, part in _rows(con, lake_root, "graduates", ["institution", "level"], learner_id):
                graduations.add((inst, level, _year(part)))
    finally:
        con.close()
    enrolments = []
    for (inst, code, level, start), p in periods.items():
        years = sorted(p["years"])
        enrolments.append(
            Enrolment(
                institution=inst,
                programme_code=code,
                level=level,
                first_grade=min(p["grades"]),
                last_grade=max(p["grades"]),
                start_date=start,
                end_date=p["years"][years[-1]],
                first_school_year=years[0],
                last_school_year=years[-1],
            )
        )
    enrolments.sort(key=lambda e: (e.start_date, e.institution, e.programme_code))
    return History(
        enrolments=tuple(enrolments),
        graduations=tuple(Graduation(*g) for g in sorted(graduations, key=lambda g: (g[2], g[0], g[1]))),
        coverage=enrolment_years,
        graduate_coverage=graduate_years,
    )
