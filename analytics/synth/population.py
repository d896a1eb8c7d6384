"""The learner population over the school years: who is enrolled where, in which grade and programme.

Year 0 is drawn from the school-size model. Each later year follows from the previous one: learners move up
a grade in the same institution; those whose next grade is not taught there (or whose school closed) move to
a school of their municipality (else anywhere); six-year-olds leave pre-school for grade 1; grade 9, grade
12 and final-course learners graduate with a destination, and those going on to general secondary or
vocational education are placed in grade 10 / course 1; 1.5 % leave for good. Every grade of every open
institution is then topped up to its capacity (± 6 %) with newly arrived learners, so sizes stay close to the
real distribution. All steps are vectorised over learners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.synth.institutions import (
    BASIC,
    BASIC_SCHOOL_TYPES,
    PRESCHOOL,
    SECONDARY,
    SECONDARY_SCHOOL_TYPES,
    VOCATIONAL,
    Profiles,
)
from analytics.synth.plan import best_k
from analytics.synth.sizes import SizeModel
from analytics.synth.util import choose_in_groups, stream, weighted_sample

#: National learners per level at scale 1 in the first year (basic + secondary ≈ 230 000 general).
LEVEL_TOTALS = {BASIC: 185_000.0, SECONDARY: 45_000.0, PRESCHOOL: 95_000.0, VOCATIONAL: 27_000.0}

DESTINATION_CODES = ("general_secondary", "vocational", "higher_education", "employment", "abroad",
                     "repeat_or_other", "unknown")
D_GS, D_VOC, D_HE, D_EMP, D_ABR, D_REP, D_UNK = range(7)

EPOCH = dt.date(1970, 1, 1)


def day(year: int, month: int, dom: int) -> int:
    """Days since 1970-01-01 (Arrow date32)."""
    return (dt.date(year, month, dom) - EPOCH).days


def autumn_year(school_year: str) -> int:
    return int(school_year[:4])


@dataclass
class Learners:
    """Per-learner attributes, indexed by serial number."""

    birth_year: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    sex: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    citizenship: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    municipality: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))
    ability: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    truancy: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    @property
    def n(self) -> int:
        return len(self.birth_year)

    def add(self, birth_year: np.ndarray, municipality: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Append learners; returns their serial numbers."""
        k = len(birth_year)
        first = self.n
        self.birth_year = np.concatenate([self.birth_year, birth_year.astype(np.int16)])
        self.sex = np.concatenate([self.sex, (rng.random(k) >= 0.49).astype(np.int8)])  # 0 = F, 1 = M
        self.citizenship = np.concatenate([
            self.citizenship, rng.choice(4, size=k, p=[0.9, 0.025, 0.07, 0.005]).astype(np.int8)])
        self.municipality = np.concatenate([self.municipality, municipality.astype(np.int16)])
        self.ability = np.concatenate([self.ability, rng.standard_normal(k).astype(np.float32)])
        self.truancy = np.concatenate([self.truancy, rng.lognormal(0.0, 1.0, k).astype(np.float32)])
        return np.arange(first, first + k, dtype=np.int64)


@dataclass
class Enrolment:
    """One school year's enrolments (one per learner), as parallel arrays."""

    learner: np.ndarray
    inst: np.ndarray
    level: np.ndarray
    grade: np.ndarray
    age: np.ndarray  # pre-school age on 1 September, -1 otherwise
    prog: np.ndarray
    special: np.ndarray
    start: np.ndarray
    end: np.ndarray  # -1 = still enrolled

    @property
    def n(self) -> int:
        return len(self.learner)

    def take(self, idx: np.ndarray) -> Enrolment:
        return Enrolment(*(getattr(self, f)[idx] for f in _FIELDS))

    @staticmethod
    def concat(parts: list[Enrolment]) -> Enrolment:
        return Enrolment(*(np.concatenate([getattr(p, f) for p in parts]) for f in _FIELDS))


_FIELDS = ("learner", "inst", "level", "grade", "age", "prog", "special", "start", "end")


@dataclass
class Graduates:
    learner: np.ndarray
    inst: np.ndarray
    level: np.ndarray
    destination: np.ndarray


@dataclass
class Population:
    learners: Learners
    years: list[Enrolment]
    graduates: list[Graduates]
    capacity: pd.DataFrame  # units with cap
    municipalities: list[str]
    municipality_weight: np.ndarray


@dataclass
class Context:
    """What the population model needs to know about institutions."""

    frame: pd.DataFrame
    profiles: Profiles
    quality: np.ndarray  # latent quality per institution per year index (n_inst, n_years)
    closed_from: np.ndarray  # year index from which the institution has no learners (n_years = never)
    municipality: np.ndarray  # municipality index per institution
    municipalities: list[str]
    municipality_weight: np.ndarray


def _unit_key(inst: np.ndarray, level: np.ndarray, grade: np.ndarray, age: np.ndarray) -> np.ndarray:
    return ((inst.astype(np.int64) * 4 + level) * 16 + grade) * 8 + (age.astype(np.int64) + 1)


def capacities(ctx: Context, sizes: SizeModel, scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """Expected learners per unit (institution × level × grade or pre-school age) in the first year."""
    units = ctx.profiles.units.copy()
    group = ctx.profiles.size_group
    raw = np.zeros(len(group))
    for g in sorted(set(group) - {""}):
        sel = np.nonzero(group == g)[0]
        raw[sel] = sizes.sample(g, len(sel), rng)
    kind = ctx.frame["kind"].to_numpy()
    school_groups = np.zeros(len(group))
    schools = np.nonzero((group != "") & (group != "preschool"))[0]
    school_groups[schools] = sizes.sample("school_preschool_group", len(schools), rng)
    inst = units["inst"].to_numpy()
    level = units["level"].to_numpy()
    w = units["weight"].to_numpy(dtype=float)
    is_group = (level == PRESCHOOL) & (kind[inst] != "preschool")
    main = ~is_group
    main_w = np.bincount(inst[main], weights=w[main], minlength=len(group))
    expected = np.where(is_group, school_groups[inst] * w, raw[inst] * w / np.maximum(main_w[inst], 1e-9))
    for lvl, total in LEVEL_TOTALS.items():
        sel = level == lvl
        if sel.any() and expected[sel].sum() > 0:
            expected[sel] *= total * scale / expected[sel].sum()
    units["cap"] = expected
    lo = units.groupby(["inst", "level"])["grade"].transform("min").to_numpy()
    lo_age = units.groupby(["inst", "level"])["age"].transform("min").to_numpy()
    hi = units.groupby(["inst", "level"])["grade"].transform("max").to_numpy()
    units["first_grade"] = lo
    units["first_age"] = lo_age
    units["last_grade"] = hi
    units["key"] = _unit_key(inst, level, units["grade"].to_numpy(), units["age"].to_numpy())
    return units


class _Model:
    def __init__(self, ctx: Context, units: pd.DataFrame, *, years: tuple[str, ...], seed: int,
                 calibration: dict[str, float] | None, calibration_year: int | None) -> None:
        self.ctx = ctx
        self.units = units
        self.years = years
        self.seed = seed
        self.learners = Learners()
        self.calibration = calibration or {}
        self.calibration_year = calibration_year
        types = ctx.frame["type"].to_numpy()
        self.is_basic_school = np.isin(types, BASIC_SCHOOL_TYPES)
        self.is_secondary_school = np.isin(types, SECONDARY_SCHOOL_TYPES)
        self.is_extramural = types == "extramural_secondary"
        progs = ctx.profiles.programmes
        self.prog_group = ((progs["inst"].to_numpy() * 4 + progs["level"].to_numpy()) * 2
                           + progs["special"].to_numpy())
        self.prog_index = progs["prog"].to_numpy()
        self.unit_key = units["key"].to_numpy()

    # -- helpers -------------------------------------------------------------------------------
    def programmes(self, rng: np.random.Generator, inst: np.ndarray, *, level: np.ndarray,
                   special: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A licensed programme for each (inst, level, special wish); falls back to the other kind."""
        group = (inst.astype(np.int64) * 4 + level) * 2 + special.astype(np.int64)
        pick = choose_in_groups(rng, group, self.prog_group, np.ones(len(self.prog_group)))
        miss = pick < 0
        if miss.any():
            pick[miss] = choose_in_groups(rng, group[miss] ^ 1, self.prog_group, np.ones(len(self.prog_group)))
        if (pick < 0).any():
            raise RuntimeError("institution without a programme for an enrolled level")
        return self.prog_index[pick].astype(np.int32), self.ctx.profiles.programmes["special"].to_numpy()[pick] == 1

    def new_attributes(self, rng: np.random.Generator, year: int, inst: np.ndarray, *, level: np.ndarray,
                       grade: np.ndarray, age: np.ndarray) -> np.ndarray:
        """Create learners who arrive at the given units; returns serials."""
        k = len(inst)
        grade = grade.astype(np.int64)
        age = age.astype(np.int64)
        extra = (rng.random(k) < 0.07).astype(np.int64)
        by = np.where(level == PRESCHOOL, year - age, year - 6 - grade - extra)
        adult = self.is_extramural[inst] & (level != PRESCHOOL)
        by = np.where(adult, year - 6 - grade - rng.integers(1, 20, k), by)
        by = np.where(level == VOCATIONAL, year - 15 - grade - rng.integers(0, 3, k), by)
        home = self.ctx.municipality[inst]
        moved = rng.random(k) < 0.1
        w = self.ctx.municipality_weight
        other = rng.choice(len(w), size=k, p=w / w.sum())
        muni = np.where(moved, other, home)
        return self.learners.add(by.astype(np.int16), muni, rng)

    def open_units(self, t: int) -> pd.DataFrame:
        u = self.units
        return u[self.ctx.closed_from[u["inst"].to_numpy()] > t]

    def place(self, rng: np.random.Generator, t: int, learner: np.ndarray, *, level: np.ndarray,
              grade: np.ndarray, age: np.ndarray) -> np.ndarray:
        """An open institution in year t teaching (level, grade, age): the learner's municipality first."""
        u = self.open_units(t)
        u_inst = u["inst"].to_numpy()
        u_code = (u["level"].to_numpy() * 16 + u["grade"].to_numpy()) * 8 + u["age"].to_numpy() + 1
        code = (level.astype(np.int64) * 16 + grade) * 8 + age.astype(np.int64) + 1
        n_codes = 4 * 16 * 8
        muni = self.learners.municipality[learner].astype(np.int64)
        pick = choose_in_groups(rng, muni * n_codes + code, self.ctx.municipality[u_inst] * n_codes + u_code,
                                u["cap"].to_numpy())
        miss = pick < 0
        if miss.any():
            pick[miss] = choose_in_groups(rng, code[miss], u_code, u["cap"].to_numpy())
        return np.where(pick >= 0, u_inst[np.maximum(pick, 0)], -1)

    # -- the years -----------------------------------------------------------------------------
    def first_year(self) -> Enrolment:
        year = autumn_year(self.years[0])
        rng = stream(self.seed, "population", 0)
        u = self.open_units(0)
        n = np.maximum(1, rng.poisson(u["cap"].to_numpy()))
        rows = np.repeat(np.arange(len(u)), n)
        inst = u["inst"].to_numpy()[rows].astype(np.int32)
        level = u["level"].to_numpy()[rows].astype(np.int8)
        grade = u["grade"].to_numpy()[rows].astype(np.int8)
        age = u["age"].to_numpy()[rows].astype(np.int8)
        learner = self.new_attributes(rng, year, inst, level=level, grade=grade, age=age)
        wish = rng.random(len(inst)) < self.ctx.profiles.special_share[inst, level]
        prog, special = self.programmes(rng, inst, level=level, special=wish)
        since = np.where(level == PRESCHOOL, age - u["first_age"].to_numpy()[rows],
                         grade - u["first_grade"].to_numpy()[rows])
        start = np.array([day(year - int(s), 9, 1) for s in range(0, 13)], dtype=np.int32)[np.clip(since, 0, 12)]
        return Enrolment(learner, inst, level, grade, age, prog, special, start,
                         np.full(len(inst), -1, dtype=np.int32))

    def graduates(self, t: int, e: Enrolment, rng: np.random.Generator,
                  next_grade10_cap: float) -> tuple[np.ndarray, Graduates]:
        last = self.units.groupby(["inst", "level"])["last_grade"].max()
        last_voc = np.zeros(len(self.ctx.frame), dtype=np.int64)
        voc = last.reset_index()
        voc = voc[voc["level"] == VOCATIONAL]
        last_voc[voc["inst"].to_numpy()] = voc["last_grade"].to_numpy()
        is_grad = (((e.level == BASIC) & (e.grade == 9)) | ((e.level == SECONDARY) & (e.grade == 12))
                   | ((e.level == VOCATIONAL) & (e.grade == last_voc[e.inst])))
        g = np.nonzero(is_grad)[0]
        q = self.ctx.quality[e.inst[g], t]
        a = 0.45 * q + 0.893 * self.learners.ability[e.learner[g]]
        lvl = e.level[g]
        dest = np.full(len(g), D_UNK, dtype=np.int8)
        u = rng.random(len(g))

        def rest(sel: np.ndarray, probs: dict[int, float]) -> None:
            codes = np.array(list(probs))
            p = np.array(list(probs.values()))
            dest[sel] = codes[np.minimum(np.searchsorted(np.cumsum(p) / p.sum(), u[sel], side="right"),
                                         len(codes) - 1)]

        basic_rest = {D_VOC: 0.62, D_REP: 0.08, D_EMP: 0.03, D_ABR: 0.07, D_UNK: 0.2}
        sec_rest = {D_EMP: 0.35, D_VOC: 0.15, D_ABR: 0.2, D_UNK: 0.25, D_REP: 0.05}
        rest(lvl == VOCATIONAL, {D_EMP: 0.55, D_HE: 0.2, D_ABR: 0.08, D_UNK: 0.12, D_REP: 0.05})
        at_basic = (lvl == BASIC) & self.is_basic_school[e.inst[g]]
        at_sec = (lvl == SECONDARY) & self.is_secondary_school[e.inst[g]]
        share_gs = self.calibration.get("graduates_continue_general_secondary", 41.8) / 100
        share_he = self.calibration.get("graduates_enter_higher_education", 76.0) / 100
        calibrate = t == self.calibration_year
        for sel, share, code, others in (
            (at_basic, share_gs, D_GS, basic_rest),
            (at_sec, share_he, D_HE, sec_rest),
        ):
            idx = np.nonzero(sel)[0]
            w = np.exp(0.6 * a[idx] + 0.4 * q[idx])
            if calibrate:
                k = best_k(len(idx), 100 * share)
                chosen = idx[weighted_sample(rng, w, k)]
            else:
                p = share * w / w.mean()
                chosen = idx[rng.random(len(idx)) < np.clip(p, 0, 0.98)]
            rest(sel, others)
            dest[chosen] = code
        # Other basic graduates: enough go on to general secondary to fill grade 10 next year.
        other_basic = (lvl == BASIC) & ~at_basic
        n_other = int(other_basic.sum())
        p_other = np.clip((0.92 * next_grade10_cap - share_gs * at_basic.sum()) / max(n_other, 1), 0.35, 0.9)
        rest(other_basic, basic_rest)
        w = np.exp(0.6 * a + 0.4 * q)
        go = other_basic & (rng.random(len(g)) < np.clip(p_other * w / _mean(w, other_basic), 0, 0.98))
        dest[go] = D_GS
        other_sec = (lvl == SECONDARY) & ~at_sec
        rest(other_sec, sec_rest)
        he = other_sec & (rng.random(len(g)) < np.clip(0.45 * w / _mean(w, other_sec), 0, 0.95))
        dest[he] = D_HE
        grads = Graduates(e.learner[g], e.inst[g], lvl.astype(np.int8), dest)
        return is_grad, grads

    def next_year(self, t: int, e: Enrolment) -> tuple[Enrolment, Graduates]:
        """Enrolment of year t + 1 from year t; sets end dates in e."""
        year = autumn_year(self.years[t]) + 1
        rng = stream(self.seed, "population", t + 1)
        nxt_units = self.open_units(t + 1)
        cap10 = float(nxt_units.loc[(nxt_units["level"] == SECONDARY) & (nxt_units["grade"] == 10), "cap"].sum())
        is_grad, grads = self.graduates(t, e, rng, cap10)
        n = e.n
        stay = ~is_grad & (rng.random(n) >= 0.015)
        pre = e.level == PRESCHOOL
        # Next unit of each continuing learner.
        n_level = e.level.copy()
        n_grade = np.where(pre, 0, e.grade + 1).astype(np.int8)
        n_age = np.where(pre, e.age + 1, -1).astype(np.int8)
        to_school = pre & (e.age >= 6)
        n_level[to_school] = BASIC
        n_grade[to_school] = 1
        n_age[to_school] = -1
        stay &= ~to_school | (rng.random(n) < 0.9)
        # Graduates going on.
        gi = np.nonzero(is_grad)[0]
        go_gs = np.zeros(n, dtype=bool)
        go_voc = np.zeros(n, dtype=bool)
        go_gs[gi[(grads.destination == D_GS) & (grads.level == BASIC)]] = True
        go_voc[gi[(grads.destination == D_VOC) & (grads.level == BASIC)]] = True
        n_level[go_gs] = SECONDARY
        n_grade[go_gs] = 10
        n_level[go_voc] = VOCATIONAL
        n_grade[go_voc] = 1
        moving = stay | go_gs | go_voc
        idx = np.nonzero(moving)[0]
        lvl, grd, age = n_level[idx], n_grade[idx], n_age[idx]
        inst = e.inst[idx].astype(np.int64)
        here = np.isin(_unit_key(inst, lvl, grd, age), nxt_units["key"].to_numpy())
        new_inst = inst.copy()
        away = np.nonzero(~here)[0]
        new_inst[away] = self.place(rng, t + 1, e.learner[idx[away]], level=lvl[away], grade=grd[away],
                                    age=age[away])
        ok = new_inst >= 0
        idx, lvl, grd, age, new_inst, here = idx[ok], lvl[ok], grd[ok], age[ok], new_inst[ok], here[ok]
        same_prog = here & (lvl == e.level[idx])
        prog = e.prog[idx].copy()
        special = e.special[idx].copy()
        start = e.start[idx].copy()
        change = np.nonzero(~same_prog)[0]
        if len(change):
            p, s = self.programmes(rng, new_inst[change], level=lvl[change], special=special[change])
            prog[change], special[change] = p, s
            start[change] = day(year, 9, 1)
        cont = Enrolment(e.learner[idx], new_inst.astype(np.int32), lvl.astype(np.int8), grd.astype(np.int8),
                         age.astype(np.int8), prog, special, start, np.full(len(idx), -1, dtype=np.int32))
        # End dates in year t for enrolments that do not continue unchanged.
        continues = np.zeros(n, dtype=bool)
        continues[idx[same_prog]] = True
        self.set_end_dates(e, year - 1, is_grad, continues)
        # Top up every open unit to its capacity with new arrivals.
        key = _unit_key(cont.inst, cont.level, cont.grade, cont.age)
        have = pd.Series(key).value_counts()
        u = nxt_units
        target = np.maximum(1, np.round(u["cap"].to_numpy() * np.exp(rng.normal(0, 0.06, len(u))))).astype(np.int64)
        current = have.reindex(u["key"].to_numpy(), fill_value=0).to_numpy()
        # Where arrivals from elsewhere overfilled some units, fewer newcomers join the others, so that
        # each grade's national total stays at its capacity.
        grp = pd.factorize(u["level"].to_numpy() * 1000 + u["grade"].to_numpy() * 10 + u["age"].to_numpy())[0]
        deficit = np.maximum(0, target - current)
        surplus = np.bincount(grp, weights=np.maximum(0, current - target))
        short = np.bincount(grp, weights=deficit)
        keep = np.clip((short - surplus) / np.maximum(short, 1), 0, 1)[grp]
        exact = deficit * keep
        new_n = np.floor(exact + rng.random(len(u))).astype(np.int64)
        new_n = np.maximum(new_n, (current == 0).astype(np.int64))  # no open unit is left empty
        rows = np.repeat(np.arange(len(u)), new_n)
        inst_n = u["inst"].to_numpy()[rows].astype(np.int32)
        level_n = u["level"].to_numpy()[rows].astype(np.int8)
        grade_n = u["grade"].to_numpy()[rows].astype(np.int8)
        age_n = u["age"].to_numpy()[rows].astype(np.int8)
        learner_n = self.new_attributes(rng, year, inst_n, level=level_n, grade=grade_n, age=age_n)
        wish = rng.random(len(inst_n)) < self.ctx.profiles.special_share[inst_n, level_n]
        prog_n, special_n = self.programmes(rng, inst_n, level=level_n, special=wish)
        arrivals = Enrolment(learner_n, inst_n, level_n, grade_n, age_n, prog_n, special_n,
                             np.full(len(inst_n), day(year, 9, 1), dtype=np.int32),
                             np.full(len(inst_n), -1, dtype=np.int32))
        return Enrolment.concat([cont, arrivals]), grads

    @staticmethod
    def set_end_dates(e: Enrolment, year: int, is_grad: np.ndarray, continues: np.ndarray) -> None:
        """Leaving dates in school year ``year`` for enrolments that do not go on unchanged."""
        end = np.full(e.n, day(year + 1, 5, 31), dtype=np.int32)
        end[is_grad & (e.level == BASIC)] = day(year + 1, 6, 16)
        end[is_grad & (e.level == SECONDARY)] = day(year + 1, 6, 21)
        end[is_grad & (e.level == VOCATIONAL)] = day(year + 1, 6, 28)
        e.end = np.where(continues, -1, end).astype(np.int32)


def _mean(values: np.ndarray, sel: np.ndarray) -> float:
    return float(values[sel].mean()) if sel.any() else 1.0


def simulate(ctx: Context, units: pd.DataFrame, *, years: tuple[str, ...], seed: int,
             calibration: dict[str, float] | None, calibration_year: int | None) -> Population:
    """Enrolments and graduates of every school year (units: ``capacities``)."""
    model = _Model(ctx, units, years=years, seed=seed, calibration=calibration, calibration_year=calibration_year)
    e = model.first_year()
    out = [e]
    grads: list[Graduates] = []
    for t in range(len(years)):
        if t + 1 < len(years):
            e, g = model.next_year(t, e)
            out.append(e)
        else:
            here = model.open_units(t)
            cap10 = float(here.loc[(here["level"] == SECONDARY) & (here["grade"] == 10), "cap"].sum())
            is_grad, g = model.graduates(t, e, stream(seed, "population", t + 1), cap10)
            model.set_end_dates(e, autumn_year(years[t]), is_grad, ~is_grad)
        grads.append(g)
    return Population(model.learners, out, grads, units, ctx.municipalities, ctx.municipality_weight)
