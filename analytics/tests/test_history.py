"""A learner's education history from a tiny lake (analytics/lake/history.py): found by the pseudonymous id only,
a period repeated over school years is one, graduations by school year, and the years the lake covers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics.lake.history import coverage, education_history
from analytics.tests.fixtures.history_lake import enrolment, learner, write_rows

KEY = "test-key"
ANNA, OTHER = learner("010190-10001", KEY), learner("020290-10002", KEY)
SCHOOL, GYM = "1111111111", "2222222222"


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    write_rows(
        tmp_path,
        "enrolments",
        "2022/2023",
        [
            enrolment(ANNA, SCHOOL, "21011111", dt.date(2014, 9, 1), grade=8),
            enrolment(OTHER, SCHOOL, "21011111", dt.date(2015, 9, 1), grade=7),
        ],
    )
    write_rows(
        tmp_path,
        "enrolments",
        "2023/2024",
        [
            enrolment(ANNA, SCHOOL, "21011111", dt.date(2014, 9, 1), grade=9, end_date=dt.date(2024, 6, 20)),
        ],
    )
    write_rows(
        tmp_path,
        "enrolments",
        "2024/2025",
        [
            enrolment(ANNA, GYM, "31011011", dt.date(2024, 9, 1), grade=10, level="secondary"),
        ],
    )
    write_rows(tmp_path, "graduates", "2023/2024", [{"learner_id": ANNA, "institution": SCHOOL, "level": "basic"}])
    return tmp_path


def test_the_history_of_one_learner(lake: Path) -> None:
    history = education_history(lake, ANNA)
    assert history.found
    first, second = history.enrolments
    assert (first.institution, first.programme_code, first.level) == (SCHOOL, "21011111", "basic")
    assert (first.first_grade, first.last_grade) == (8, 9)
    assert (first.start_date, first.end_date) == (dt.date(2014, 9, 1), dt.date(2024, 6, 20))
    assert (first.first_school_year, first.last_school_year) == ("2022/2023", "2023/2024")
    assert (second.institution, second.level, second.end_date) == (GYM, "secondary", None)
    assert [(g.institution, g.level, g.school_year) for g in history.graduations] == [(SCHOOL, "basic", "2023/2024")]
    assert history.coverage == ("2022/2023", "2023/2024", "2024/2025")
    assert history.graduate_coverage == ("2023/2024",)


def test_someone_else_sees_only_their_own_rows(lake: Path) -> None:
    history = education_history(lake, OTHER)
    assert [(e.start_date, e.last_grade) for e in history.enrolments] == [(dt.date(2015, 9, 1), 7)]
    assert history.graduations == ()


def test_nobody_found_is_an_empty_history_with_the_coverage(lake: Path) -> None:
    history = education_history(lake, learner("030390-10003", KEY))
    assert not history.found
    assert history.coverage == ("2022/2023", "2023/2024", "2024/2025")


def test_an_empty_lake_has_no_coverage(tmp_path: Path) -> None:
    history = education_history(tmp_path / "none", ANNA)
    assert (history.found, history.coverage, history.graduate_coverage) == (False, (), ())
    assert coverage(tmp_path, "enrolments") == ()


def test_the_id_must_be_given(lake: Path) -> None:
    with pytest.raises(ValueError, match="learner id"):
        education_history(lake, "")


def test_the_id_is_the_keyed_hash_of_the_digits() -> None:
    assert learner("010190-10001", KEY) == learner("01019010001", KEY) != learner("01019010001", "other-key")
    assert len(ANNA) == 32
