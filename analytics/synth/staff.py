"""Staff positions and vacancies.

Each institution with learners starts with teachers for about learners / 9 full-time equivalents (special
schools / 5, pre-schools / 8, vocational / 10), a head, deputies, a librarian and — unless it is one of the
schools flagged for risk R3 (no support staff in the previous and the current year), or by chance (20 %) an
institution outside the basic and secondary school sets — support staff. Teachers leave through vacancies:
the leaver's position ends the day before the vacancy opens and, once filled, a new teacher starts on the
filling date. Weak schools (low q) open more vacancies and keep them open longer; risk R4 fixes whether a
school of the basic or secondary set must or must not have a teacher vacancy open for more than 30 days in
the previous and the current year.

The profile of each position (birth year, whether the holder has the qualification the post requires, and a
teacher's main subject) and the subject of each teacher vacancy come from their own random streams
("staff-profile"), drawn after everything above, so the calibrated figures do not move. A position is one
person (one staff_id) with the same profile in every year's file. About half of the teachers are over 50, a few
per cent lack the qualification, and the vacancies that stay open longest are mostly in mathematics, the
sciences, computing, Latvian and special education.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from analytics.lake.schemas import DATASETS, STAFF_POSITIONS, SUBJECT_CODES, SUPPORT_POSITIONS
from analytics.synth.population import day
from analytics.synth.util import group_rank, pseudonyms, take_strings
from analytics.synth.world import World
from analytics.synth.writer import write_partition

P = {p: i for i, p in enumerate(STAFF_POSITIONS)}
SUPPORT = np.array([P[p] for p in SUPPORT_POSITIONS])
RATIO = {"special": 5.0, "preschool": 8.0, "vocational": 10.0}
TEACHER_FTE = np.array([0.3, 0.5, 0.75, 1.0, 1.0, 1.0, 1.0, 1.2, 1.5])
SUBJ = {c: i for i, c in enumerate(SUBJECT_CODES)}
#: Main subjects of teachers at general schools (weights), and of the teacher vacancies open longest.
SCHOOL_SUBJECTS = {"PRI": 22, "LAT": 9, "LIT": 3, "MAT": 11, "ENG": 8, "FL2": 2, "RUS": 3, "NAT": 2, "BIO": 3,
                   "CHE": 3, "PHY": 3, "GEO": 3, "HIS": 5, "SOC": 3, "SPO": 6, "MUS": 4, "ART": 3, "DES": 4,
                   "INF": 3, "ECO": 1, "SPE": 3}
SHORTAGE_SUBJECTS = {"MAT": 22, "PHY": 9, "CHE": 9, "BIO": 6, "INF": 9, "LAT": 12, "SPE": 12, "ENG": 5, "PRI": 6,
                     "SPO": 3, "HIS": 2, "DES": 3, "MUS": 2}
VOCATIONAL_SUBJECTS = {"PRO": 60, "LAT": 6, "MAT": 8, "ENG": 6, "PHY": 3, "INF": 5, "HIS": 3, "SPO": 4, "ECO": 5}


def _weights(table: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    codes = np.array([SUBJ[c] for c in table])
    weights = np.array(list(table.values()), dtype=np.float64)
    return codes, weights / weights.sum()


def _draw(rng: np.random.Generator, table: dict[str, int], k: int) -> np.ndarray:
    codes, p = _weights(table)
    return codes[rng.choice(len(codes), size=k, p=p)]


class Roster:
    """Growing table of positions (one row per person, institution, position and start)."""

    def __init__(self) -> None:
        self.inst: list[np.ndarray] = []
        self.position: list[np.ndarray] = []
        self.fte: list[np.ndarray] = []
        self.start: list[np.ndarray] = []
        self.end: list[np.ndarray] = []

    def add(self, inst: np.ndarray, position: np.ndarray, fte: np.ndarray, start: np.ndarray) -> None:
        self.inst.append(inst.astype(np.int64))
        self.position.append(position.astype(np.int64))
        self.fte.append(fte.astype(np.float64))
        self.start.append(start.astype(np.int64))
        self.end.append(np.full(len(inst), -1, dtype=np.int64))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return (np.concatenate(self.inst), np.concatenate(self.position), np.concatenate(self.fte),
                np.concatenate(self.start), np.concatenate(self.end))

    def consolidate(self) -> None:
        arrays = self.arrays()
        self.inst, self.position, self.fte, self.start, self.end = ([a] for a in arrays)


def write_staff_and_vacancies(w: World) -> None:
    rng = w.rng("staff")
    n_inst = len(w.frame)
    n_years = len(w.years)
    learners = np.zeros((n_inst, n_years))
    for t in range(n_years):
        learners[:, t] = np.bincount(w.enrolment(t).inst, minlength=n_inst)
    first = np.argmax(learners > 0, axis=1)
    size = learners[np.arange(n_inst), first]
    present = learners.sum(axis=1) > 0
    kind = w.kind
    ratio = np.array([RATIO.get(k, 9.0) for k in kind])
    teachers = np.where(present, np.maximum(1, np.round(size / ratio / np.mean(TEACHER_FTE))), 0).astype(np.int64)
    y0 = w.autumn(0)
    roster = Roster()

    def hire(inst: np.ndarray, position: int | np.ndarray, fte: np.ndarray, start: np.ndarray) -> None:
        roster.add(inst, np.broadcast_to(np.asarray(position), inst.shape), fte, start)

    def history(k: int) -> np.ndarray:
        return day(y0, 8, 31) - rng.integers(0, 30 * 365, k)

    inst = np.repeat(np.arange(n_inst), teachers)
    hire(inst, P["teacher"], rng.choice(TEACHER_FTE, size=len(inst)),
         history(len(inst)))
    heads = np.nonzero(present)[0]
    hire(heads, P["head"], np.ones(len(heads)), history(len(heads)))
    deputies = np.repeat(heads, np.round(size[heads] / 300).astype(np.int64))
    hire(deputies, P["deputy_head"], rng.choice([0.5, 1.0], size=len(deputies)), history(len(deputies)))
    schools = present & (kind != "preschool")
    lib = np.nonzero(schools & (size > 150))[0]
    hire(lib, P["librarian"], rng.choice([0.5, 1.0], size=len(lib)), history(len(lib)))
    career = np.nonzero(schools & (w.is_secondary_school | (kind == "vocational")) & (rng.random(n_inst) < 0.5))[0]
    hire(career, P["career_counsellor"], np.full(len(career), 0.5), history(len(career)))
    has_support = present & ~w.flags.no_support & (w.flags.school_sets | (rng.random(n_inst) < 0.8))
    sup = np.nonzero(has_support)[0]
    counts = np.c_[
        1 + (size[sup] > 600),  # psychologist
        ((kind[sup] != "vocational") & (rng.random(len(sup)) < 0.8)).astype(np.int64),  # speech therapist
        (rng.random(len(sup)) < 0.6).astype(np.int64),  # special educator
        (rng.random(len(sup)) < 0.6).astype(np.int64),  # social pedagogue
        np.round(size[sup] / 150).astype(np.int64),  # teacher assistants
    ]
    for j, pos in enumerate(SUPPORT):
        where = np.repeat(sup, counts[:, j])
        hire(where, pos, rng.choice([0.5, 1.0], size=len(where)), history(len(where)))
    roster.consolidate()
    vac_parts = []
    for t in range(n_years):
        vac_parts.append(_year_vacancies(w, t, roster, teachers=teachers, has_support=has_support, rng=rng))
    _write(w, roster, vac_parts)


def _year_vacancies(w: World, t: int, roster: Roster, *, teachers: np.ndarray, has_support: np.ndarray,
                    rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    n_inst = len(w.frame)
    year = w.autumn(t)
    open_now = np.bincount(w.enrolment(t).inst, minlength=n_inst) > 0
    r_inst, r_pos, r_fte, r_start, r_end = roster.arrays()
    # Institutions without learners this year (closed): every position ended with the previous school year.
    r_end[(r_end < 0) & ~open_now[r_inst]] = day(year, 6, 30)
    q = w.q(t)
    lam = np.where(open_now, 0.2 + 0.05 * teachers * np.exp(-0.4 * q), 0.0)
    n_t = rng.poisson(lam)
    n_s = np.where(open_now & has_support, rng.poisson(0.08, n_inst), 0)
    cal = w.calibration_year
    j = None if cal is None else t - (cal - 1)
    required = np.zeros(n_inst, dtype=bool)
    forbidden = np.zeros(n_inst, dtype=bool)
    if j is not None and j in (0, 1):
        required = w.flags.vacancy_required[:, j] & open_now
        forbidden = w.flags.vacancy_forbidden[:, j]
        n_t = np.where(required, np.maximum(n_t, 1), n_t)
    v_inst = np.r_[np.repeat(np.arange(n_inst), n_t), np.repeat(np.arange(n_inst), n_s)]
    is_teacher = np.r_[np.ones(int(n_t.sum()), dtype=bool), np.zeros(int(n_s.sum()), dtype=bool)]
    k = len(v_inst)
    # Support vacancies take one of the positions the institution has.
    position = np.full(k, P["teacher"])
    position[~is_teacher] = SUPPORT[rng.integers(0, 2, (~is_teacher).sum()) * 4]  # psychologist or assistant
    p_long = 1.0 / (1.0 + np.exp(0.5 + 0.9 * q[v_inst]))
    long = rng.random(k) < p_long
    rank = group_rank(v_inst)
    long[is_teacher & required[v_inst] & (rank == 0)] = True
    long[is_teacher & forbidden[v_inst]] = False
    duration = np.where(long, np.minimum(200, 35 + np.floor(np.exp(rng.normal(3.5, 0.6, k)))),
                        rng.integers(3, 29, k)).astype(np.int64)
    opened = day(year, 9, 1) + rng.integers(0, 240, k)
    last = day(year + 1, 6, 30)
    opened = np.minimum(opened, last - duration)
    filled = opened + duration
    final = t == len(w.years) - 1 and cal is not None and t > cal
    if final:
        unfilled = (opened >= day(year + 1, 3, 1)) & (rng.random(k) < 0.3)
        filled = np.where(unfilled, -1, filled)
    # Leavers: a holder of the position at the institution since before the year, matched by rank.
    active = np.nonzero((r_end < 0) & (r_start < day(year, 9, 1)))[0]
    a_code = (r_inst[active] * 16 + r_pos[active]) * 100_000 + group_rank(r_inst[active] * 16 + r_pos[active], rng)
    v_code = (v_inst * 16 + position) * 100_000 + group_rank(v_inst * 16 + position, rng)
    leaver = np.full(k, -1, dtype=np.int64)
    if len(active) and k:
        order = np.argsort(a_code)
        at = np.minimum(np.searchsorted(a_code[order], v_code), len(order) - 1)
        match = a_code[order][at] == v_code
        leaver[match] = active[order][at][match]
    has = leaver >= 0
    r_end[leaver[has]] = opened[has] - 1
    roster.inst, roster.position, roster.fte, roster.start, roster.end = [r_inst], [r_pos], [r_fte], [r_start], [r_end]
    hired = filled >= 0
    fte = np.where(has, r_fte[np.maximum(leaver, 0)], 1.0)
    roster.add(v_inst[hired], position[hired], fte[hired], filled[hired])
    roster.consolidate()
    return v_inst, position, opened, filled


def _profile(w: World, r_inst: np.ndarray, r_pos: np.ndarray, r_start: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Birth year, qualified and main subject (index into SUBJECT_CODES, -1 for none) of each roster row: one
    person, the same in every year. Age at hiring 23 + Gamma(2, 6) years (≤ 60), born 1953 or later, so about
    half of the teachers are over 50; 96 % of teachers and 98 % of the others hold the qualification their post
    requires."""
    rng = w.rng("staff-profile")
    k = len(r_inst)
    start_year = 1970 + (r_start // 365.25).astype(np.int64)  # days since 1970-01-01
    age = np.minimum(60, 23 + np.floor(rng.gamma(2.0, 6.0, k))).astype(np.int64)
    birth = np.maximum(start_year - age, 1953).astype(np.int16)
    teacher = r_pos == P["teacher"]
    qualified = rng.random(k) < np.where(teacher, 0.96, 0.98)
    kind = w.kind[r_inst]
    subject = np.full(k, -1, dtype=np.int64)
    subject[teacher] = _draw(rng, SCHOOL_SUBJECTS, int(teacher.sum()))
    vocational = teacher & (kind == "vocational")
    subject[vocational] = _draw(rng, VOCATIONAL_SUBJECTS, int(vocational.sum()))
    subject[teacher & (kind == "preschool")] = SUBJ["PRE"]
    special = teacher & (kind == "special")
    subject[special] = np.where(rng.random(int(special.sum())) < 0.7, SUBJ["SPE"], SUBJ["PRI"])
    return birth, qualified, subject


def _vacancy_subjects(w: World, t: int, vacancies: tuple[np.ndarray, ...]) -> np.ndarray:
    """Subject (index into SUBJECT_CODES, -1 for none) of each teacher vacancy of year t: those open more than
    60 days (or still open), and 40 % of the others, mostly in the shortage subjects, the rest like the teachers of
    their school."""
    v_inst, position, opened, filled = vacancies
    rng = w.rng("staff-profile", t)
    k = len(v_inst)
    long = (filled < 0) | (filled - opened > 60) | (rng.random(k) < 0.4)
    subject = np.where(long, _draw(rng, SHORTAGE_SUBJECTS, k), _draw(rng, SCHOOL_SUBJECTS, k))
    kind = w.kind[v_inst]
    subject = np.where(kind == "vocational", _draw(rng, VOCATIONAL_SUBJECTS, k), subject)
    subject = np.where(kind == "preschool", SUBJ["PRE"], subject)
    subject = np.where((kind == "special") & (rng.random(k) < 0.7), SUBJ["SPE"], subject)
    return np.where(position == P["teacher"], subject, -1)


def _codes(index: np.ndarray) -> pa.Array:
    """Subject codes of the indices (-1: null)."""
    values = take_strings(pa.array(SUBJECT_CODES), np.maximum(index, 0))
    return pa.array(values.to_pylist(), type=pa.string(), mask=index < 0) if (index < 0).any() else values


def _write(w: World, roster: Roster, vac_parts: list[tuple[np.ndarray, ...]]) -> None:
    r_inst, r_pos, r_fte, r_start, r_end = roster.arrays()
    staff_ids = pseudonyms(np.arange(len(r_inst)), w.seed, "staff")
    birth, qualified, subject = _profile(w, r_inst, r_pos, r_start)
    positions = pa.array(STAFF_POSITIONS)
    serial = 0
    for t, year in enumerate(w.years):
        y = w.autumn(t)
        active = (r_start <= day(y + 1, 8, 31)) & ((r_end < 0) | (r_end >= day(y, 9, 1)))
        idx = np.nonzero(active)[0]
        idx = idx[np.lexsort((r_pos[idx], r_inst[idx]))]
        cols = {
            "staff_id": staff_ids.take(pa.array(idx)),
            "institution": w.institution(r_inst[idx]),
            "position": take_strings(positions, r_pos[idx]),
            "fte": r_fte[idx].astype(np.float32),
            "start_date": r_start[idx],
            "end_date": r_end[idx],
            "birth_year": birth[idx],
            "qualified": qualified[idx],
            "subject": _codes(subject[idx]),
        }
        w.count("staff", year, write_partition(w.lake_root, DATASETS["staff"], year, cols))
        if t == w.calibration_year:  # the schools that did not submit their vacancies (plan.WITHHOLDABLE)
            vac_parts[t] = tuple(a[~w.flags.withheld["vacancies"][vac_parts[t][0]]] for a in vac_parts[t])
        v_inst, position, opened, filled = vac_parts[t]
        ids = pseudonyms(np.arange(serial, serial + len(v_inst)), w.seed, "vacancy")
        serial += len(v_inst)
        vcols = {
            "vacancy_id": ids,
            "institution": w.institution(v_inst),
            "position": take_strings(positions, position),
            "opened": opened,
            "filled": filled,
            "subject": _codes(_vacancy_subjects(w, t, vac_parts[t])),
        }
        w.count("vacancies", year, write_partition(w.lake_root, DATASETS["vacancies"], year, vcols))

