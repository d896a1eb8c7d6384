"""Marks (the grades dataset) and centralised examinations.

Every learner in grades 4–12 and every vocational learner takes the subjects of their grade band, with 20–30
marks per subject spread over the school year. A learner's mark level is 6.45 + 1.25·a − 0.45·q: ability a
(0.45·q + individual) raises marks, and low latent school quality q *inflates* them, so that exam results
(which follow ability only) fall further below daily marks in weak schools.

Calibration (school year 2023/24): the shares of learners with a mean ≥ 7 in basic schools, in grades 10–12
of secondary schools and in advanced courses are reached exactly. The learners above the line are those with
the highest expected mean (a population offset puts the k-th of them at 7.0; the same offsets hold in every
year so marks do not jump), and after the marks are drawn the few learners on the wrong side of 7.0 get
single marks moved by one point until they are on the intended side.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.lake.schemas import COURSE_LEVELS, DATASETS
from analytics.synth.institutions import BASIC, SECONDARY, VOCATIONAL
from analytics.synth.plan import best_k
from analytics.synth.util import segment_positions, take_strings
from analytics.synth.world import World
from analytics.synth.writer import PartitionWriter

SUBJECTS = ("LAT", "LIT", "MAT", "ENG", "FL2", "NAT", "BIO", "CHE", "PHY", "GEO", "HIS", "SOC", "SPO", "MUS",
            "ART", "DES", "INF", "ECO", "PRO1", "PRO2", "PRO3", "PRO4")
S = {s: i for i, s in enumerate(SUBJECTS)}
DIFFICULTY = np.array([{"MAT": -0.45, "PHY": -0.35, "CHE": -0.35, "LAT": -0.1, "LIT": 0.05, "ENG": 0.15,
                        "GEO": 0.1, "SOC": 0.2, "SPO": 0.9, "MUS": 0.7, "ART": 0.7, "DES": 0.5, "INF": 0.2,
                        "ECO": 0.1}.get(s, 0.2 if s.startswith("PRO") else 0.0) for s in SUBJECTS])
ADVANCED_SHIFT = -0.35

#: Subject bands: 4–6, 7–9, 10–12 (general), special programmes, extramural 10–12, vocational.
TEMPLATES = (
    ("LAT", "MAT", "ENG", "NAT", "HIS", "SOC", "SPO", "MUS", "ART", "DES"),
    ("LAT", "LIT", "MAT", "ENG", "FL2", "BIO", "CHE", "PHY", "GEO", "HIS", "SOC", "SPO", "INF"),
    ("LAT", "LIT", "MAT", "ENG", "FL2", "HIS", "SOC", "NAT", "SPO", "DES"),
    ("LAT", "MAT", "NAT", "SOC", "SPO", "DES", "ART"),
    ("LAT", "LIT", "MAT", "ENG", "HIS", "SOC"),
    ("LAT", "LIT", "MAT", "ENG", "HIS", "SPO", "PRO1", "PRO2", "PRO3", "PRO4"),
)
#: In band 2 the first eight subjects may be taken as advanced courses (two are); plus one extra advanced course.
ADVANCEABLE = 8
EXTRA_ADVANCED = ("PHY", "CHE", "BIO", "INF", "ECO", "GEO")

CHUNK_LEARNERS = 20_000
THRESHOLD = 7


class MarkPlan:
    """Learner-subject table of one year: which subjects, how many marks, expected level."""

    def __init__(self, w: World, t: int) -> None:
        e = w.enrolment(t)
        rng = w.rng("mark-plan", t)
        self.t = t
        has = ((e.level == BASIC) & (e.grade >= 4)) | (e.level == SECONDARY) | (e.level == VOCATIONAL)
        extramural = w.type[e.inst] == "extramural_secondary"
        band = np.full(e.n, -1)
        band[has & (e.level == BASIC) & (e.grade <= 6)] = 0
        band[has & (e.level == BASIC) & (e.grade >= 7)] = 1
        band[has & (e.level == SECONDARY)] = 2
        band[has & (e.level == SECONDARY) & extramural] = 4
        band[has & e.special & (e.level != VOCATIONAL)] = 3
        band[has & (e.level == VOCATIONAL)] = 5
        learners = np.nonzero(band >= 0)[0]
        nsub = np.array([len(tp) + (1 if b in (2, 4) else 0) for b, tp in enumerate(TEMPLATES)])
        per = nsub[band[learners]]
        ls_row, slot = segment_positions(per)
        ls_enrol = learners[ls_row]
        b = band[ls_enrol]
        subject = np.zeros(len(ls_enrol), dtype=np.int64)
        advanced = np.zeros(len(ls_enrol), dtype=bool)
        for k, tp in enumerate(TEMPLATES):
            sel = b == k
            codes = np.array([S[s] for s in tp] + [-1])
            subject[sel] = codes[slot[sel]]
        extra = subject < 0
        subject[extra] = np.array([S[s] for s in EXTRA_ADVANCED])[rng.integers(0, len(EXTRA_ADVANCED), extra.sum())]
        advanced[extra] = True
        # Two advanced courses among the first eight subjects of band 2.
        b2 = np.nonzero(band[learners] == 2)[0]
        if len(b2):
            keys = rng.random((len(b2), ADVANCEABLE))
            picks = np.argsort(keys, axis=1)[:, :2]
            first = np.cumsum(per) - per
            advanced[first[b2][:, None] + picks] = True
        self.enrol = ls_enrol
        self.subject = subject.astype(np.int16)
        self.advanced = advanced
        self.n_marks = rng.integers(20, 31, len(ls_enrol)).astype(np.int64)
        # Expected level of each learner-subject.
        q = w.q(t)[e.inst]
        ability = 0.45 * q + 0.893 * w.pop.learners.ability[e.learner]
        base = np.where(e.special, 6.8, np.where(e.level == VOCATIONAL, 6.3, 6.45))
        mu = base + 1.25 * ability - 0.45 * q + rng.normal(0, 0.25, e.n)
        self.learner_mu = mu
        self.level = (mu[ls_enrol] + DIFFICULTY[subject] + rng.normal(0, 0.55, len(ls_enrol))
                      + ADVANCED_SHIFT * advanced)
        # Populations of the calibrated shares.
        self.pop_a = w.is_basic_school[e.inst] & (band >= 0)
        self.pop_b = w.is_secondary_school[e.inst] & (e.level == SECONDARY) & (band >= 0)
        n_adv = np.bincount(ls_enrol, weights=self.n_marks * advanced, minlength=e.n)
        self.pop_c = self.pop_b & (n_adv > 0)
        n_l = e.n
        self.want_a = np.zeros(n_l, dtype=np.int8)
        self.want_b = np.zeros(n_l, dtype=np.int8)
        self.want_c = np.zeros(n_l, dtype=np.int8)

    def _sums(self, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(self.learner_mu)
        s = np.bincount(self.enrol[sel], weights=(self.n_marks * self.level)[sel], minlength=n)
        c = np.bincount(self.enrol[sel], weights=self.n_marks[sel], minlength=n)
        return s, c

    def calibrate_to(self, shares: dict[str, float]) -> dict[str, float]:
        """Offsets for target shares (percent) a, b (overall) and c (advanced courses), and designations."""
        everything = np.ones(len(self.enrol), dtype=bool)
        s_all, n_all = self._sums(everything)
        s_adv, n_adv = self._sums(self.advanced)
        out = {}
        # a: all marks of basic-school learners shift together.
        out["a"], self.want_a = _offset(self.pop_a, THRESHOLD * n_all - s_all, n_all, shares["a"])
        # c: advanced marks of secondary-school learners.
        out["c"], self.want_c = _offset(self.pop_c, THRESHOLD * n_adv - s_adv, n_adv, shares["c"])
        # b: general marks of secondary-school learners, after the advanced shift.
        n_gen = n_all - n_adv
        need = THRESHOLD * n_all - s_all - out["c"] * n_adv
        out["b"], self.want_b = _offset(self.pop_b, need, n_gen, shares["b"])
        return out

    def apply_offsets(self, off: dict[str, float]) -> None:
        enrol = self.enrol
        self.level = self.level + np.where(self.pop_a[enrol], off["a"], 0.0)
        self.level = self.level + np.where(self.pop_b[enrol] & self.advanced, off["c"], 0.0)
        self.level = self.level + np.where(self.pop_b[enrol] & ~self.advanced, off["b"], 0.0)


def _offset(pop: np.ndarray, need: np.ndarray, weight: np.ndarray, share: float) -> tuple[float, np.ndarray]:
    """Offset x such that exactly k = best_k(N, share) learners of pop have x·weight ≥ need; designations.

    Learner i clears the line when x ≥ need_i / weight_i; the offset sits halfway between the k-th and the
    (k+1)-th smallest such critical value. Returns the offset and want (+1 above, −1 below, 0 outside)."""
    idx = np.nonzero(pop & (weight > 0))[0]
    want = np.zeros(len(pop), dtype=np.int8)
    if len(idx) == 0:
        return 0.0, want
    crit = need[idx] / weight[idx]
    k = best_k(len(idx), share)
    order = np.argsort(crit, kind="stable")
    srt = crit[order]
    if k == 0:
        x = srt[0] - 0.5
    elif k == len(idx):
        x = srt[-1] + 0.5
    else:
        x = 0.5 * (srt[k - 1] + srt[k])
    want[idx] = -1
    want[idx[order[:k]]] = 1
    return float(x), want


def enforce(marks: np.ndarray, learner: np.ndarray, *, counted: np.ndarray, adjustable: np.ndarray,
            want: np.ndarray, rng: np.random.Generator) -> None:
    """Move single marks by one point until each learner's mean over counted rows is ≥ 7 (want +1) or < 7
    (want −1). Rows are sorted by learner (local index 0..L−1); only adjustable rows change."""
    n_l = len(want)
    for _ in range(200):
        s = np.bincount(learner[counted], weights=marks[counted], minlength=n_l)
        c = np.bincount(learner[counted], minlength=n_l)
        up = np.where((want == 1) & (s < THRESHOLD * c), THRESHOLD * c - s, 0).astype(np.int64)
        down = np.where((want == -1) & (s >= THRESHOLD * c), s - THRESHOLD * c + 1, 0).astype(np.int64)
        if not up.any() and not down.any():
            return
        for need, room, delta in ((up, marks < 10, 1), (down, marks > 1, -1)):
            rows = np.nonzero(adjustable & room & (need[learner] > 0))[0]
            if len(rows) == 0:
                continue
            key = rng.random(len(rows))
            order = np.lexsort((key, learner[rows]))
            rows = rows[order]
            lr = learner[rows]
            first = np.r_[0, np.nonzero(lr[1:] != lr[:-1])[0] + 1]
            rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
            hit = rows[rank < need[lr]]
            marks[hit] += delta
    raise RuntimeError("could not bring marks to the intended side of 7.0")


def write_marks(w: World, t: int, plan: MarkPlan, calibrate: bool) -> tuple[np.ndarray, np.ndarray]:
    """Write the grades partition; returns the sum and number of marks per enrolment row."""
    e = w.enrolment(t)
    cal = w.calendar(t)
    days = cal.all_days
    n_s1 = len(cal.s1)
    mark_sum = np.zeros(e.n, dtype=np.int64)
    mark_n = np.zeros(e.n, dtype=np.int64)
    want_all = np.zeros(e.n, dtype=np.int8)
    want_adv = np.zeros(e.n, dtype=np.int8)
    if calibrate:
        want_all = np.where(plan.want_a != 0, plan.want_a, plan.want_b).astype(np.int8)
        want_adv = plan.want_c
    subjects = pa.array(SUBJECTS)
    levels = pa.array(COURSE_LEVELS)
    # Learner-subject rows are grouped by enrolment row; cut them into chunks of whole learners.
    starts = np.r_[0, np.nonzero(np.diff(plan.enrol))[0] + 1]
    bounds = [*starts[::CHUNK_LEARNERS].tolist(), len(plan.enrol)]
    with PartitionWriter(w.lake_root, DATASETS["grades"], w.years[t]) as out:
        for ci in range(len(bounds) - 1):
            rng = w.rng("marks", t, ci)
            sl = slice(bounds[ci], bounds[ci + 1])
            enrol = plan.enrol[sl]
            n = plan.n_marks[sl]
            seg, pos = segment_positions(n)
            value = plan.level[sl][seg] + rng.normal(0.0, 1.25, len(seg))
            marks = np.clip(np.rint(value), 1, 10).astype(np.int64)
            adv = plan.advanced[sl][seg]
            row_enrol = enrol[seg]
            new = np.r_[True, row_enrol[1:] != row_enrol[:-1]]
            learner = np.cumsum(new) - 1
            local_ids = row_enrol[new]
            if calibrate:
                wa = want_adv[local_ids]
                if wa.any():
                    enforce(marks, learner, counted=adv, adjustable=adv, want=wa, rng=rng)
                wl = want_all[local_ids]
                if wl.any():
                    enforce(marks, learner, counted=np.ones(len(marks), dtype=bool), adjustable=~adv, want=wl,
                            rng=rng)
            mark_sum += np.bincount(row_enrol, weights=marks, minlength=e.n).astype(np.int64)
            mark_n += np.bincount(row_enrol, minlength=e.n)
            day_index = np.floor((pos + rng.random(len(pos))) / n[seg] * len(days)).astype(np.int64)
            out.write({
                "learner_id": w.learner_id_of(t, row_enrol),
                "institution": w.institution(e.inst[row_enrol]),
                "subject": take_strings(subjects, plan.subject[sl][seg]),
                "date": days[day_index],
                "semester": np.where(day_index < n_s1, 1, 2).astype(np.int8),
                "mark": marks.astype(np.int8),
                "course_level": take_strings(levels, adv.astype(np.int8)),
            })
    w.count("grades", w.years[t], out.rows)
    return mark_sum, mark_n
