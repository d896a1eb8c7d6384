"""Statistical disclosure control of published tables: the one rule of IKMS (docs/data/disclosure.md).

Pure Python (no Django): the public school profiles (ikms/portal/profiles.py) and the monitoring tool pages
(ikms/monitoring/views/diagnostics.py) both call it.

* **Primary suppression**: a figure computed from 1–4 people (`is_small`; 0 is publishable) is hidden.
* **Secondary (complementary) suppression**: where a table shows totals, a hidden cell must not be recoverable
  from the totals and the cells shown. `complementary` does it for the parts of one whole (a 1-D table whose
  total is known, e.g. a school's graduate destinations: they add up to 100 %); `suppress_table` for a 2-D table
  of counts with row and/or column totals (institutions × domains with the municipality's total row, domains ×
  grades with a total column ...). Cells are added to the hidden ones, smallest count first, until no hidden cell
  can be worked out exactly from the shown figures (checked by linear algebra, `determinable`) and no line's
  hidden cells add up to a count of 1–4.

Markers (GSS style, the legend on the pages explains them in Latvian and English): `[c]` confidential (primary and
secondary alike, so the two cannot be told apart), `[low]` rounds to zero, `[x]` no data, `[z]` not applicable.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

MIN_COUNT = 5

CONFIDENTIAL = "[c]"
LOW = "[low]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
MARKERS = (CONFIDENTIAL, LOW, NOT_AVAILABLE, NOT_APPLICABLE)

#: The key of a total in `suppress_table`: (row, TOTAL) is a row's total, (TOTAL, col) a column's, and
#: (TOTAL, TOTAL) the grand total.
TOTAL = "__total__"

Cell = tuple[Hashable, Hashable]


def is_small(n: float | None, threshold: int = MIN_COUNT) -> bool:
    """A count of 1 to threshold − 1 people (0 is publishable; None, unknown, is not small)."""
    return n is not None and 0 < round(n, 6) < threshold


def complementary(counts: Sequence[float | None], hidden: Collection[int], threshold: int = MIN_COUNT) -> set[int]:
    """Secondary suppression of the parts of one whole whose total is known (the indices to hide, `hidden`
    included). If exactly one part with people in it is hidden, or the hidden parts together count 1 to
    threshold − 1 people, the smallest part still shown that has people in it is hidden too, repeatedly, until
    neither holds or no such part is left. Parts with no one stay shown. If any part's count is unknown, all
    parts are hidden as soon as one is."""
    if any(n is None for n in counts):
        return set(range(len(counts))) if hidden else set(hidden)
    known = [float(n or 0) for n in counts]
    out = set(hidden)
    while out:
        counted = [i for i in out if known[i] > 0]
        if len(counted) >= 2 and sum(known[i] for i in counted) >= threshold:
            break
        candidates = [i for i in range(len(known)) if i not in out and known[i] > 0]
        if not candidates:
            break
        out.add(min(candidates, key=lambda i: (known[i], i)))
    return out


@dataclass(frozen=True)
class _Lines:
    """The additive constraints of a table with totals: each line lists its cells and its total's key."""

    lines: tuple[tuple[tuple[Cell, ...], Cell], ...]
    values: Mapping[Cell, float]


def with_totals(counts: Mapping[Any, float | None], *, row_totals: bool = True,
                column_totals: bool = True) -> dict[Cell, float]:
    """The table with the totals it shows added under the TOTAL keys (a missing or None cell counts 0)."""
    rows = list(dict.fromkeys(r for r, _ in counts))
    cols = list(dict.fromkeys(c for _, c in counts))
    full = {(r, c): float(counts.get((r, c)) or 0) for r in rows for c in cols}
    if row_totals:
        for r in rows:
            full[(r, TOTAL)] = sum(full[(r, c)] for c in cols)
    if column_totals:
        for c in cols:
            full[(TOTAL, c)] = sum(full[(r, c)] for r in rows)
    if row_totals and column_totals:
        full[(TOTAL, TOTAL)] = sum(full[(r, c)] for r in rows for c in cols)
    return full


def _lines(full: Mapping[Cell, float]) -> _Lines:
    rows = [r for r, c in full if TOTAL not in (r, c)]
    rows = list(dict.fromkeys(rows))
    cols = list(dict.fromkeys(c for r, c in full if TOTAL not in (r, c)))
    lines: list[tuple[tuple[Cell, ...], Cell]] = []
    for r in rows:
        if (r, TOTAL) in full:
            lines.append((tuple((r, c) for c in cols), (r, TOTAL)))
    for c in cols:
        if (TOTAL, c) in full:
            lines.append((tuple((r, c) for r in rows), (TOTAL, c)))
    if (TOTAL, TOTAL) in full:
        lines.append((tuple((r, TOTAL) for r in rows), (TOTAL, TOTAL)))
        lines.append((tuple((TOTAL, c) for c in cols), (TOTAL, TOTAL)))
    return _Lines(tuple(lines), full)


#: An additive line of a table: its cells and the key of the total they add up to.
Line = tuple[tuple[Cell, ...], Cell]


def determinable(full: Mapping[Cell, float], hidden: Iterable[Cell], lines: Sequence[Line] | None = None) -> set[Cell]:
    """The hidden cells whose value follows exactly from the shown cells and totals of `full` (a table from
    `with_totals`, or any cells with their `lines`, e.g. a table with subtotals): x_i is fixed by the line
    equations iff the unit vector e_i lies in the row space of the equations restricted to the hidden cells. The
    independent check of every suppression, whoever chose the cells."""
    unknown = sorted(set(hidden), key=repr)
    if not unknown:
        return set()
    index = {k: i for i, k in enumerate(unknown)}
    rows = []
    for cells, total in (_lines(full).lines if lines is None else lines):
        row = np.zeros(len(unknown))
        for k in cells:
            if k in index:
                row[index[k]] += 1.0
        if total in index:
            row[index[total]] -= 1.0
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    # e_i is in the row space iff its projection onto it, Σ_j<rank vt[j, i]², is 1: one SVD for all cells (one
    # BLAS thread: the matrices are small, and threads fighting over shared cores made it 50 times slower)
    a = np.array(rows)
    with threadpool_limits(limits=1):
        _, s, vt = np.linalg.svd(a, full_matrices=False)
    tolerance = s.max() * max(a.shape) * np.finfo(float).eps if s.size else 0.0
    rank = int((s > tolerance).sum())
    projected = (vt[:rank] ** 2).sum(axis=0)
    return {k for k, i in index.items() if projected[i] >= 1 - 1e-9}


def _small_line_sums(full: Mapping[Cell, float], hidden: set[Cell], threshold: int,
                     lines: Sequence[Line] | None = None) -> list[tuple[Cell, ...]]:
    """Lines with a shown total whose hidden cells add up to a count of 1 to threshold − 1 (that sum is total −
    shown cells, so it would be published by difference)."""
    out = []
    for cells, total in (_lines(full).lines if lines is None else lines):
        if total in hidden:
            continue
        gone = [k for k in cells if k in hidden]
        if gone and is_small(sum(full[k] for k in gone), threshold):
            out.append((*cells, total))
    return out


#: Tau-Argus's suppression method for the secondary cells: optimal (OPT, the HiGHS solver), ADR 0024.
SECONDARY_METHOD = "OPT(1)"


class _SolverInFolder:
    """Tau-Argus's optimal solver writing its log and work files into `folder` instead of the current directory
    (pytauargus 0.6 calls it without an output folder)."""

    def __init__(self, solver: Any, folder: Path) -> None:
        self._solver, self._folder = solver, folder

    def __getattr__(self, name: str) -> Any:
        return getattr(self._solver, name)

    def full_jj(self, **kwargs: Any) -> int:
        return int(self._solver.full_jj(**kwargs, out_dir=f"{self._folder}/"))


def _tau_argus(table: Mapping[Any, float], unsafe: Iterable[tuple[str, ...]],
               dimensions: int) -> set[tuple[str, ...]]:
    """Secondary suppression by Tau-Argus (pytauargus, its optimal method) of a 1-D or 2-D table of counts of
    people given as its inner cells (codes without "Total"): the cells in `unsafe` (totals as "Total") are set
    unsafe a priori and Tau-Argus adds the cheapest cells (cost = the count) so that none of them can be worked out
    from the rest. Empty cells (0 people) are never taken. Returns the hidden cells, totals named "Total"."""
    from pytauargus.arb import micro_arb  # imported here: the native engine loads only when a table is protected
    from pytauargus.engine import Engine
    from pytauargus.micro import micro_asc_rda
    from pytauargus.result import TableResult

    names = ["R", "C"][:dimensions]
    micro: dict[str, list[Any]] = {name: [] for name in [*names, "n"]}
    for key, n in sorted(table.items()):
        if n and n > 0:  # one record per cell, its count as the response (and the cost)
            for name, code in zip(names, key, strict=True):
                micro[name].append(code)
            micro["n"].append(round(n))
    if not micro["n"]:
        return set(unsafe)
    with tempfile.TemporaryDirectory(prefix="ikms-tau-") as workdir:
        folder = Path(workdir)
        micro_asc_rda(micro, asc_filename=str(folder / "micro.asc"), rda_filename=str(folder / "micro.rda"))
        (folder / "apriori.hst").write_text("".join(",".join((*key, "u")) + "\n" for key in sorted(unsafe)))
        micro_arb(arb_filename=str(folder / "batch.arb"), asc_filename=str(folder / "micro.asc"),
                  rda_filename=str(folder / "micro.rda"), explanatory_vars=[names], response_var="n",
                  safety_rules="", suppress=SECONDARY_METHOD, output_names=[str(folder / "table.tab")],
                  output_type="5", output_options="SO+", apriori=[str(folder / "apriori.hst")])
        engine = Engine()
        engine._hitas = _SolverInFolder(engine._hitas, folder)  # its logs into the temporary folder
        engine.run_batch(str(folder / "batch.arb"))
        result = TableResult(path=str(folder / "table.tab"), exp_vars=names, response="n", is_freq=False)
        rows = result.rows
    return {tuple(str(row[name]).strip() for name in names) for row in rows if row["status"] in ("U", "M")}


def _secondary_by_tau_argus(full: Mapping[Cell, float], hidden: set[Cell], *, row_totals: bool,
                            column_totals: bool) -> set[Cell]:
    """`hidden` and the secondary cells Tau-Argus chooses for them: one 2-D table where both totals are shown,
    else one 1-D table per line (a row with its total, or a column with its total), since a total that is not
    published must not be taken as a secondary cell."""
    rows = sorted({r for r, c in full if TOTAL not in (r, c)}, key=repr)  # codes independent of the input's order
    cols = sorted({c for r, c in full if TOTAL not in (r, c)}, key=repr)
    row_code = {r: f"r{i:04d}" for i, r in enumerate(rows)} | {TOTAL: "Total"}
    col_code = {c: f"c{j:04d}" for j, c in enumerate(cols)} | {TOTAL: "Total"}
    row_of = {v: k for k, v in row_code.items()}
    col_of = {v: k for k, v in col_code.items()}
    out = set(hidden)
    if row_totals and column_totals:
        inner = {(row_code[r], col_code[c]): full[(r, c)] for r in rows for c in cols}
        unsafe = [(row_code[r], col_code[c]) for r, c in hidden]
        out |= {(row_of[r], col_of[c]) for r, c in _tau_argus(inner, unsafe, 2)}
        return out
    lines = ([(r, [(r, c) for c in cols], (r, TOTAL)) for r in rows] if row_totals else []) + (
        [(c, [(r, c) for r in rows], (TOTAL, c)) for c in cols] if column_totals else [])
    for _, cells, total in lines:
        if not any(k in hidden for k in (*cells, total)):
            continue
        code = {k: f"p{i:04d}" for i, k in enumerate(cells)} | {total: "Total"}
        back = {v: k for k, v in code.items()}
        chosen = _tau_argus({(code[k],): full[k] for k in cells}, [(code[k],) for k in (*cells, total)
                                                                    if k in hidden], 1)
        out |= {back[c] for (c,) in chosen}
    return out


def suppress_table(counts: Mapping[Any, float | None], *, row_totals: bool = True, column_totals: bool = True,
                   threshold: int = MIN_COUNT, primary: Iterable[Cell] = (), engine: str = "tau-argus") -> set[Cell]:
    """The cells (and totals, under the TOTAL keys) to hide in a table of counts of people shown with its row
    and/or column totals: every count of 1 to threshold − 1 (primary; also the cells in `primary`), then the
    secondary cells: Tau-Argus's optimal suppression (`engine="tau-argus"`, ADR 0024) chooses the cheapest set so
    that no hidden cell can be worked out from the shown ones; then, checked independently by linear algebra
    (`determinable`), and for the IKMS rule that no line's hidden cells add up to a count of 1–4 (Tau-Argus does not
    know it), the smallest shown cells of a failing line are added one by one until both hold. With
    `engine="greedy"` that last step does it all (the engine before ADR 0024). Cells with people in them are taken
    before empty ones, and a total only where its line has no other cell left."""
    full = with_totals(counts, row_totals=row_totals, column_totals=column_totals)
    lines = list(_lines(full).lines)
    hidden = {k for k, n in full.items() if is_small(n, threshold)} | set(primary)
    if engine == "tau-argus" and hidden and (row_totals or column_totals):
        hidden = _secondary_by_tau_argus(full, hidden, row_totals=row_totals, column_totals=column_totals)
    elif engine not in ("tau-argus", "greedy"):
        raise ValueError(f"unknown engine {engine!r}")
    return secure(full, lines, hidden, threshold)


def secure(full: Mapping[Cell, float], lines: Sequence[Line], hidden: Iterable[Cell],
           threshold: int = MIN_COUNT) -> set[Cell]:
    """`hidden` and the further cells needed so that no hidden cell is `determinable` from the `lines` and no
    line's hidden cells add up to a count of 1 to threshold − 1: the smallest shown cell of a failing line is
    added, one at a time (cells with people in them before empty ones, a total only where its line has no other
    cell left). The completion after Tau-Argus, and the whole engine for tables with subtotals."""
    hidden = set(hidden)
    totals = {total for _, total in lines}

    def cost(k: Cell) -> tuple[int, int, float, str]:
        return (int(k in totals), int(full[k] <= 0), full[k], repr(k))

    while True:
        exposed = sorted(determinable(full, hidden, lines), key=repr)
        if exposed:
            target = exposed[0]
            through = [(*cells, total) for cells, total in lines if target in cells or target == total]
        else:
            through = _small_line_sums(full, hidden, threshold, lines)
            if not through:
                return hidden
        candidates = [k for line in through for k in line if k not in hidden]
        if not candidates:  # every line through it is hidden already: any shown cell of the table
            candidates = [k for k in full if k not in hidden]
        if not candidates:
            return hidden
        hidden.add(min(candidates, key=cost))
