"""The legal basis a register decision cites, by area (register, licence, accreditation …) and the decision's date:
the instrument in force on that date, from data/legal_instruments.yaml. Forms offer it as the default and the demo
cites it, so a licence of 2005 does not cite a regulation of 2023."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parent / "data" / "legal_instruments.yaml"


@functools.cache
def instruments() -> dict[str, list[tuple[dt.date | None, dt.date | None, str]]]:
    """Per area, (from, until, basis) in date order; checked to follow each other without a gap or overlap."""
    data = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    out = {}
    for area, rows in data["areas"].items():
        spans = sorted(((r.get("from"), r.get("until"), r["basis"]) for r in rows), key=lambda r: r[0] or dt.date.min)
        for a, b in itertools.pairwise(spans):
            if a[1] is None or b[0] is None or b[0] != a[1] + dt.timedelta(days=1):
                raise ValueError(f"legal instruments of {area}: periods must follow each other without a gap")
        if spans[0][0] is not None or spans[-1][1] is not None:
            raise ValueError(f"legal instruments of {area}: the first must be open at the start, the last at the end")
        out[area] = spans
    return out


def legal_basis(area: str, day: dt.date) -> str:
    """The basis an `area` decision of `day` cites."""
    for start, end, basis in instruments()[area]:
        if (start is None or start <= day) and (end is None or day <= end):
            return basis
    raise LookupError(area, day)  # unreachable: the periods cover every day (checked on load)
