"""How a figure changed where support was added: institutions whose support-staff FTE rose between two school
years against the other institutions, each group's pooled figure in both years and its change.

Inputs are plain per-institution numbers (from the engine's stored values), so the rule is testable on
hand-made tables:

* `fte`: institution → (support FTE in year a, support FTE in year b). An institution missing either year is
  left out (its support is not known: no data, not 0).
* `figure`: institution → ((numerator a, denominator a), (numerator b, denominator b)) of a ratio indicator
  (early leavers / learners, graduates moved on / graduates). An institution without both years is left out.

"Support added": FTE in b greater than in a. The group's figure in a year is 100 × Σ numerators / Σ
denominators over the institutions counted in both years (pooled, so a small school weighs by its learners).
A group of fewer than MIN_INSTITUTIONS institutions gets no figures: "too few to tell"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Below this many institutions in a group its change is not shown ("too few to tell").
MIN_INSTITUTIONS = 5

Pair = tuple[float, float]


@dataclass(frozen=True)
class GroupChange:
    institutions: int
    before: float | None = None
    after: float | None = None

    @property
    def too_few(self) -> bool:
        return self.institutions < MIN_INSTITUTIONS

    @property
    def change(self) -> float | None:
        """Percentage points, after − before (None when too few or a year has no denominator)."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class SupportEffect:
    added: GroupChange
    others: GroupChange


def _group(units: list[str], figure: Mapping[str, tuple[Pair, Pair]]) -> GroupChange:
    if len(units) < MIN_INSTITUTIONS:
        return GroupChange(institutions=len(units))
    num_a = sum(figure[u][0][0] for u in units)
    den_a = sum(figure[u][0][1] for u in units)
    num_b = sum(figure[u][1][0] for u in units)
    den_b = sum(figure[u][1][1] for u in units)
    return GroupChange(institutions=len(units), before=100 * num_a / den_a if den_a else None,
                       after=100 * num_b / den_b if den_b else None)


def support_effect(fte: Mapping[str, Pair], figure: Mapping[str, tuple[Pair, Pair]]) -> SupportEffect:
    """The change of `figure` where support staff FTE rose between the two years and where it did not."""
    both = sorted(u for u in figure if u in fte)
    added = [u for u in both if fte[u][1] > fte[u][0]]
    others = [u for u in both if fte[u][1] <= fte[u][0]]
    return SupportEffect(added=_group(added, figure), others=_group(others, figure))
