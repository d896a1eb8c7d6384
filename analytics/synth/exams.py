"""Centralised examinations: grade 9 (LAT9, MAT9, ENG9) and grade 12 (LAT, MAT, ENG; optional others), per
learner (`exams`) and as published per institution and exam (`exam_results`, the same results).

A learner's mean mandatory score follows ability (0.45·q + individual), so exam results are lower in weak
schools, while daily marks there are inflated (see ``marks``): the gap between 10 × mean mark and the exam
score widens as q falls.

Calibration: in 2023/24 the basic-school learners whose daily and exam results differ by more than 20 points
are the k with the largest natural gap, and the secondary-school grade 12 gap is shifted to its published
mean; in 2022/23 the school means of the secondary schools flagged for R5 are put 10–30 % below the national
mean on one compulsory exam, and those of the other schools out of that band.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.lake.schemas import DATASETS
from analytics.synth.institutions import BASIC, SECONDARY
from analytics.synth.plan import best_k
from analytics.synth.util import segment_positions, take_strings
from analytics.synth.world import World
from analytics.synth.writer import write_partition

EXAMS = ("LAT9", "MAT9", "ENG9", "LAT", "MAT", "ENG", "PHY", "CHE", "BIO", "HIS", "GER", "RUS")
MANDATORY_9 = np.array([0, 1, 2])
MANDATORY_12 = np.array([3, 4, 5])
OPTIONAL_12 = np.arange(6, 12)
EFFECT = np.array([2.0, -6.0, 10.0, 0.0, -9.0, 11.0, -4.0, -2.0, 0.0, 3.0, 6.0, 8.0])
R5_BAND = (0.7, 0.9)


def write_exams(w: World, t: int, mark_sum: np.ndarray, mark_n: np.ndarray, *, calibrate: bool,
                low_exam_year: bool) -> None:
    e = w.enrolment(t)
    rng = w.rng("exams", t)
    takers9 = np.nonzero((e.level == BASIC) & (e.grade == 9) & ~e.special & (mark_n > 0))[0]
    takers12 = np.nonzero((e.level == SECONDARY) & (e.grade == 12) & ~e.special & (mark_n > 0))[0]
    takers = np.r_[takers9, takers12]
    is12 = np.r_[np.zeros(len(takers9), dtype=bool), np.ones(len(takers12), dtype=bool)]
    q = w.q(t)[e.inst[takers]]
    ability = 0.45 * q + 0.893 * w.pop.learners.ability[e.learner[takers]]
    mean_exam = np.where(is12, 50 + 16 * ability, 62 + 14 * ability) + rng.normal(0, 6, len(takers))
    mean_exam = np.clip(mean_exam, 2, 98)
    daily = 10.0 * mark_sum[takers] / np.maximum(mark_n[takers], 1)
    if calibrate:
        basic = ~is12 & w.is_basic_school[e.inst[takers]]
        mean_exam[basic] = _differs(rng, daily[basic], mean_exam[basic],
                                    w.targets.basic["learners_daily_vs_state_exam_differs"])
        sec = is12 & w.is_secondary_school[e.inst[takers]]
        mean_exam[sec] = _gap(daily[sec], mean_exam[sec], w.targets.secondary["daily_vs_state_exam_gap"])
    # Mandatory exams: three per learner around the learner's mean, the mean kept exactly.
    per = np.full(len(takers), 3)
    seg, pos = segment_positions(per)
    code = np.where(is12[seg], MANDATORY_12[pos], MANDATORY_9[pos])
    dev = EFFECT[code] + rng.normal(0, 6, len(seg))
    dev -= np.repeat(dev.reshape(-1, 3).mean(axis=1), 3)
    room = np.minimum(mean_exam, 100 - mean_exam)
    biggest = np.abs(dev).reshape(-1, 3).max(axis=1)
    factor = np.minimum(1.0, room / np.maximum(biggest, 1e-9))
    score = mean_exam[seg] + factor[seg] * dev
    row = takers[seg]
    mandatory = np.ones(len(seg), dtype=bool)
    if low_exam_year:
        score = _low_exam(w, e.inst[row], code, score)
    # Optional grade 12 exams.
    n_opt = np.where(is12, rng.choice(3, size=len(takers), p=[0.45, 0.4, 0.15]), 0)
    oseg, opos = segment_positions(n_opt)
    first = rng.integers(0, len(OPTIONAL_12), len(takers))
    ocode = OPTIONAL_12[(first[oseg] + opos * 2) % len(OPTIONAL_12)]
    oscore = np.clip(mean_exam[oseg] + EFFECT[ocode] + rng.normal(0, 10, len(oseg)), 0, 100)
    row = np.r_[row, takers[oseg]]
    code = np.r_[code, ocode]
    score = np.r_[score, oscore]
    mandatory = np.r_[mandatory, np.zeros(len(oseg), dtype=bool)]
    order = np.lexsort((code, row))
    row, code, score, mandatory = row[order], code[order], score[order], mandatory[order]
    cols = {
        "learner_id": w.learner_id_of(t, row),
        "institution": w.institution(e.inst[row]),
        "exam": take_strings(pa.array(EXAMS), code),
        "mandatory": mandatory,
        "grade": np.where(np.isin(code, MANDATORY_9), 9, 12).astype(np.int8),
        "score_pct": np.clip(score, 0, 100).astype(np.float32),
    }
    year = w.years[t]
    w.count("exams", year, write_partition(w.lake_root, DATASETS["exams"], year, cols))
    w.count("exam_results", year, write_partition(w.lake_root, DATASETS["exam_results"], year, published(cols)))


def published(cols: dict[str, object]) -> dict[str, object]:
    """The same results as published per institution and exam (`exam_results`): the takers and their mean
    score. The demo lake holds both grains; where both describe a school's exam, the per-learner rows count."""
    table = pa.table({"institution": cols["institution"], "exam": cols["exam"], "mandatory": cols["mandatory"],
                      "grade": cols["grade"], "score": np.asarray(cols["score_pct"], dtype=np.float64)})
    g = table.group_by(["institution", "exam", "mandatory", "grade"]).aggregate([("score", "mean"), ("score", "count")])
    g = g.sort_by([("institution", "ascending"), ("exam", "ascending")])
    return {"institution": g["institution"], "exam": g["exam"], "mandatory": g["mandatory"], "grade": g["grade"],
            "takers": g["score_count"].cast(pa.int16()), "mean_score_pct": g["score_mean"].cast(pa.float32())}


def _differs(rng: np.random.Generator, daily: np.ndarray, exam: np.ndarray, share: float) -> np.ndarray:
    """Exam means such that exactly k learners differ from 10 × their mean mark by more than 20 points."""
    gap = daily - exam
    k = best_k(len(gap), share)
    chosen = np.zeros(len(gap), dtype=bool)
    chosen[np.argsort(-(np.abs(gap) + rng.normal(0, 1.5, len(gap))), kind="stable")[:k]] = True
    sign = np.where(gap >= 0, 1.0, -1.0)
    g = gap.copy()
    low = chosen & (np.abs(g) < 21)
    g[low] = sign[low] * rng.uniform(21, 25, low.sum())
    high = ~chosen & (np.abs(g) > 19)
    g[high] = sign[high] * rng.uniform(15, 19, high.sum())
    out = daily - g
    flip = chosen & ((out < 0) | (out > 100))
    out[flip] = daily[flip] + g[flip]
    return np.where(chosen, out, np.clip(out, 0, 100))


def _gap(daily: np.ndarray, exam: np.ndarray, target: float) -> np.ndarray:
    """Shift exam means (within 0–100) so that the mean of 10 × mean mark − exam is the target."""
    if len(exam) == 0:
        return exam
    lo, hi = -100.0, 100.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        if np.mean(daily - np.clip(exam + mid, 0, 100)) > target:
            lo = mid
        else:
            hi = mid
    return np.clip(exam + 0.5 * (lo + hi), 0, 100)


def _low_exam(w: World, inst: np.ndarray, code: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Rescale school-exam means: flagged secondary schools 10–30 % below the national mean on one compulsory
    exam; the other secondary schools of the set outside that band on every compulsory exam."""
    score = score.copy()
    flagged = w.flags.low_exam
    members = w.flags.secondary_set
    key = inst.astype(np.int64) * 16 + code
    keys, inv = np.unique(key, return_inverse=True)
    k_inst = keys // 16
    k_code = keys % 16
    target = 0.74 + 0.12 * w.rng("r5-target").random(len(keys))
    for _ in range(100):
        s32 = np.clip(score, 0, 100).astype(np.float32).astype(np.float64)
        national = np.bincount(code, weights=s32, minlength=16) / np.maximum(np.bincount(code, minlength=16), 1)
        mean = np.bincount(inv, weights=s32) / np.bincount(inv)
        ratio = mean / national[k_code]
        in_band = (ratio >= R5_BAND[0]) & (ratio <= R5_BAND[1])
        safe = (ratio >= R5_BAND[0] + 0.02) & (ratio <= R5_BAND[1] - 0.02)
        factor = np.ones(len(keys))
        # Flagged schools without a safely banded exam: move the exam nearest 0.8 to its target.
        has_safe = np.zeros(len(flagged), dtype=bool)
        has_safe[k_inst[safe]] = True
        need = flagged[k_inst] & members[k_inst] & ~has_safe[k_inst]
        if need.any():
            cand = np.nonzero(need)[0]
            order = cand[np.lexsort((np.abs(ratio[cand] - 0.8), k_inst[cand]))]
            first = np.r_[True, k_inst[order][1:] != k_inst[order][:-1]]
            pick = order[first]
            factor[pick] = target[pick] / ratio[pick]
        # Other schools of the set inside (or near) the band: raise them above it.
        near = members[k_inst] & ~flagged[k_inst] & (ratio >= R5_BAND[0] - 0.01) & (ratio <= R5_BAND[1] + 0.01)
        factor[near] = (R5_BAND[1] + 0.03) / ratio[near]
        if np.all(factor == 1.0):
            ok_flagged = np.zeros(len(flagged), dtype=bool)
            ok_flagged[k_inst[in_band]] = True
            bad = (flagged & members & ~ok_flagged).any() or (members[k_inst] & ~flagged[k_inst] & in_band).any()
            if not bad:
                return score
        score = np.clip(score * factor[inv], 0, 100)
    raise RuntimeError("could not place the R5 school exam means")
