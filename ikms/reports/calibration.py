"""The annual report against the published figures: walks calibration-2024.yaml (a file given by its path) and
compares every published number with the report's cell at the same path, counts exactly and shares at the decimals
they are published to. Shared by the scale-1 test (tests/test_demo.py) and benchmarks/reports.py."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from ikms.reports.document import Report

#: Top-level keys of the file that are not published figures.
NOT_FIGURES = ("year",)


@dataclass
class Comparison:
    checked: int = 0
    equal: int = 0
    matched: list[tuple[str, ...]] = field(default_factory=list)
    different: dict[tuple[str, ...], tuple[Any, Any]] = field(default_factory=dict)  # path -> (published, report)
    unreached: list[tuple[str, ...]] = field(default_factory=list)  # no cell in the report


def figures(published: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every leaf number of the file with its path of keys."""
    for key, value in published.items():
        if not prefix and key in NOT_FIGURES:
            continue
        path = (*prefix, str(key))
        if isinstance(value, Mapping):
            yield from figures(value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield path, value


def _decimals(value: int | float) -> int:
    return 0 if isinstance(value, int) else len(repr(value).split(".")[1])


def same(published: int | float, cell: Any) -> bool:
    """Does the computed `cell` give the published figure: a count exactly, a share rounded half up at the
    decimals it is published to (9.465 gives 9.5; no ±0.1 allowance)."""
    if cell is None or isinstance(cell, str | bool) or not isinstance(cell, int | float):
        return False
    if isinstance(published, int):
        return float(cell) == published
    places = Decimal(1).scaleb(-_decimals(published))
    return Decimal(repr(float(cell))).quantize(places, ROUND_HALF_UP) == Decimal(repr(published))


def compare(report: Report, path: Path | str) -> Comparison:
    """Every published figure of the calibration file at `path` against `annual.calibration_cells(report)`."""
    from ikms.reports.annual import calibration_cells

    cells = calibration_cells(report)
    published = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    result = Comparison()
    for key, value in figures(published):
        if key not in cells:
            result.unreached.append(key)
            continue
        result.checked += 1
        if same(value, cells[key]):
            result.equal += 1
            result.matched.append(key)
        else:
            result.different[key] = (value, cells[key])
    return result
