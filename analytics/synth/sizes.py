"""School-size distributions: empirical quantiles of the real 2020/21 IZM pupil counts, or a lognormal.

The real per-school counts (``shared/data/real/lv-viis-register-2020``, see its SOURCE.md) are read at run
time from a path given by the caller and never copied into the project. For each size group the sorted
positive counts form an empirical quantile function; a size is drawn by evaluating it at a uniform number
(linear interpolation between order statistics). Groups with fewer than ``MIN_POINTS`` counts, or a run
without the files, use the documented lognormal fallback below (medians and spreads read off the same
source, rounded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

MIN_POINTS = 5

#: Size group of each institution type (the real file has no vocational learner counts).
TYPE_GROUP = {
    "primary": "primary", "basic": "basic", "secondary": "secondary", "gymnasium": "gymnasium",
    "state_gymnasium": "state_gymnasium", "extramural_secondary": "extramural_secondary",
    "special_basic": "special", "special_secondary": "special", "boarding_development_centre": "special",
    "preschool": "preschool", "vocational_secondary": "vocational", "vocational_competence_centre": "vocational",
    "trade_school": "vocational",
}

#: Fallback lognormal per group: (median learners, sigma of log size).
LOGNORMAL: dict[str, tuple[float, float]] = {
    "primary": (50.0, 1.0),
    "basic": (90.0, 0.7),
    "secondary": (420.0, 0.8),
    "gymnasium": (410.0, 0.4),
    "state_gymnasium": (560.0, 0.5),
    "extramural_secondary": (580.0, 0.6),
    "special": (100.0, 0.5),
    "preschool": (115.0, 0.7),
    "school_preschool_group": (36.0, 0.9),
    "vocational": (450.0, 0.6),
}

#: "Iestādes tips" of the IZM school file -> size group.
_REAL_SCHOOL_TYPES = {
    "Vispārizglītojošā sākumskola": "primary",
    "Vispārizglītojošā pamatskola": "basic",
    "Vispārizglītojošā vidusskola": "secondary",
    "Ģimnāzija": "gymnasium",
    "Valsts ģimnāzija": "state_gymnasium",
    "Neklātienes vidusskola": "extramural_secondary",
    "Vispārizglītojošā vakara (maiņu) vidusskola": "extramural_secondary",
    "Speciālā pamatskola": "special",
    "Speciālā vidusskola": "special",
    "Internātskola - attīstības centrs": "special",
}


@dataclass
class SizeModel:
    """Sorted real sizes per group (empty when not available) and the lognormal fallback."""

    empirical: dict[str, np.ndarray] = field(default_factory=dict)

    def source(self, group: str) -> str:
        return "empirical" if len(self.empirical.get(group, ())) >= MIN_POINTS else "lognormal"

    def sample(self, group: str, n: int, rng: np.random.Generator) -> np.ndarray:
        """n sizes (float, ≥ 1) of a group."""
        values = self.empirical.get(group)
        if values is not None and len(values) >= MIN_POINTS:
            pos = rng.random(n) * (len(values) - 1)
            return np.maximum(np.interp(pos, np.arange(len(values)), values), 1.0)
        median, sigma = LOGNORMAL[group]
        return np.maximum(rng.lognormal(np.log(median), sigma, n), 1.0)


def _column(frame: pd.DataFrame, *needles: str) -> str | None:
    for col in frame.columns:
        if all(n.lower() in col.lower() for n in needles):
            return col
    return None


def _to_int(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").fillna(0).to_numpy(dtype=np.float64)


def _read(path: Path, model: SizeModel) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    type_col = _column(frame, "Iestādes tips")
    pupils_col = _column(frame, "Izglītojamo skaits")
    groups_col = _column(frame, "pirmsskolas programm")
    under5_col = _column(frame, "līdz 5")
    over5_col = _column(frame, "5 gadi un vairāk")
    collected: dict[str, list[np.ndarray]] = {}
    if type_col and pupils_col:  # the general-school file
        pupils = _to_int(frame[pupils_col])
        groups = frame[type_col].str.strip().map(_REAL_SCHOOL_TYPES)
        for group in sorted(set(_REAL_SCHOOL_TYPES.values())):
            sel = (groups == group).to_numpy() & (pupils > 0)
            collected.setdefault(group, []).append(pupils[sel])
        if groups_col:
            pre = _to_int(frame[groups_col])
            collected.setdefault("school_preschool_group", []).append(pre[pre > 0])
    elif under5_col and over5_col:  # the pre-school file
        total = _to_int(frame[under5_col]) + _to_int(frame[over5_col])
        collected.setdefault("preschool", []).append(total[total > 0])
    else:
        raise ValueError(f"{path}: not an IZM 2020/21 school or pre-school pupil-count file")
    for group, parts in collected.items():
        values = np.concatenate([model.empirical.get(group, np.zeros(0)), *parts])
        model.empirical[group] = np.sort(values)


def load_size_model(size_source: Path | None) -> SizeModel:
    """Sizes from the IZM pupil-count CSVs: a directory holding them, or one of the files; None = lognormal."""
    model = SizeModel()
    if size_source is None:
        return model
    path = Path(size_source)
    files = sorted(path.glob("izm_*.csv")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"no izm_*.csv pupil-count files in {path}")
    for file in files:
        _read(file, model)
    return model
