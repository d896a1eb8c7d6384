"""Pupil diagnostics and well-being (issue 15, item 6): the indicators on the tiny lake of fixtures/lake.yaml with
answers worked out by hand, and the disclosure control of analytics/disclosure.py on hand-made tables."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest

from analytics.compile import default_catalogue
from analytics.disclosure import (
    TOTAL,
    complementary,
    determinable,
    is_small,
    suppress_table,
    with_totals,
)
from analytics.engines import DuckDBEngine
from analytics.run import ComputeResult, compute
from analytics.tests.fixtures.lake import write_lake
from analytics.tests.test_indicators import pick, value

YEAR = "2023/2024"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> ComputeResult:
    lake: Path = write_lake(tmp_path_factory.mktemp("lake"))
    catalogue = default_catalogue()
    catalogue = dataclasses.replace(catalogue, rules=(), indicators=tuple(
        i for i in catalogue.indicators if i.code.startswith(("diagnostic_", "wellbeing_"))))
    return compute(lake, YEAR, DuckDBEngine(lake), catalogue=catalogue)


# --- indicators ------------------------------------------------------------------------------------------------


def test_diagnostic_mean_scores_by_grade_and_domain(result: ComputeResult) -> None:
    assert value(result, "diagnostic_mean_score_grade3", "institution", "B1", category="numeracy") == 59.0
    assert value(result, "diagnostic_mean_score_grade3", "institution", "B1", category="literacy") == 65.0
    assert value(result, "diagnostic_mean_score_grade3", "municipality", "LV-RIX",
                 category="numeracy") == pytest.approx(415 / 7)
    assert value(result, "diagnostic_mean_score_preschool", "institution", "P1", category="literacy") == 60.0
    b2 = pick(result, "diagnostic_mean_score_grade3", "institution", "B2", category="numeracy")
    assert bool(b2["suppressed"]) and b2["denominator"] == 2  # 2 pupils: below the minimum of 5
    s1 = pick(result, "diagnostic_mean_score_grade6", "institution", "S1", category="science")
    assert bool(s1["suppressed"])
    # grade 3 results never enter the grade 6 indicator
    grade6 = result.values[result.values.indicator == "diagnostic_mean_score_grade6"]
    assert set(grade6.category) == {"science"}


def test_diagnostic_share_below_threshold(result: ComputeResult) -> None:
    assert value(result, "diagnostic_below_threshold_grade3", "institution", "B1", category="numeracy") == 20.0
    assert value(result, "diagnostic_below_threshold_grade3", "institution", "B1", category="literacy") == 0.0
    row = pick(result, "diagnostic_below_threshold_grade3", "nation", "LV", category="numeracy")
    assert (row["numerator"], row["denominator"]) == (2, 7)  # 35 (B1) and 30 (B2) are below 40


def test_wellbeing_index_and_favourable_answers(result: ComputeResult) -> None:
    assert value(result, "wellbeing_pupil_index", "institution", "G1") == pytest.approx(3.4)
    assert value(result, "wellbeing_pupil_favourable", "municipality", "LV-RIX", category="P01") == 60.0
    assert value(result, "wellbeing_pupil_favourable", "nation", "LV", category="P02") == 40.0
    # by question only for municipalities and the nation (what the page shows)
    v = result.values
    assert not ((v.indicator == "wellbeing_pupil_favourable") & (v.grain == "institution")).any()
    teachers = pick(result, "wellbeing_teacher_index", "institution", "G1")
    assert bool(teachers["suppressed"]) and teachers["denominator"] == 2
    # teachers' answers never count for pupils
    assert pick(result, "wellbeing_pupil_index", "nation", "LV")["denominator"] == 5


# --- disclosure control ----------------------------------------------------------------------------------------


def _recoverable(counts: dict, hidden: set, *, row_totals: bool = True) -> set:
    return determinable(with_totals(counts, row_totals=row_totals), hidden)


def test_small_counts() -> None:
    assert [is_small(n) for n in (0, 1, 4, 4.0000001, 5, None)] == [False, True, True, True, False, False]


def test_one_hidden_part_of_a_whole_takes_the_smallest_shown_part_with_it() -> None:
    # destinations 3, 10, 0, 7: the 3 is hidden; 100 % − the others would give it away, so the smallest shown part
    # with people in it (7) is hidden too; the empty part stays shown
    assert complementary([3, 10, 0, 7], {0}) == {0, 3}
    # two hidden parts 1 + 2 = 3 people: their sum is still a small count, so 7 goes as well
    assert complementary([1, 2, 10, 7], {0, 1}) == {0, 1, 3}
    # nothing hidden, nothing added
    assert complementary([6, 10], set()) == set()


def test_secondary_suppression_of_institutions_and_the_municipality_total() -> None:
    # pupils per institution and domain; the municipality's row (column totals) is shown, institution totals not
    counts = {("A", "numeracy"): 3, ("A", "literacy"): 12, ("B", "numeracy"): 20, ("B", "literacy"): 15,
              ("C", "numeracy"): 9, ("C", "literacy"): 8}
    hidden = suppress_table(counts, row_totals=False)
    assert ("A", "numeracy") in hidden
    # the numeracy total minus B and C would give A away: the smallest other numeracy cell is hidden too
    assert ("C", "numeracy") in hidden
    assert hidden == {("A", "numeracy"), ("C", "numeracy")}
    assert not _recoverable(counts, hidden, row_totals=False)


def test_secondary_suppression_with_row_and_column_totals() -> None:
    # domains × grades with both totals: one small cell needs a rectangle of four hidden cells
    counts = {("numeracy", 3): 2, ("numeracy", 6): 30, ("literacy", 3): 25, ("literacy", 6): 40,
              ("science", 3): 0, ("science", 6): 22}
    hidden = suppress_table(counts)
    assert ("numeracy", 3) in hidden
    assert len([k for k in hidden if TOTAL not in k]) >= 4
    assert not _recoverable(counts, hidden)
    # the hidden cells of any line with a shown total never add up to a small count
    full = with_totals(counts)
    for r in ("numeracy", "literacy", "science"):
        gone = [full[(r, c)] for c in (3, 6) if (r, c) in hidden]
        assert not is_small(sum(gone)) or (r, TOTAL) in hidden


def test_a_small_total_is_hidden_and_so_are_its_parts() -> None:
    counts = {("A", "x"): 1, ("A", "y"): 2, ("B", "x"): 10, ("B", "y"): 12}
    hidden = suppress_table(counts)
    assert {("A", "x"), ("A", "y"), ("A", TOTAL)} <= hidden
    assert not _recoverable(counts, hidden)


@pytest.mark.parametrize("seed", range(8))
def test_no_suppressed_cell_can_be_recomputed_on_many_tables(seed: int) -> None:
    """Hand-made patterns of small cells in 4 × 3 tables with both totals: whatever is hidden, no hidden cell
    follows from the totals and the shown cells (exhaustive check of the result by linear algebra)."""
    base = [[12, 7, 30], [3, 25, 9], [18, 6, 2], [40, 1, 14]]
    small_cells = list(itertools.product(range(4), range(3)))[seed::8]
    counts = {}
    for r, c in itertools.product(range(4), range(3)):
        counts[(r, c)] = (seed % 4) + 1 if (r, c) in small_cells else base[r][c]
    for row_totals in (True, False):
        hidden = suppress_table(counts, row_totals=row_totals)
        full = with_totals(counts, row_totals=row_totals)
        assert {k for k, n in full.items() if is_small(n)} <= hidden
        assert not determinable(full, hidden)
