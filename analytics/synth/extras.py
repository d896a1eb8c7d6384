"""Diagnostic assessments, the well-being survey and the out-of-school children snapshots."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.lake.schemas import DATASETS, DIAGNOSTIC_DOMAINS, OUT_OF_SCHOOL_STATUSES, SURVEY_ROLES
from analytics.synth.institutions import BASIC, PRESCHOOL, SECONDARY, VOCATIONAL
from analytics.synth.population import day
from analytics.synth.targets import scaled
from analytics.synth.util import pseudonym_hashes, pseudonyms, segment_positions, take_strings
from analytics.synth.world import World
from analytics.synth.writer import write_partition

DOMAIN_EFFECT = np.array([-3.0, 2.0, 0.0])
PUPIL_QUESTIONS = tuple(f"P{i:02d}" for i in range(1, 9))
TEACHER_QUESTIONS = tuple(f"T{i:02d}" for i in range(1, 7))

#: Ages (on 31 December) of the children of each out-of-school status.
STATUS_AGES = {
    "expelled_from_preschool_for_non_attendance": (5, 6),
    "preschool_in_family": (5, 6),
    "starts_basic_education_next_school_year": (6, 7),
}
#: Snapshot sizes of earlier years relative to the calibrated 2024-12-31 snapshot (approximate).
EARLIER_SNAPSHOT = 0.93


def write_diagnostics(w: World, t: int) -> None:
    """Pre-school (5–6 year olds), grade 3 and grade 6 diagnostics; 95 % take part."""
    e = w.enrolment(t)
    rng = w.rng("diagnostics", t)
    pre = (e.level == PRESCHOOL) & (e.age >= 5)
    g3 = (e.level == BASIC) & (e.grade == 3) & ~e.special
    g6 = (e.level == BASIC) & (e.grade == 6) & ~e.special
    who = np.nonzero((pre | g3 | g6) & (rng.random(e.n) < 0.95))[0]
    n_dom = np.where(g6[who], 3, 2)
    seg, dom = segment_positions(n_dom)
    row = who[seg]
    q = w.q(t)[e.inst[row]]
    ability = 0.45 * q + 0.893 * w.pop.learners.ability[e.learner[row]]
    score = np.clip(62 + 14 * ability + 3 * q + DOMAIN_EFFECT[dom] + rng.normal(0, 9, len(row)), 0, 100)
    cols = {
        "learner_id": w.learner_id_of(t, row),
        "institution": w.institution(e.inst[row]),
        "grade": np.where(pre[row], 0, e.grade[row]).astype(np.int8),
        "domain": take_strings(pa.array(DIAGNOSTIC_DOMAINS), dom),
        "score_pct": score.astype(np.float32),
    }
    year = w.years[t]
    w.count("diagnostics", year, write_partition(w.lake_root, DATASETS["diagnostics"], year, cols))


def write_wellbeing(w: World, t: int) -> None:
    """Pupils of grades 4–12 and vocational learners (45 % answer) and teachers (55 %); answers 1–5."""
    e = w.enrolment(t)
    rng = w.rng("wellbeing", t)
    pupils = ((e.level == BASIC) & (e.grade >= 4)) | (e.level == SECONDARY) | (e.level == VOCATIONAL)
    who = np.nonzero(pupils & (rng.random(e.n) < 0.45))[0]
    n_t = np.round(np.bincount(e.inst, minlength=len(w.frame)) / 9 * 0.55).astype(np.int64)
    t_inst = np.repeat(np.arange(len(w.frame)), n_t)
    inst = np.r_[e.inst[who], t_inst]
    role = np.r_[np.zeros(len(who), dtype=np.int64), np.ones(len(t_inst), dtype=np.int64)]
    serial = np.r_[e.learner[who], np.arange(len(t_inst)) + (1 << 40)]
    n_q = np.where(role == 0, len(PUPIL_QUESTIONS), len(TEACHER_QUESTIONS))
    seg, pos = segment_positions(n_q)
    q = w.q(t)[inst[seg]]
    personal = rng.normal(0, 0.6, len(inst))[seg]
    answer = np.clip(np.rint(3.4 + 0.35 * q + personal + rng.normal(0, 0.8, len(seg))), 1, 5)
    questions = pa.array(PUPIL_QUESTIONS + TEACHER_QUESTIONS)
    q_index = np.where(role[seg] == 0, pos, len(PUPIL_QUESTIONS) + pos)
    ids = pseudonyms(serial, w.seed, f"wellbeing-{w.years[t]}")
    cols = {
        "respondent_id": ids.take(pa.array(seg)),
        "institution": w.institution(inst[seg]),
        "role": take_strings(pa.array(SURVEY_ROLES), role[seg]),
        "question": take_strings(questions, q_index),
        "answer": answer.astype(np.int8),
    }
    year = w.years[t]
    w.count("wellbeing", year, write_partition(w.lake_root, DATASETS["wellbeing"], year, cols))


def write_out_of_school(w: World, t: int) -> None:
    """One snapshot per school year, on 31 December of its autumn; the 2024-12-31 counts are the table 5
    figures, earlier years about 7 % fewer. A child keeps the same id across snapshots (serial within status)."""
    rng = w.rng("out-of-school", t)
    year = w.years[t]
    autumn = w.autumn(t)
    target = w.targets.out_of_school
    factor = 1.0 if autumn >= 2024 else EARLIER_SNAPSHOT
    counts = np.array([scaled(target[s], w.scale * factor) for s in OUT_OF_SCHOOL_STATUSES], dtype=np.int64)
    status, serial = segment_positions(counts)
    h = pseudonym_hashes(status * 10_000_000 + serial, w.seed, "child-age")
    lo = np.array([STATUS_AGES.get(s, (5, 18))[0] for s in OUT_OF_SCHOOL_STATUSES])[status]
    hi = np.array([STATUS_AGES.get(s, (5, 18))[1] for s in OUT_OF_SCHOOL_STATUSES])[status]
    age = lo + (h % np.uint64(1000)).astype(np.int64) % (hi - lo + 1)
    weights = w.pop.municipality_weight
    muni = rng.choice(len(weights), size=len(status), p=weights / weights.sum())
    cols = {
        "child_id": pseudonyms(status * 10_000_000 + serial, w.seed, "child"),
        "birth_year": (autumn - age).astype(np.int16),
        "declared_municipality": take_strings(w.municipality_codes, muni),
        "status": take_strings(pa.array(OUT_OF_SCHOOL_STATUSES), status),
        "as_of": np.full(len(status), day(autumn, 12, 31), dtype=np.int32),
    }
    w.count("out_of_school", year, write_partition(w.lake_root, DATASETS["out_of_school"], year, cols))


#: Births fall by about this factor a year in the demo (Latvia's births fell by roughly a third from 2016 to 2024):
#: the children too young for school are the 7-year-old cohort shrunk by it, year by year.
BIRTH_DECLINE = 0.95
#: Declared children not enrolled in any Latvian school (abroad, home schooling, out of school): a few per cent.
NOT_ENROLLED = (0.02, 0.06)


def write_declared_children(w: World, t: int) -> None:
    """The population register's count of children declared in each municipality by year of birth (ages 0–18 on
    1 July of the school year's autumn), consistent with the demo's population: a school-age cohort is the
    enrolled learners of that municipality and birth year plus a few per cent not enrolled; the younger cohorts
    are the 7-year-olds shrunk by the falling births (`BIRTH_DECLINE`). Its own random stream."""
    rng = w.rng("declared-children", t)
    autumn = w.autumn(t)
    learners = np.unique(w.enrolment(t).learner)
    lr = w.pop.learners
    n_muni = len(w.pop.municipalities)
    first, entry = autumn - 18, autumn - 7  # oldest cohort; the cohort that starts grade 1 this autumn
    births = np.arange(first, autumn)
    by = lr.birth_year[learners].astype(np.int64)
    keep = (by >= first) & (by <= entry)
    counts = np.zeros((n_muni, len(births)), dtype=np.float64)
    np.add.at(counts, (lr.municipality[learners][keep].astype(np.int64), by[keep] - first), 1.0)
    counts[:, : entry - first + 1] *= 1.0 + rng.uniform(*NOT_ENROLLED, size=(n_muni, entry - first + 1))
    base = counts[:, entry - first]
    for k in range(1, autumn - entry):
        counts[:, entry - first + k] = base * BIRTH_DECLINE ** k * (1.0 + rng.normal(0.0, 0.03, n_muni))
    children = np.maximum(np.rint(counts), 0).astype(np.int64)
    muni, cohort = np.nonzero(children > 0)
    cols = {
        "declared_municipality": take_strings(w.municipality_codes, muni),
        "birth_year": births[cohort].astype(np.int16),
        "children": children[muni, cohort].astype(np.int32),
        "as_of": np.full(len(muni), day(autumn, 7, 1), dtype=np.int32),
    }
    year = w.years[t]
    w.count("declared_children", year, write_partition(w.lake_root, DATASETS["declared_children"], year, cols))
