"""Institution profiles (which levels, grades and programmes an institution teaches) and an example register.

``example_institutions`` builds a realistic synthetic register for tests and benchmarks: the 2024 counts of
institutions per type (pre-schools ≈ 600, primary 55, basic 250, secondary 270, gymnasium 8, state gymnasium
31, special 44, vocational 52, plus interest, music/art/sports and higher-education institutions that have no
learners in the lake), scaled, placed in the 43 municipalities with approximate population weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.synth.util import stream

LEVEL_CODES = ("preschool", "basic", "secondary", "vocational")
PRESCHOOL, BASIC, SECONDARY, VOCATIONAL = range(4)

STATE_CITIES = ("LV-RIX", "LV-DGV", "LV-JEL", "LV-JUR", "LV-LPX", "LV-REZ", "LV-VEN")

#: ISO 3166-2:LV municipality -> approximate population (thousands), used only as placement weights.
MUNICIPALITY_WEIGHTS = {
    "LV-RIX": 605, "LV-DGV": 80, "LV-JEL": 55, "LV-JUR": 50, "LV-LPX": 67, "LV-REZ": 27, "LV-VEN": 33,
    "LV-002": 31, "LV-007": 13, "LV-011": 13, "LV-015": 19, "LV-016": 42, "LV-022": 40, "LV-026": 28,
    "LV-033": 19, "LV-041": 21, "LV-042": 40, "LV-047": 20, "LV-050": 30, "LV-052": 30, "LV-054": 31,
    "LV-056": 11, "LV-058": 23, "LV-059": 31, "LV-062": 36, "LV-067": 55, "LV-068": 20, "LV-073": 17,
    "LV-077": 28, "LV-080": 31, "LV-087": 24, "LV-088": 28, "LV-089": 6, "LV-091": 30, "LV-094": 19,
    "LV-097": 37, "LV-099": 42, "LV-101": 8, "LV-102": 3, "LV-106": 10, "LV-111": 24, "LV-112": 33,
    "LV-113": 50,
}

TYPE_KIND = {
    "preschool": "preschool",
    "primary": "general", "basic": "general", "secondary": "general", "gymnasium": "general",
    "state_gymnasium": "general", "extramural_secondary": "general",
    "special_basic": "special", "special_secondary": "special", "boarding_development_centre": "special",
    "vocational_secondary": "vocational", "vocational_competence_centre": "vocational", "trade_school": "vocational",
    "music_art_school": "vocational_orientation", "sports_school": "vocational_orientation",
    "art_school": "vocational_orientation", "interest": "interest",
    "university": "higher", "college": "higher", "college_branch": "higher", "university_branch": "higher",
}

#: Institutions per type in the example register at scale 1.
EXAMPLE_COUNTS = {
    "preschool": 600, "primary": 55, "basic": 250, "secondary": 270, "gymnasium": 8, "state_gymnasium": 31,
    "extramural_secondary": 8, "special_basic": 33, "special_secondary": 1, "boarding_development_centre": 10,
    "vocational_secondary": 30, "vocational_competence_centre": 18, "trade_school": 4,
    "music_art_school": 110, "sports_school": 45, "art_school": 20, "interest": 60, "university": 18,
    "college": 20, "college_branch": 6, "university_branch": 8,
}

_TYPE_NAME = {
    "preschool": "pirmsskolas izglītības iestāde", "primary": "sākumskola", "basic": "pamatskola",
    "secondary": "vidusskola", "gymnasium": "ģimnāzija", "state_gymnasium": "Valsts ģimnāzija",
    "extramural_secondary": "neklātienes vidusskola", "special_basic": "speciālā pamatskola",
    "special_secondary": "speciālā vidusskola", "boarding_development_centre": "internātskola – attīstības centrs",
    "vocational_secondary": "tehnikums", "vocational_competence_centre": "profesionālās izglītības kompetences centrs",
    "trade_school": "arodskola", "music_art_school": "mūzikas un mākslas skola", "sports_school": "sporta skola",
    "art_school": "mākslas skola", "interest": "bērnu un jauniešu centrs", "university": "universitāte",
    "college": "koledža", "college_branch": "koledžas filiāle", "university_branch": "universitātes filiāle",
}

#: Grades taught per level by type (inclusive); vocational grades are courses.
TYPE_GRADES: dict[str, dict[int, tuple[int, int]]] = {
    "primary": {BASIC: (1, 6)},
    "basic": {BASIC: (1, 9)},
    "secondary": {BASIC: (1, 9), SECONDARY: (10, 12)},
    "gymnasium": {BASIC: (7, 9), SECONDARY: (10, 12)},
    "state_gymnasium": {BASIC: (7, 9), SECONDARY: (10, 12)},
    "extramural_secondary": {BASIC: (7, 9), SECONDARY: (10, 12)},
    "special_basic": {BASIC: (1, 9)},
    "boarding_development_centre": {BASIC: (1, 9)},
    "special_secondary": {BASIC: (1, 9), SECONDARY: (10, 12)},
    "vocational_secondary": {VOCATIONAL: (1, 4)},
    "vocational_competence_centre": {VOCATIONAL: (1, 4)},
    "trade_school": {VOCATIONAL: (1, 3)},
}

#: Relative size of one grade of a level, by type (the national level totals are fixed afterwards).
GRADE_WEIGHT: dict[str, dict[int, float]] = {
    "secondary": {BASIC: 1.0, SECONDARY: 0.75},
    "gymnasium": {BASIC: 0.8, SECONDARY: 1.0},
    "state_gymnasium": {BASIC: 0.8, SECONDARY: 1.0},
    "extramural_secondary": {BASIC: 0.3, SECONDARY: 1.0},
    "special_secondary": {BASIC: 1.0, SECONDARY: 0.4},
}

#: Pre-school age (years on 1 September) -> share of an institution's children; school groups are older.
PRESCHOOL_AGES = {1: 0.08, 2: 0.17, 3: 0.1875, 4: 0.1875, 5: 0.1875, 6: 0.1875}
SCHOOL_GROUP_AGES = {3: 0.1, 4: 0.15, 5: 0.35, 6: 0.4}

#: Types whose pupils are all in special programmes when such a programme is licensed.
SPECIAL_TYPES = ("special_basic", "special_secondary", "boarding_development_centre")
BASIC_SCHOOL_TYPES = ("basic",)
SECONDARY_SCHOOL_TYPES = ("secondary", "gymnasium", "state_gymnasium")

_DEFAULT_PROGRAMMES = {
    "preschool": ["01011111"], "primary": ["21011111"], "basic": ["21011111"],
    "secondary": ["21011111", "31011011"], "gymnasium": ["21011111", "31011011"],
    "state_gymnasium": ["21011111", "31011011"], "extramural_secondary": ["21011112", "31011012"],
    "special_basic": ["21015611"], "special_secondary": ["21015611", "31015611"],
    "boarding_development_centre": ["21015811"], "vocational_secondary": ["33481011"],
    "vocational_competence_centre": ["33481011"], "trade_school": ["32341011"],
}


def programme_level(code: str) -> int | None:
    """Level of a programme code (Latvian Education Classification), or None for other programmes."""
    c = code.strip()
    if len(c) != 8:
        return None
    if c[:2] == "01":
        return PRESCHOOL
    if c[:2] in ("11", "21"):
        return BASIC
    if c[:2] == "31":
        return SECONDARY
    if c[0] in "234" and c[1].isdigit() and c[1] != "1" and c[2].isdigit():
        return VOCATIONAL
    return None


def programme_special(code: str) -> bool:
    """Special-education programme: thematic group 015 (e.g. 21015611)."""
    return code.strip()[2:5] == "015"


@dataclass
class Profiles:
    """What each institution teaches, as flat tables.

    units: one row per (inst, level, grade, age) with a capacity weight; programmes: one row per
    (inst, level, special, programme index); codes: programme codes by index."""

    units: pd.DataFrame
    programmes: pd.DataFrame
    codes: list[str]
    size_group: np.ndarray  # size group per inst ("" = no learners)
    special_share: np.ndarray  # (n_inst, 4) share of learners in special programmes per level


def build_profiles(frame: pd.DataFrame, rng: np.random.Generator) -> Profiles:
    """Levels, grades and licensed programmes per institution (row order of ``frame``)."""
    codes: list[str] = []
    code_index: dict[str, int] = {}
    unit_rows: list[tuple[int, int, int, int, float]] = []
    prog_rows: list[tuple[int, int, int, int]] = []
    size_group = np.full(len(frame), "", dtype=object)
    special_share = np.zeros((len(frame), 4))
    # One pass over institutions (hundreds of rows), not over learners.
    for i, (itype, kind, progs) in enumerate(zip(frame["type"], frame["kind"], frame["programmes"], strict=True)):
        plist = [str(p).strip() for p in (progs if progs is not None else [])]
        if not plist:
            plist = list(_DEFAULT_PROGRAMMES.get(str(itype), []))
        by_level: dict[int, dict[bool, list[int]]] = {}
        for code in plist:
            level = programme_level(code)
            if level is None:
                continue
            idx = code_index.setdefault(code, len(codes))
            if idx == len(codes):
                codes.append(code)
            by_level.setdefault(level, {}).setdefault(programme_special(code), []).append(idx)
        grades = _grades_for(str(itype), str(kind), by_level)
        if not grades:
            continue
        size_group[i] = _size_group(str(itype), str(kind), grades)
        for level, (lo, hi) in grades.items():
            for special, idxs in by_level[level].items():
                for idx in sorted(set(idxs)):
                    prog_rows.append((i, level, int(special), idx))
            kinds = by_level[level]
            if True in kinds and False in kinds:
                special_share[i, level] = 0.7 if itype in SPECIAL_TYPES else float(rng.uniform(0.03, 0.12))
            elif True in kinds:
                special_share[i, level] = 1.0
            if level == PRESCHOOL:
                ages = PRESCHOOL_AGES if kind == "preschool" else SCHOOL_GROUP_AGES
                for age, w in ages.items():
                    unit_rows.append((i, level, 0, age, w))
            else:
                w = GRADE_WEIGHT.get(str(itype), {}).get(level, 1.0)
                for g in range(lo, hi + 1):
                    unit_rows.append((i, level, g, -1, w))
    units = pd.DataFrame(unit_rows, columns=["inst", "level", "grade", "age", "weight"])
    programmes = pd.DataFrame(prog_rows, columns=["inst", "level", "special", "prog"])
    return Profiles(units, programmes, codes, size_group, special_share)


def _grades_for(itype: str, kind: str, by_level: dict[int, dict[bool, list[int]]]) -> dict[int, tuple[int, int]]:
    if itype in TYPE_GRADES:
        grades = dict(TYPE_GRADES[itype])
    elif kind in ("general", "special"):
        grades = {BASIC: (1, 9), SECONDARY: (10, 12)}
    elif kind == "vocational":
        grades = {VOCATIONAL: (1, 4)}
    elif kind == "preschool":
        grades = {}
    else:
        return {}
    if kind in ("preschool", "general", "special") or itype == "preschool":
        grades[PRESCHOOL] = (0, 0)
    if kind == "preschool" or itype == "preschool":
        grades = {PRESCHOOL: (0, 0)}
    return {lvl: rng for lvl, rng in grades.items() if lvl in by_level}


def _size_group(itype: str, kind: str, grades: dict[int, tuple[int, int]]) -> str:
    from analytics.synth.sizes import TYPE_GROUP

    if itype in TYPE_GROUP:
        return TYPE_GROUP[itype]
    if kind == "special":
        return "special"
    if kind == "vocational":
        return "vocational"
    if kind == "preschool" or set(grades) == {PRESCHOOL}:
        return "preschool"
    return "secondary" if SECONDARY in grades else "basic"


def example_institutions(scale: float = 1.0, seed: int = 1) -> pd.DataFrame:
    """A synthetic register with realistic counts per type (at least one of each type with learners)."""
    rng = stream(seed, "example-institutions")
    rows: list[dict[str, object]] = []
    muni = np.array(list(MUNICIPALITY_WEIGHTS))
    pop = np.array(list(MUNICIPALITY_WEIGHTS.values()), dtype=float)
    city = np.isin(muni, STATE_CITIES)
    n_total = sum(max(1 if t in TYPE_GRADES or t == "preschool" else 0, round(c * scale))
                  for t, c in EXAMPLE_COUNTS.items())
    numbers = rng.choice(900_000_000, size=n_total, replace=False) + 4_100_000_000
    k = 0
    for itype, count in EXAMPLE_COUNTS.items():
        n = max(1 if itype in TYPE_GRADES or itype == "preschool" else 0, round(count * scale))
        # Small primary and basic schools are mostly rural; the rest follow the population.
        w = pop * np.where(city, 0.35, 1.0) if itype in ("primary", "basic") else pop
        where = rng.choice(muni, size=n, p=w / w.sum())
        for j in range(n):
            kind = TYPE_KIND[itype]
            rows.append({
                "institution": f"{numbers[k]:010d}",
                "name": f"Parauga {j + 1}. {_TYPE_NAME[itype]}",
                "type": itype,
                "kind": kind,
                "municipality": str(where[j]),
                "founder_kind": _founder(itype, rng),
                "programmes": _example_programmes(itype, rng),
            })
            k += 1
    return pd.DataFrame(rows)


def _founder(itype: str, rng: np.random.Generator) -> str:
    if TYPE_KIND[itype] in ("vocational", "higher") or itype == "boarding_development_centre":
        return "state" if rng.random() < 0.85 else "private"
    return "municipality" if rng.random() < 0.92 else "private"


def _example_programmes(itype: str, rng: np.random.Generator) -> list[str]:
    r = rng.random
    progs: list[str] = []
    if itype == "preschool":
        progs = ["01011111"] + (["01015611"] if r() < 0.3 else [])
    elif itype == "primary":
        progs = ["21011111"] + (["01011111"] if r() < 0.4 else [])
    elif itype == "basic":
        progs = ["21011111"] + (["01011111"] if r() < 0.6 else []) + (["21015611"] if r() < 0.3 else [])
    elif itype == "secondary":
        progs = ["31011011"] + (["21011111"] if r() < 0.9 else []) + (["31013011"] if r() < 0.4 else [])
        progs += (["01011111"] if r() < 0.3 else []) + (["21015611"] if r() < 0.25 else [])
    elif itype in ("gymnasium", "state_gymnasium"):
        progs = ["21011111", "31011011"] + (["31012011"] if r() < 0.5 else [])
    elif itype == "extramural_secondary":
        progs = ["31011012"] + (["21011112"] if r() < 0.7 else [])
    elif itype in ("special_basic", "boarding_development_centre"):
        progs = ["21015611", "21015811"] + (["01015611"] if r() < 0.5 else [])
    elif itype == "special_secondary":
        progs = ["21015611", "31015611"]
    elif itype in ("vocational_secondary", "vocational_competence_centre", "trade_school"):
        n = int(rng.integers(2, 7))
        head = "32" if itype == "trade_school" else "33"
        progs = sorted({f"{head}{int(x):06d}" for x in rng.integers(0, 1_000_000, n)})
    elif itype in ("music_art_school", "sports_school", "art_school"):
        progs = [f"20V{int(rng.integers(0, 100_000)):05d}"]
    elif itype in ("university", "college", "college_branch", "university_branch"):
        progs = [f"4{int(x):07d}" for x in rng.integers(2_000_000, 9_999_999, 3)]
    return progs
