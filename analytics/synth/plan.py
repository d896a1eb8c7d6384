"""Exact calibration by construction: which integer counts and which denominators hit a published share."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from analytics.synth.util import top_k


def best_k(n: int, target_pct: float) -> int:
    """The count k of n whose share 100·k/n is nearest the target."""
    if n <= 0:
        return 0
    k = round(target_pct * n / 100.0)
    return int(min(max(k, 0), n))


def best_error(n: int, target_pct: float) -> float:
    """Smallest |100·k/n − target| any integer k reaches (0.05 or less means the share is reachable)."""
    if n <= 0:
        return math.inf
    return abs(100.0 * best_k(n, target_pct) / n - target_pct)


def choose_denominator(available: int, targets: Iterable[float], min_share: float = 0.8) -> int:
    """The number of institutions to keep so that all the target shares are as reachable as possible.

    Searches n in [ceil(min_share·available), available] for the smallest worst-case error; ties go to the
    larger n. The institutions not kept get no learners in the calibration year (closed after the first
    year), the "institution with no data that year" of the specification."""
    ts = list(targets)
    if available <= 5 or not ts:
        return available
    lo = max(1, math.ceil(min_share * available))
    best = max(range(lo, available + 1), key=lambda n: (-round(max(best_error(n, t) for t in ts), 9), n))
    return best


# -- risk flags ---------------------------------------------------------------------------------------

RISK_KEYS = {
    "R1": "risk_combined_classes",
    "R2": "risk_long_term_unexcused_absence",
    "R3": "risk_no_support_staff",
    "R4": "risk_teacher_vacancy_over_one_month",
    "R5": "risk_exam_10_to_30_below_national",
}

#: Rules whose source a school may fail to submit for the calibration year, so that the rule cannot evaluate it
#: (it then counts in neither the numerator nor the denominator of the published share): rule -> lake dataset.
#: R4 only where it flags on the previous OR the current year (secondary schools): under "previous AND current"
#: a school with the current year missing and no long vacancy the year before still passes.
WITHHOLDABLE = {"R1": "classes", "R4": "vacancies"}
#: Withholding is used only at national size (a published one-decimal share presumes ~100 schools or more),
#: for at most this share of the school set.
WITHHOLD_MIN_SCHOOLS = 100
WITHHOLD_MAX_SHARE = 0.03


def withheld_count(n: int, target_pct: float) -> int:
    """How many of `n` schools must lack the rule's source so that the share over the rest reaches the
    published decimal (0 when it already does, or when no small number of gaps helps)."""
    if n < WITHHOLD_MIN_SCHOOLS or best_error(n, target_pct) <= 0.05:
        return 0
    for d in range(1, max(1, int(WITHHOLD_MAX_SHARE * n)) + 1):
        if best_error(n - d, target_pct) <= 0.05:
            return d
    return 0


@dataclass
class Flags:
    """Institution-level risk decisions, made from latent quality (plus noise) so the shares come out exact.

    Arrays are per institution. ``vacancy_required[:, j]`` / ``vacancy_forbidden[:, j]`` say whether a teacher
    vacancy open for more than 30 days must / must not occur in the previous (j = 0) or the calibration
    (j = 1) school year; institutions outside the two school sets are left to chance."""

    basic_set: np.ndarray
    secondary_set: np.ndarray
    combined: np.ndarray
    truancy: np.ndarray
    no_support: np.ndarray
    vacancy_required: np.ndarray
    vacancy_forbidden: np.ndarray
    low_exam: np.ndarray
    #: Lake dataset -> institutions whose records of the calibration year are not submitted (see WITHHOLDABLE).
    withheld: dict[str, np.ndarray]

    @property
    def school_sets(self) -> np.ndarray:
        return self.basic_set | self.secondary_set

    @property
    def long_term_allowed(self) -> np.ndarray:
        """Institutions whose learners may exceed 20 unjustified lessons (R2 decides for the school sets)."""
        return ~self.school_sets | self.truancy


def _pick(candidates: np.ndarray, score: np.ndarray, k: int, what: str) -> np.ndarray:
    idx = np.nonzero(candidates)[0]
    if k > len(idx):
        raise ValueError(f"{what}: {k} institutions needed, only {len(idx)} qualify")
    out = np.zeros(len(candidates), dtype=bool)
    out[idx[top_k(score[idx], k)]] = True
    return out


def plan_flags(rng: np.random.Generator, *, basic_set: np.ndarray, secondary_set: np.ndarray, quality: np.ndarray,
               size: np.ndarray, rural: np.ndarray, truancy_ok: np.ndarray, exam_ok: np.ndarray,
               basic_targets: dict[str, float], secondary_targets: dict[str, float]) -> Flags:
    """Choose the flagged institutions of each school set: k = the count nearest target × N, where N is the set
    less the few schools whose source of the rule is withheld (WITHHOLDABLE) when N alone cannot reach the
    published decimal."""
    n = len(quality)
    noise = lambda sd: rng.normal(0.0, sd, n)  # noqa: E731
    logsize = np.log(np.maximum(size, 1.0))
    combined = np.zeros(n, dtype=bool)
    truancy = np.zeros(n, dtype=bool)
    no_support = np.zeros(n, dtype=bool)
    required = np.zeros((n, 2), dtype=bool)
    forbidden = np.zeros((n, 2), dtype=bool)
    low_exam = np.zeros(n, dtype=bool)
    withheld = {dataset: np.zeros(n, dtype=bool) for dataset in WITHHOLDABLE.values()}
    for school_set, targets, name in ((basic_set, basic_targets, "basic"), (secondary_set, secondary_targets,
                                                                            "secondary")):
        count = int(school_set.sum())

        def gaps(key: str, targets: dict[str, float] = targets, count: int = count, name: str = name) -> int:
            if key == "R4" and name == "basic":
                return 0
            return withheld_count(count, targets[RISK_KEYS[key]])

        def k(key: str, targets: dict[str, float] = targets, count: int = count) -> int:
            return best_k(count - gaps(key), targets[RISK_KEYS[key]])

        def withhold(key: str, flagged: np.ndarray, score: np.ndarray, school_set: np.ndarray = school_set,
                     name: str = name) -> None:
            if d := gaps(key):
                withheld[WITHHOLDABLE[key]] |= _pick(school_set & ~flagged, score, d, f"{name} {key} gaps")

        r1 = _pick(school_set, -logsize + 0.8 * rural - 0.3 * quality + noise(0.5), k("R1"), f"{name} R1")
        combined |= r1
        withhold("R1", r1, -logsize)
        truancy |= _pick(school_set & truancy_ok, -quality + 0.3 * logsize + noise(0.7), k("R2"),
                         f"{name} R2")
        no_support |= _pick(school_set, -quality + 0.5 * rural - 0.3 * logsize + noise(0.8), k("R3"),
                            f"{name} R3")
        r4 = _pick(school_set, -quality + 0.4 * rural + noise(0.8), k("R4"), f"{name} R4")
        others = school_set & ~r4
        withhold("R4", r4, -logsize)
        if name == "basic":  # flagged: a long vacancy in the previous AND the current year
            required[r4] = True
            one = others & (rng.random(n) < 0.35)
            year = rng.integers(0, 2, n)
            forbidden[others] = True
            forbidden[one & (year == 0), 0] = False
            forbidden[one & (year == 1), 1] = False
        else:  # flagged: in the previous OR the current year
            pattern = rng.choice(3, size=n, p=[0.4, 0.3, 0.3])
            required[r4 & (pattern != 2), 0] = True
            required[r4 & (pattern != 1), 1] = True
            forbidden[others] = True
            low_exam |= _pick(school_set & exam_ok, -quality + noise(0.6), k("R5"), f"{name} R5")
    return Flags(basic_set, secondary_set, combined, truancy, no_support, required, forbidden, low_exam, withheld)
