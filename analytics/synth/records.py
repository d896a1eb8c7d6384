"""Register-like datasets: institutions, learners, enrolments, classes, graduates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.lake.schemas import CITIZENSHIP, DATASETS, DESTINATIONS, INSTITUTIONS, SEXES, STUDY_FIELDS
from analytics.synth.institutions import BASIC, PRESCHOOL, SECONDARY, SPECIAL_TYPES, VOCATIONAL
from analytics.synth.population import DESTINATION_CODES
from analytics.synth.util import group_rank, take_strings
from analytics.synth.world import LEVEL_NAMES, World
from analytics.synth.writer import write_partition

assert DESTINATION_CODES == DESTINATIONS  # the population model indexes this tuple

CLASS_CAP = {PRESCHOOL: 20, BASIC: 26, SECONDARY: 28, VOCATIONAL: 28}
SPECIAL_CLASS_CAP = 12
#: Grade pairs that may be taught together (combined classes).
PAIRS = ((1, 2), (3, 4), (5, 6), (7, 8), (10, 11))


def write_institutions(w: World, t: int) -> None:
    cols: dict[str, object] = {c.name: w.frame[c.name].astype(str).to_numpy() for c in INSTITUTIONS.columns
                               if c.name != "capacity"}
    # the design capacity is a register attribute the web system writes into the snapshot; the generator has none
    cols["capacity"] = pa.nulls(len(w.frame), pa.int32())
    w.count("institutions", w.years[t], write_partition(w.lake_root, INSTITUTIONS, w.years[t], cols))


def write_learners(w: World, t: int) -> None:
    e = w.enrolment(t)
    lr = w.pop.learners
    s = e.learner
    cols = {
        "learner_id": w.learner_ids(t),
        "birth_year": lr.birth_year[s],
        "sex": take_strings(pa.array(SEXES), lr.sex[s]),
        "citizenship": take_strings(pa.array(CITIZENSHIP), lr.citizenship[s]),
        "declared_municipality": take_strings(w.municipality_codes, lr.municipality[s]),
    }
    w.count("learners", w.years[t], write_partition(w.lake_root, DATASETS["learners"], w.years[t], cols))


def write_graduates(w: World, t: int) -> None:
    g = w.pop.graduates[t]
    e = w.enrolment(t)
    row = pd.Index(e.learner).get_indexer(g.learner)
    cols = {
        "learner_id": w.learner_id_of(t, row),
        "institution": w.institution(g.inst),
        "level": take_strings(LEVEL_NAMES, g.level),
        "destination": take_strings(pa.array(DESTINATIONS), g.destination),
        "programme_code": take_strings(w.programme_codes, e.prog[row]),
        "field": graduate_fields(w.rng("graduate-fields", t), g.destination),
    }
    w.count("graduates", w.years[t], write_partition(w.lake_root, DATASETS["graduates"], w.years[t], cols))


#: Broad field (ISCED-F 2013) of further study, by destination: (fields, weights). General secondary is a generic
#: programme; the shares of vocational and higher-education fields are illustrative, not calibrated.
FIELD_MIX = {
    DESTINATIONS.index("vocational"): (("02", "04", "06", "07", "08", "09", "10"),
                                       (0.08, 0.14, 0.12, 0.30, 0.08, 0.10, 0.18)),
    DESTINATIONS.index("higher_education"): (STUDY_FIELDS[1:], (0.06, 0.10, 0.12, 0.22, 0.06, 0.11, 0.15, 0.03,
                                                                0.11, 0.04)),
}
#: Share of further-study graduates whose field is not reported (shown as "unknown field").
FIELD_UNKNOWN = 0.04


def graduate_fields(rng: np.random.Generator, destination: np.ndarray) -> pa.Array:
    """The ISCED-F broad field of each graduate's further study (null when not studying, or not reported).
    Drawn from its own stream, so the calibrated destinations do not move."""
    out = np.full(len(destination), None, dtype=object)
    out[destination == DESTINATIONS.index("general_secondary")] = "00"
    for code, (fields, weights) in FIELD_MIX.items():
        idx = np.nonzero(destination == code)[0]
        p = np.asarray(weights) / np.sum(weights)
        out[idx] = np.asarray(fields, dtype=object)[rng.choice(len(fields), size=len(idx), p=p)]
    studying = np.nonzero(np.isin(destination, [DESTINATIONS.index(d) for d in
                                                ("general_secondary", "vocational", "higher_education")]))[0]
    out[studying[rng.random(len(studying)) < FIELD_UNKNOWN]] = None
    return pa.array(out, type=pa.string())


def assign_classes(w: World, t: int) -> tuple[np.ndarray, pd.DataFrame]:
    """Class of every enrolment row (index into the class table) and the class table itself.

    Grades of a pair are taught together where the institution is flagged for combined classes (all
    pairs small enough, else the smallest pair with up to 12 pupils of each grade), and by chance in
    small institutions outside the basic and secondary school sets."""
    e = w.enrolment(t)
    rng = w.rng("classes", t)
    unit_grade = np.where(e.level == PRESCHOOL, e.age, e.grade).astype(np.int64)
    ukey = (e.inst.astype(np.int64) * 4 + e.level) * 32 + unit_grade
    units, inv, n = np.unique(ukey, return_inverse=True, return_counts=True)
    u_inst = units // 128
    u_level = (units // 32) % 4
    u_grade = units % 32
    # Combined pairs.
    m = np.zeros(len(units), dtype=np.int64)  # pupils of the unit in a combined class
    partner = np.full(len(units), -1, dtype=np.int64)
    lookup = pd.Series(np.arange(len(units)), index=units)
    pair_rows = []
    for g1, g2 in PAIRS:
        lvl = SECONDARY if g1 >= 10 else BASIC
        a = lookup.reindex((u_inst * 4 + lvl) * 32 + g1).to_numpy()
        b = lookup.reindex((u_inst * 4 + lvl) * 32 + g2).to_numpy()
        ok = ~np.isnan(a) & ~np.isnan(b) & (u_level == lvl) & (u_grade == g1)
        pair_rows.append(np.c_[a[ok], b[ok]].astype(np.int64))
    pairs = np.concatenate(pair_rows) if pair_rows else np.zeros((0, 2), dtype=np.int64)
    p_inst = u_inst[pairs[:, 0]]
    size = n[pairs[:, 0]] + n[pairs[:, 1]]
    flagged = w.flags.combined[p_inst]
    free = ~w.flags.school_sets[p_inst]
    whole = (flagged & (size <= 24)) | (free & (size <= 14) & (rng.random(len(pairs)) < 0.7))
    # Flagged institutions without a small pair combine part of their smallest pair.
    has_whole = np.zeros(len(w.frame), dtype=bool)
    has_whole[p_inst[whole]] = True
    need = flagged & ~has_whole[p_inst]
    partial = np.zeros(len(pairs), dtype=bool)
    if need.any():
        cand = np.nonzero(need)[0]
        order = cand[np.lexsort((size[cand], p_inst[cand]))]
        first = np.r_[True, p_inst[order][1:] != p_inst[order][:-1]]
        partial[order[first]] = True
    for sel, limit in ((whole, None), (partial, 12)):
        a, b = pairs[sel, 0], pairs[sel, 1]
        m[a] = n[a] if limit is None else np.minimum(n[a], limit)
        m[b] = n[b] if limit is None else np.minimum(n[b], limit)
        partner[a], partner[b] = b, a
    # Regular classes for the rest.
    special_school = np.isin(w.type[u_inst], SPECIAL_TYPES)
    cap = np.where(special_school & (u_level != PRESCHOOL), SPECIAL_CLASS_CAP,
                   np.array([CLASS_CAP[i] for i in range(4)])[u_level])
    rest = n - m
    n_classes = -(-rest // cap)
    # Class table: combined classes (keyed by the lower unit of the pair), then regular ones.
    comb_units = np.nonzero((partner >= 0) & (m > 0) & (u_grade < u_grade[np.maximum(partner, 0)]))[0]
    reg_unit = np.repeat(np.arange(len(units)), n_classes)
    reg_idx = np.arange(len(reg_unit)) - np.repeat(np.cumsum(n_classes) - n_classes, n_classes)
    classes = pd.DataFrame({
        "unit": np.r_[comb_units, reg_unit],
        "index": np.r_[np.zeros(len(comb_units), dtype=np.int64), reg_idx],
        "combined": np.r_[np.ones(len(comb_units), dtype=bool), np.zeros(len(reg_unit), dtype=bool)],
    })
    classes["inst"] = u_inst[classes["unit"]]
    classes["level"] = u_level[classes["unit"]]
    classes["grade"] = u_grade[classes["unit"]]
    classes["grade2"] = np.where(classes["combined"], u_grade[partner[classes["unit"]]], -1)
    # Row -> class.
    rank = group_rank(inv, rng)
    in_comb = rank < m[inv]
    has_partner = partner[inv] >= 0
    partner_grade = np.where(has_partner, u_grade[np.maximum(partner[inv], 0)], 99)
    lower = np.where(has_partner & (partner_grade < u_grade[inv]), partner[inv], inv)
    comb_pos = pd.Series(np.arange(len(comb_units)), index=comb_units)
    reg_start = np.cumsum(n_classes) - n_classes + len(comb_units)
    reg_class = reg_start[inv] + (rank - m[inv]) % np.maximum(n_classes[inv], 1)
    row_class = np.where(in_comb, comb_pos.reindex(lower).fillna(-1).to_numpy().astype(np.int64), reg_class)
    counts = np.bincount(row_class, minlength=len(classes))
    classes["learners"] = counts
    classes["id"] = _class_ids(classes)
    return row_class, classes


def _class_ids(classes: pd.DataFrame) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    # One label per class (thousands of classes), not per learner.
    for lvl, g, g2, i, comb in zip(classes["level"], classes["grade"], classes["grade2"], classes["index"],
                                   classes["combined"], strict=True):
        letter = letters[i % 26] * (1 + i // 26)
        if comb:
            out.append(f"{g}-{g2}.{letter}")
        elif lvl == PRESCHOOL:
            out.append(f"PII-{g}{letter}")
        elif lvl == VOCATIONAL:
            out.append(f"K{g}-{letter}")
        else:
            out.append(f"{g}.{letter}")
    return out


def write_enrolments_and_classes(w: World, t: int) -> None:
    e = w.enrolment(t)
    row_class, classes = assign_classes(w, t)
    class_ids = pa.array(classes["id"].tolist(), type=pa.string())
    cols = {
        "learner_id": w.learner_ids(t),
        "institution": w.institution(e.inst),
        "programme_code": take_strings(w.programme_codes, e.prog),
        "level": take_strings(LEVEL_NAMES, e.level),
        "special": e.special,
        "grade": np.where(e.level == PRESCHOOL, 0, e.grade).astype(np.int8),
        "class_id": take_strings(class_ids, row_class),
        "start_date": e.start,
        "end_date": e.end,
    }
    year = w.years[t]
    w.count("enrolments", year, write_partition(w.lake_root, DATASETS["enrolments"], year, cols))
    if t == w.calibration_year:  # the schools that did not submit their classes (plan.WITHHOLDABLE)
        classes = classes[~w.flags.withheld["classes"][classes["inst"].to_numpy()]].reset_index(drop=True)
        class_ids = pa.array(classes["id"].tolist(), type=pa.string())
    grades = np.where(classes["combined"], classes["grade"].astype(str) + "," + classes["grade2"].astype(str),
                      np.where(classes["level"] == PRESCHOOL, "0", classes["grade"].astype(str)))
    ccols = {
        "institution": w.institution(classes["inst"].to_numpy()),
        "class_id": class_ids,
        "grades": pa.array(list(grades), type=pa.string()),
        "combined": classes["combined"].to_numpy(),
        "learners": classes["learners"].to_numpy().astype(np.int16),
    }
    w.count("classes", year, write_partition(w.lake_root, DATASETS["classes"], year, ccols))
