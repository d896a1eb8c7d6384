"""Absences (one row per learner, day and reason) and the long-term unexcused absentee records.

Who is absent is decided per semester as exact sets (annual report tables 6 and 7): the long-term unexcused
absentees of each level are a weighted draw from the learners allowed to be one (propensity × exp(−0.8 q)),
one per institution flagged for risk R2 first; the learners with at least one unjustified, justified or
illness absence are then drawn to the table 7 counts. Each chosen (learner, semester, reason) becomes an
episode of school days; long-term absentees miss more than 20 lessons (pre-school: more than 3 days), the
others at most 20 (pre-school: at most 3 days).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.lake.schemas import ABSENCE_REASONS, DATASETS, LONG_ABSENCE_ACTIONS, LONG_ABSENCE_REASONS
from analytics.synth.institutions import BASIC, PRESCHOOL, SECONDARY, VOCATIONAL
from analytics.synth.targets import LT_GROUPS, scaled
from analytics.synth.util import segment_positions, take_strings, weighted_sample
from analytics.synth.world import LEVEL_NAMES, World
from analytics.synth.writer import write_partition

J, ILL, U = (ABSENCE_REASONS.index(r) for r in ("justified", "illness", "unjustified"))
LT, UNJ, JUST, ILLNESS, PRE_LT, PRE_UNJ, PRE_OTHER = range(7)
GROUP_LEVEL = {"preschool": PRESCHOOL, "general_basic": BASIC, "general_secondary": SECONDARY,
               "vocational": VOCATIONAL}


def _source_year(years: tuple[str, ...], year: str) -> str:
    """The calibrated year whose figures a year uses (itself, else the nearest one)."""
    if year in years:
        return year
    return min(years, key=lambda y: abs(int(y[:4]) - int(year[:4])))


class _Episodes:
    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, int, int, int]] = []

    def add(self, rows: np.ndarray, sem: int, reason: int, kind: int) -> None:
        if len(rows):
            self.parts.append((np.asarray(rows, dtype=np.int64), sem, reason, kind))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if not self.parts:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z, z
        rows = np.concatenate([p[0] for p in self.parts])
        rep = [len(p[0]) for p in self.parts]
        sem = np.repeat([p[1] for p in self.parts], rep)
        reason = np.repeat([p[2] for p in self.parts], rep)
        kind = np.repeat([p[3] for p in self.parts], rep)
        return rows, sem, reason, kind


def write_absences(w: World, t: int) -> None:
    e = w.enrolment(t)
    year = w.years[t]
    rng = w.rng("absences", t)
    tg = w.targets
    lt_year = _source_year(tg.long_term_years, year)
    miss_year = _source_year(tg.missing_years, year)
    lt_target = {g: {s: scaled(v, w.scale) for s, v in d.items()} for g, d in tg.long_term(lt_year).items()}
    miss_target = {k: scaled(v, w.scale) for k, v in tg.missing(miss_year).items()}
    q = w.q(t)[e.inst]
    lr = w.pop.learners
    propensity = lr.truancy[e.learner].astype(np.float64) * np.exp(-0.8 * q)
    allowed = w.flags.long_term_allowed[e.inst]
    age_ok = (e.level == PRESCHOOL) & (e.age >= 5)
    pools = {
        "preschool": age_ok,
        "general_basic": (e.level == BASIC) & ~e.special & allowed,
        "general_secondary": (e.level == SECONDARY) & ~e.special & allowed,
        "vocational": (e.level == VOCATIONAL) & ~e.special,
    }
    seed_inst = w.flags.truancy & w.flags.school_sets
    ep = _Episodes()
    long_term: dict[int, dict[str, np.ndarray]] = {}
    for sem in (1, 2):
        chosen: dict[str, np.ndarray] = {}
        seeds = np.zeros(0, dtype=np.int64)
        if sem == 2:  # one long-term absentee in every institution flagged for R2
            cand = np.nonzero((pools["general_basic"] | pools["general_secondary"]) & seed_inst[e.inst])[0]
            key = np.log(rng.random(len(cand))) / propensity[cand]
            order = cand[np.lexsort((-key, e.inst[cand]))]
            first = np.r_[True, e.inst[order][1:] != e.inst[order][:-1]]
            seeds = order[first]
        for group in LT_GROUPS:
            pool = pools[group].copy()
            mine = seeds[pools[group][seeds]]
            k = lt_target[group][sem]
            if len(mine) > k:
                raise ValueError(f"{year} s{sem} {group}: {len(mine)} R2 institutions but only {k} absentees")
            pool[mine] = False
            idx = np.nonzero(pool)[0]
            if k - len(mine) > len(idx):
                raise ValueError(f"{year} s{sem} {group}: {k} long-term absentees wanted, {len(idx)} learners")
            chosen[group] = np.sort(np.r_[mine, idx[weighted_sample(rng, propensity[idx], k - len(mine))]])
        long_term[sem] = chosen
        ep.add(chosen["preschool"], sem, U, PRE_LT)
        for group in ("general_basic", "general_secondary", "vocational"):
            ep.add(chosen[group], sem, U, LT)
        # Table 7: learners with at least one absence of each reason (basic incl. special, secondary).
        for level, name, lt_group in ((BASIC, "basic", "general_basic"), (SECONDARY, "secondary",
                                                                          "general_secondary")):
            everyone = e.level == level
            lt_rows = chosen[lt_group]
            rest = everyone.copy()
            rest[lt_rows] = False
            idx = np.nonzero(rest)[0]
            k = miss_target[("unjustified", name, sem)] - len(lt_rows)
            if k < 0 or k > len(idx):
                raise ValueError(f"{year} s{sem} {name}: cannot reach the unjustified-absence count")
            w_u = np.sqrt(lr.truancy[e.learner[idx]]) * np.exp(-0.5 * q[idx])
            ep.add(idx[weighted_sample(rng, w_u, k)], sem, U, UNJ)
            idx = np.nonzero(everyone)[0]
            for reason, kind, slope in ((J, JUST, -0.2), (ILL, ILLNESS, -0.1)):
                k = miss_target[(ABSENCE_REASONS[reason], name, sem)]
                if k > len(idx):
                    raise ValueError(f"{year} s{sem} {name}: {k} learners with {ABSENCE_REASONS[reason]} wanted")
                wts = np.exp(slope * q[idx] + rng.normal(0, 0.4, len(idx)))
                ep.add(idx[weighted_sample(rng, wts, k)], sem, reason, kind)
        # Pre-school and vocational learners: by chance.
        pre = np.nonzero(e.level == PRESCHOOL)[0]
        not_lt = np.setdiff1d(pre, chosen["preschool"])
        ep.add(not_lt[rng.random(len(not_lt)) < 0.05], sem, U, PRE_UNJ)
        ep.add(pre[rng.random(len(pre)) < 0.35], sem, J, PRE_OTHER)
        ep.add(pre[rng.random(len(pre)) < 0.55], sem, ILL, PRE_OTHER)
        voc = np.nonzero(e.level == VOCATIONAL)[0]
        not_lt = np.setdiff1d(voc, chosen["vocational"])
        ep.add(not_lt[rng.random(len(not_lt)) < 0.35 * np.exp(-0.3 * q[not_lt])], sem, U, UNJ)
        ep.add(voc[rng.random(len(voc)) < 0.45], sem, J, JUST)
        ep.add(voc[rng.random(len(voc)) < 0.4], sem, ILL, ILLNESS)
    _write_rows(w, t, ep, rng)
    _write_long_term(w, t, long_term, rng)


def _write_rows(w: World, t: int, ep: _Episodes, rng: np.random.Generator) -> None:
    e = w.enrolment(t)
    cal = w.calendar(t)
    rows, sem, reason, kind = ep.arrays()
    n_ep = len(rows)
    n_days = np.where(sem == 1, len(cal.s1), len(cal.s2))
    # Lessons in total (sum-constrained kinds) and days.
    total = np.zeros(n_ep, dtype=np.int64)
    lt = kind == LT
    total[lt] = np.minimum(250, 21 + np.floor(np.exp(rng.normal(2.6, 0.8, lt.sum())))).astype(np.int64)
    unj = kind == UNJ
    total[unj] = 1 + np.minimum(19, np.floor(np.exp(rng.normal(0.9, 0.9, unj.sum())))).astype(np.int64)
    per_day = rng.uniform(1.5, 6.0, n_ep)
    d = np.ceil(total / per_day).astype(np.int64)
    d = np.clip(d, -(-total // 8), np.minimum(total, n_days))
    d = np.where(kind == JUST, 1 + np.minimum(rng.poisson(1.2, n_ep), 9), d)
    d = np.where(kind == ILLNESS, 2 + np.minimum(rng.poisson(2.5, n_ep), 18), d)
    d = np.where(kind == PRE_LT, 4 + np.minimum(rng.poisson(2.0, n_ep), 11), d)
    d = np.where(kind == PRE_UNJ, rng.integers(1, 4, n_ep), d)
    d = np.where(kind == PRE_OTHER, 1 + np.minimum(rng.poisson(2.0, n_ep), 14), d)
    consecutive = (kind == ILLNESS) | ((kind == PRE_OTHER) & (reason == ILL))
    max_step = np.where(d > 1, (n_days - 1) // np.maximum(d - 1, 1), 7)
    step = np.where(consecutive, 1, 1 + np.floor(rng.random(n_ep) * np.minimum(7, max_step)).astype(np.int64))
    start = np.floor(rng.random(n_ep) * (n_days - (d - 1) * step)).astype(np.int64)
    seg, pos = segment_positions(d)
    day_index = start[seg] + pos * step[seg] + np.where(sem[seg] == 2, len(cal.s1), 0)
    dates = cal.all_days[day_index]
    # Lessons per day.
    k = kind[seg]
    lessons = np.ones(len(seg), dtype=np.int64)
    fixed = (k == LT) | (k == UNJ)
    base = total[seg] // d[seg]
    lessons = np.where(fixed, base + (pos < (total[seg] - base * d[seg])), lessons)
    lessons = np.where(k == JUST, rng.integers(1, 8, len(seg)), lessons)
    lessons = np.where(k == ILLNESS, rng.integers(4, 9, len(seg)), lessons)
    # Move lessons between neighbouring days of an episode (sum unchanged, 1..8 each).
    pair = fixed & (pos % 2 == 0) & (pos + 1 < d[seg])
    a = np.nonzero(pair)[0]
    lo = np.maximum(1 - lessons[a], lessons[a + 1] - 8)
    hi = np.minimum(8 - lessons[a], lessons[a + 1] - 1)
    x = lo + np.floor(rng.random(len(a)) * (hi - lo + 1)).astype(np.int64)
    lessons[a] += x
    lessons[a + 1] -= x
    r = rows[seg]
    order = np.lexsort((reason[seg], dates, r))
    r, dates, lessons, rs, sm = r[order], dates[order], lessons[order], reason[seg][order], sem[seg][order]
    cols = {
        "learner_id": w.learner_id_of(t, r),
        "institution": w.institution(e.inst[r]),
        "date": dates,
        "semester": sm.astype(np.int8),
        "lessons": lessons.astype(np.int8),
        "reason": take_strings(pa.array(ABSENCE_REASONS), rs),
    }
    year = w.years[t]
    w.count("absences", year, write_partition(w.lake_root, DATASETS["absences"], year, cols))


def _write_long_term(w: World, t: int, long_term: dict[int, dict[str, np.ndarray]],
                     rng: np.random.Generator) -> None:
    e = w.enrolment(t)
    year = w.years[t]
    calibrated = w.targets.long_term_reasons
    cal_total = w.targets.long_term_total(_source_year(w.targets.long_term_years, "2023/2024"))
    parts = []
    for sem in (1, 2):
        rows = np.concatenate([long_term[sem][g] for g in LT_GROUPS])
        rows = rows[rng.permutation(len(rows))]
        if year == "2023/2024":
            counts = [scaled(calibrated[sem][r], w.scale) for r in LONG_ABSENCE_REASONS]
        else:
            counts = [round(calibrated[sem][r] / cal_total[sem] * len(rows)) for r in LONG_ABSENCE_REASONS]
        if sum(counts) > len(rows):
            raise ValueError(f"{year} s{sem}: more long-term absence reasons than long-term absentees")
        reason = np.full(len(rows), -1, dtype=np.int64)
        reason[: sum(counts)] = np.repeat(np.arange(len(counts)), counts)
        p_with = np.array([0.55, 0.15, 0.05, 0.04, 0.1, 0.01, 0.1])
        p_without = np.array([0.4, 0, 0, 0, 0, 0, 0.6])
        u = rng.random(len(rows))
        action = np.where(reason >= 0, np.searchsorted(np.cumsum(p_with), u * p_with.sum(), side="right"),
                          np.searchsorted(np.cumsum(p_without), u * p_without.sum(), side="right"))
        parts.append((rows, np.full(len(rows), sem), reason, np.minimum(action, len(p_with) - 1)))
    rows = np.concatenate([p[0] for p in parts])
    semesters = np.concatenate([p[1] for p in parts])
    reason = np.concatenate([p[2] for p in parts])
    action = np.concatenate([p[3] for p in parts])
    reason_arr = take_strings(pa.array(LONG_ABSENCE_REASONS), np.maximum(reason, 0))
    reason_arr = pa.array(reason_arr.to_numpy(zero_copy_only=False), type=pa.string(), mask=reason < 0)
    cols = {
        "learner_id": w.learner_id_of(t, rows),
        "institution": w.institution(e.inst[rows]),
        "semester": semesters.astype(np.int8),
        "level": take_strings(LEVEL_NAMES, e.level[rows]),
        "reason": reason_arr,
        "action": take_strings(pa.array(LONG_ABSENCE_ACTIONS), action),
    }
    w.count("long_term_absences", year,
            write_partition(w.lake_root, DATASETS["long_term_absences"], year, cols))
