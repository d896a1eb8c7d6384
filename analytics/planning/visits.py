"""The visit plan under capacity (issue 17, item 3): which institutions to visit in a school year within the
expert-days available, and why each one.

Pure: the candidates, their facts and the ranking signal are passed in (the web app reads them from the register,
supervision and the risk results); nothing here touches a database. The order of choosing:

1. **Accreditation due**: the accreditation term ends within the plan year, so a visit is required. These come
   first and may use the whole capacity (the law does not wait for the random share), soonest term first.
2. **Complaint or order**: open complaints or open inspection orders, most open matters first (orders before
   complaints at a tie), then the higher risk signal, then the registration number.
3. **Risk**: the institutions with a risk signal above 0, highest first (ties by registration number). Steps 2 and
   3 stop at the capacity less the random share.
4. **Random draw**: from every candidate not yet chosen (scored or not), uniformly: a numpy Generator seeded with
   the recorded seed permutes them (in registration-number order), and the draw takes them in that order while
   they fit in the random share (and in the capacity left). The same seed and the same candidates give the
   same draw. Days the directed steps leave unused stay free for visits added by hand.

An institution without a risk signal (`score is None`: not scored, too little data) is never ranked as low risk:
it takes no part in step 3 and can enter only by steps 1, 2 or 4. A candidate a step wanted but that did not fit is
reported in `not_fitted` with the reason it had. Capacity is never exceeded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

CONFIG = Path(__file__).resolve().parent.parent / "definitions" / "visit_plan.yaml"


class Basis(StrEnum):
    """Why a visit is in the plan."""

    ACCREDITATION_DUE = "accreditation_due"
    COMPLAINT_OR_ORDER = "complaint_or_order"
    RISK = "risk"
    RANDOM = "random"
    MANUAL = "manual"  # added by hand (the web app; never chosen here)


@dataclass(frozen=True)
class Candidate:
    """An institution that could be visited, with the facts the planner weighs."""

    number: str  # registration number
    expert_days: float
    accreditation_due: dt.date | None = None
    open_complaints: int = 0
    open_orders: int = 0
    score: float | None = None  # the ranking signal; None: not scored


@dataclass(frozen=True)
class Choice:
    """A chosen visit (or one that did not fit) and why."""

    candidate: Candidate
    basis: Basis
    risk_rank: int | None = None  # 1 = the highest signal among the scored candidates
    draw_position: int | None = None  # place in the seeded permutation (random draw only)

    @property
    def number(self) -> str:
        return self.candidate.number


@dataclass
class Plan:
    """The planner's answer: chosen visits in the order chosen, what did not fit, and the capacity used."""

    seed: int
    capacity: float
    random_share: float
    random_days: float  # capacity reserved for the random draw
    chosen: list[Choice] = field(default_factory=list)
    not_fitted: list[Choice] = field(default_factory=list)

    @property
    def used(self) -> float:
        return round(sum(c.candidate.expert_days for c in self.chosen), 6)

    @property
    def left(self) -> float:
        return round(self.capacity - self.used, 6)


def risk_ranks(candidates: list[Candidate]) -> dict[str, int]:
    """The rank of each candidate with a risk signal (1 = highest; ties by registration number)."""
    scored = sorted((c for c in candidates if c.score is not None), key=lambda c: (-(c.score or 0.0), c.number))
    return {c.number: i for i, c in enumerate(scored, start=1)}


def plan_visits(candidates: list[Candidate], *, year_start: dt.date, year_end: dt.date, capacity: float,
                random_share: float, seed: int) -> Plan:
    """Choose visits within `capacity` expert-days, `random_share` (0 to 1) of it drawn at random with `seed`."""
    if capacity < 0:
        raise ValueError("capacity must not be negative")
    if not 0 <= random_share <= 1:
        raise ValueError("random share must be between 0 and 1")
    numbers = [c.number for c in candidates]
    if len(set(numbers)) != len(numbers):
        raise ValueError("a candidate is given twice")
    if any(c.expert_days <= 0 for c in candidates):
        raise ValueError("every visit needs more than 0 expert-days")
    random_days = round(capacity * random_share, 6)
    plan = Plan(seed=seed, capacity=capacity, random_share=random_share, random_days=random_days)
    ranks = risk_ranks(candidates)
    taken: set[str] = set()

    def take(c: Candidate, basis: Basis, limit: float, **extra: Any) -> None:
        choice = Choice(candidate=c, basis=basis, risk_rank=ranks.get(c.number), **extra)
        if plan.used + c.expert_days <= limit + 1e-9:
            plan.chosen.append(choice)
            taken.add(c.number)
        else:
            plan.not_fitted.append(choice)

    due = sorted((c for c in candidates if c.accreditation_due is not None
                  and year_start <= c.accreditation_due <= year_end),
                 key=lambda c: (c.accreditation_due, c.number))
    for c in due:
        take(c, Basis.ACCREDITATION_DUE, capacity)
    directed = capacity - random_days
    due_numbers = {c.number for c in due}
    pressing = sorted((c for c in candidates if c.number not in taken and c.number not in due_numbers
                       and (c.open_complaints or c.open_orders)),
                      key=lambda c: (-(c.open_orders + c.open_complaints), -c.open_orders,
                                     -(c.score if c.score is not None else -1.0), c.number))
    for c in pressing:
        take(c, Basis.COMPLAINT_OR_ORDER, directed)
    wanted = {ch.number for ch in plan.not_fitted}
    for c in sorted((c for c in candidates if c.number not in taken and c.number not in wanted
                     and c.score is not None and c.score > 0), key=lambda c: ranks[c.number]):
        take(c, Basis.RISK, directed)
    pool = sorted((c for c in candidates if c.number not in taken), key=lambda c: c.number)
    order = np.random.default_rng(seed).permutation(len(pool)) if pool else np.array([], dtype=int)
    draw_limit = min(capacity, plan.used + random_days)
    for position, index in enumerate(order.tolist(), start=1):
        c = pool[index]
        if plan.used + c.expert_days <= draw_limit + 1e-9:
            plan.chosen.append(Choice(candidate=c, basis=Basis.RANDOM, risk_rank=ranks.get(c.number),
                                      draw_position=position))
            taken.add(c.number)
    plan.not_fitted = [ch for ch in plan.not_fitted if ch.number not in taken]
    return plan


@cache
def _config() -> dict[str, Any]:
    with CONFIG.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def expert_days(kind: str, learners: int | None) -> float:
    """Expert-days a visit needs for an institution of a kind and size (definitions/visit_plan.yaml, inferred)."""
    config = _config()
    days = float(config["kinds"].get(kind, config["default_days"]))
    if learners is None:
        return days + float(config["unknown_size_add"])
    add = 0.0
    for band in config["size_bands"]:
        if learners >= band["from"]:
            add = float(band["add"])
    return days + add
