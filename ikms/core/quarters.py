"""Calendar quarters and the comparison of each quarter with the same quarter a year before (complaint and
licensing trends). A year with no records at all is "no data", never a comparison base of 0: a real 0 (the
earlier year holds records, none of them in that quarter or group) and a missing year read differently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

QUARTERS = (1, 2, 3, 4)
#: Quarter names as the pages and charts write them.
QUARTER_LABELS = ("I", "II", "III", "IV")


def quarter(day: dt.date) -> int:
    """The calendar quarter (1–4) of a day."""
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class QuarterChange:
    """One quarter's count against the same quarter a year before; `previous` is None where the earlier year holds
    no records (no data)."""

    quarter: int
    count: int
    previous: int | None

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.count - self.previous

    @property
    def change_pct(self) -> float | None:
        """The change in per cent of the earlier count; None where there is no data or the earlier count is 0."""
        if self.previous is None or self.previous == 0:
            return None
        return 100 * (self.count - self.previous) / self.previous


def year_on_year(counts: Sequence[int], previous: Sequence[int] | None) -> list[QuarterChange]:
    """Each quarter's count against the earlier year's (None: that year holds no records)."""
    return [
        QuarterChange(q, counts[i], None if previous is None else previous[i]) for i, q in enumerate(QUARTERS)
    ]


@dataclass(frozen=True)
class ComparedRow:
    """A group's quarters against the year before, and the year's total against the earlier total."""

    label: str
    quarters: list[QuarterChange]
    total: QuarterChange


def compare_rows(
    current: dict[str, Sequence[int]], previous: dict[str, Sequence[int]] | None, *, order: Sequence[str] = ()
) -> list[ComparedRow]:
    """Groups (label → four quarterly counts) of a year against the year before. `previous` None: the earlier
    year holds no records at all, so every comparison is "no data"; a group absent from a year with records
    counts 0 there. Rows follow `order`, then the rest by the current total (largest first) and label."""
    labels = list(dict.fromkeys([*order, *current, *(previous or {})]))
    rest = sorted((label for label in labels if label not in order), key=lambda k: (-sum(current.get(k, ())), k))
    out = []
    for label in [*[k for k in order if k in labels], *rest]:
        now = list(current.get(label, (0, 0, 0, 0)))
        before = None if previous is None else list(previous.get(label, (0, 0, 0, 0)))
        out.append(
            ComparedRow(
                label,
                year_on_year(now, before),
                QuarterChange(0, sum(now), None if before is None else sum(before)),
            )
        )
    return out


def export_rows(rows: Sequence[ComparedRow], *, group: str = "") -> list[list]:
    """Rows for a CSV/XLSX export: group, label, quarter (empty: the whole year), count, the earlier count ("no
    data" where the earlier year holds no records), change and change in % (empty where they cannot be given)."""
    out = []
    for row in rows:
        for change in [*row.quarters, row.total]:
            pct = change.change_pct
            out.append(
                [group, row.label, QUARTER_LABELS[change.quarter - 1] if change.quarter else "",
                 change.count, _("no data") if change.previous is None else change.previous, change.change,
                 None if pct is None else round(pct, 1)]
            )
    return out


def export_headers(group: str) -> list[str]:
    """The headers of `export_rows`, for a year and the year before."""
    return [group, _("Group"), _("Quarter"), _("Count"), _("Same quarter a year before"), _("Change"),
            _("Change, %")]
