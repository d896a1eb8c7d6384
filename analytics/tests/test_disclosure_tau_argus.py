"""Secondary suppression by Tau-Argus (pytauargus, ADR 0024) in analytics/disclosure.py: 1-D parts of a whole, 2-D
tables with both totals, a table with subtotals, determinism, and a property test over seeded random tables checked
independently by linear algebra (`determinable`)."""

from __future__ import annotations

import random

import pytest

from analytics.disclosure import (
    TOTAL,
    _lines,
    _tau_argus,
    determinable,
    is_small,
    suppress_table,
    with_totals,
)


def _line_sums_safe(full: dict, hidden: set) -> bool:
    """No line with a shown total has hidden cells that add up to 1–4 people."""
    for cells, total in _lines(full).lines:
        gone = [full[k] for k in cells if k in hidden]
        if total not in hidden and gone and is_small(sum(gone)):
            return False
    return True


def test_tau_argus_alone_protects_a_2d_table_optimally() -> None:
    # 3 × 3 with both totals; 3 and 2 are primary. Tau-Argus's optimal method hides the cheapest rectangle
    # through both: A.y (10) and C.x (20), 30 people more
    inner = {("A", "x"): 3, ("A", "y"): 10, ("A", "z"): 12, ("B", "x"): 8, ("B", "y"): 9, ("B", "z"): 15,
             ("C", "x"): 20, ("C", "y"): 2, ("C", "z"): 11}
    hidden = _tau_argus(inner, [("A", "x"), ("C", "y")], 2)
    assert hidden == {("A", "x"), ("A", "y"), ("C", "x"), ("C", "y")}
    counts = {k: float(v) for k, v in inner.items()}
    assert not determinable(with_totals(counts), {(r, c) for r, c in hidden})


def test_parts_of_a_whole_1d() -> None:
    # graduates' destinations of one school (rows) with their total: 3 is hidden, and Tau-Argus takes the
    # cheapest other part with people in it (7), never the empty one
    counts = {("study", "n"): 10.0, ("work", "n"): 3.0, ("unknown", "n"): 0.0, ("abroad", "n"): 7.0}
    hidden = suppress_table(counts, row_totals=False)
    assert hidden == {("work", "n"), ("abroad", "n")}
    assert not determinable(with_totals(counts, row_totals=False), hidden)


def test_a_2d_table_with_row_and_column_totals() -> None:
    counts = {("numeracy", 3): 2, ("numeracy", 6): 30, ("literacy", 3): 25, ("literacy", 6): 40,
              ("science", 3): 0, ("science", 6): 22}
    hidden = suppress_table(counts)
    # 2 needs a rectangle: the cheapest is numeracy 6 (30), literacy 3 (25), literacy 6 (40); the empty science
    # cell cannot help
    assert hidden == {("numeracy", 3), ("numeracy", 6), ("literacy", 3), ("literacy", 6)}
    assert not determinable(with_totals(counts), hidden)


def test_the_line_sum_rule_is_completed_after_tau_argus() -> None:
    # two primary cells of one row, 1 + 2 = 3: Tau-Argus is content (neither is determinable exactly), but the row
    # total minus the shown cells would publish 3 people, so a further cell of that row is hidden
    counts = {("A", "x"): 1, ("A", "y"): 2, ("A", "z"): 30, ("B", "x"): 10, ("B", "y"): 12, ("B", "z"): 9,
              ("C", "x"): 14, ("C", "y"): 16, ("C", "z"): 20}
    full = with_totals(counts)
    hidden = suppress_table(counts)
    assert {("A", "x"), ("A", "y")} <= hidden
    assert not determinable(full, hidden)
    assert _line_sums_safe(full, hidden)


def test_hierarchical_table_with_subtotals() -> None:
    """Municipalities within two regions with the regions' subtotals and the national total: written as a 2-D
    table whose columns are the municipalities' counts per region block; the subtotal lines are the row totals and
    the national line the grand total. A small municipality is hidden with a partner in its own region."""
    counts = {("north", "m1"): 3, ("north", "m2"): 40, ("north", "m3"): 12,
              ("south", "m1"): 25, ("south", "m2"): 18, ("south", "m3"): 9}
    # only the regions' subtotals (row totals) and the national total are shown: each region is one line
    hidden = suppress_table(counts, column_totals=False)
    assert hidden == {("north", "m1"), ("north", "m3")}
    assert not determinable(with_totals(counts, column_totals=False), hidden)


def test_a_primary_total_is_kept_and_protected() -> None:
    # the diagnostics page marks a municipality's total primary (its respondents are too few for the index)
    counts = {("A", "x"): 6, ("B", "x"): 9, ("C", "x"): 30}
    hidden = suppress_table(counts, row_totals=False, primary=[(TOTAL, "x")])
    assert (TOTAL, "x") in hidden
    assert not determinable(with_totals(counts, row_totals=False), hidden)


def test_deterministic() -> None:
    rnd = random.Random(7)
    counts = {(r, c): rnd.choice([0, 1, 2, 3, 5, 8, 12, 20]) for r in range(9) for c in range(5)}
    assert suppress_table(counts) == suppress_table(counts) == suppress_table(dict(reversed(counts.items())))


def test_the_greedy_engine_is_still_available_and_unknown_engines_refused() -> None:
    counts = {("A", "x"): 3, ("A", "y"): 10, ("B", "x"): 8, ("B", "y"): 9}
    hidden = suppress_table(counts, engine="greedy")
    assert ("A", "x") in hidden and not determinable(with_totals(counts), hidden)
    with pytest.raises(ValueError, match="unknown engine"):
        suppress_table(counts, engine="magic")


@pytest.mark.parametrize("totals", [(True, True), (False, True), (True, False)])
def test_no_hidden_cell_can_be_recomputed_on_random_tables(totals: tuple[bool, bool]) -> None:
    """36 seeded random tables (2–8 rows × 2–6 columns, a third of the cells 1–4 people): every small cell and
    total is hidden, no hidden cell is determinable from what is shown, and no line's hidden cells add up to 1–4."""
    row_totals, column_totals = totals
    for seed in range(12):
        rnd = random.Random(seed)
        rows, cols = rnd.randint(2, 8), rnd.randint(2, 6)
        counts = {(r, c): rnd.choice([0, 1, 2, 3, 5, 8, 12, 20, 45]) for r in range(rows) for c in range(cols)}
        hidden = suppress_table(counts, row_totals=row_totals, column_totals=column_totals)
        full = with_totals(counts, row_totals=row_totals, column_totals=column_totals)
        assert {k for k, n in full.items() if is_small(n)} <= hidden, seed
        assert not determinable(full, hidden), seed
        assert _line_sums_safe(full, hidden), seed
