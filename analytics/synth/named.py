"""Named demo persons: a few learners of the synthetic lake whose pseudonymous id is the keyed hash of a personal
code (analytics/imports/pseudonym.py), as the imports would write it, instead of the seeded id every other learner
has. So a statement of education history (ikms/statements) can find them by their demo personal code.

Only the ids change: the learners are chosen from the population already simulated, with a random stream of their
own, so every row, count and calibration figure of the lake stays as it was without them. The first code goes to
a learner who graduated (the `graduates` dataset) and is enrolled in as many of the school years as any graduate;
the others to learners enrolled in as many school years as anyone who did not graduate."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analytics.imports.pseudonym import pseudonymise
from analytics.synth.population import Population
from analytics.synth.util import stream


def _pick(rng: np.random.Generator, candidates: np.ndarray, k: int) -> list[int]:
    if k <= 0 or len(candidates) == 0:
        return []
    return [int(s) for s in rng.choice(np.sort(candidates), size=min(k, len(candidates)), replace=False)]


def choose_named(pop: Population, seed: int, codes: Sequence[str], key: bytes) -> dict[int, str]:
    """Learner serial → the pseudonymous id of its demo personal code, one learner per code (deterministic for a
    seed and the codes)."""
    if not codes:
        return {}
    if not key:
        raise ValueError("named persons need the pseudonymisation key")
    ids = [pseudonymise(code, key) for code in codes]
    if len(set(ids)) != len(ids):
        raise ValueError("the named persons' personal codes must differ")
    n = int(max(int(e.learner.max()) for e in pop.years if len(e.learner)) + 1)
    years = np.bincount(np.concatenate([e.learner for e in pop.years]).astype(np.int64), minlength=n)
    graduated = np.zeros(n, dtype=bool)
    grads = [g.learner for g in pop.graduates if len(g.learner)]
    if grads:
        graduated[np.concatenate(grads).astype(np.int64)] = True
    rng = stream(seed, "named-persons")
    chosen: list[int] = []
    if graduated.any():
        most = years[graduated].max()
        chosen += _pick(rng, np.nonzero(graduated & (years == most))[0], 1)
    rest = ~graduated
    rest[chosen] = False
    while len(chosen) < len(codes) and rest.any():  # the most school years first, fewer if they run out
        most = years[rest].max()
        if most == 0:
            break
        picked = _pick(rng, np.nonzero(rest & (years == most))[0], len(codes) - len(chosen))
        chosen += picked
        rest[picked] = False
        rest[years == most] = False
    if len(chosen) < len(codes):
        raise ValueError(f"the population has too few learners for {len(codes)} named persons")
    return dict(zip(chosen, ids, strict=True))
