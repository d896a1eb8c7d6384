"""The synthetic national data set: ``generate_lake`` writes every lake dataset for the given school years.

See docs/data/synthetic.md for the model. Entry points: ``generate_lake`` (library) and
``python -m analytics.synth`` (command line).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.lake.coverage import write_generated_manifests
from analytics.lake.schemas import SCHOOL_YEARS
from analytics.synth import absences, exams, extras, marks, records, staff
from analytics.synth.institutions import (
    BASIC,
    MUNICIPALITY_WEIGHTS,
    SECONDARY,
    STATE_CITIES,
    build_profiles,
)
from analytics.synth.named import choose_named
from analytics.synth.plan import RISK_KEYS, Flags, choose_denominator, plan_flags
from analytics.synth.population import Context, Population, capacities, simulate
from analytics.synth.sizes import load_size_model
from analytics.synth.targets import Targets, load_targets
from analytics.synth.util import stream
from analytics.synth.world import World

CALIBRATION_YEAR = "2023/2024"
REQUIRED_COLUMNS = ("institution", "name", "type", "kind", "municipality", "founder_kind")


def normalise_institutions(institutions: pd.DataFrame) -> pd.DataFrame:
    """The register frame with the required columns and ``programmes`` as lists of strings."""
    missing = [c for c in REQUIRED_COLUMNS if c not in institutions.columns]
    if missing:
        raise ValueError(f"institutions frame lacks columns {missing}")
    frame = institutions.reset_index(drop=True).copy()
    for col in REQUIRED_COLUMNS:
        frame[col] = frame[col].astype(str)
    if frame["institution"].duplicated().any():
        raise ValueError("duplicate institution registration numbers")

    def as_list(value: object) -> list[str]:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return []
        if isinstance(value, str):
            return [p for p in value.replace(",", ";").split(";") if p.strip()]
        return [str(p) for p in value]  # type: ignore[attr-defined]

    progs = frame["programmes"] if "programmes" in frame.columns else pd.Series([[]] * len(frame))
    frame["programmes"] = [as_list(v) for v in progs]
    return frame


def _inside(path: Path, root: Path) -> bool:
    path, root = path.resolve(), root.resolve()
    return path == root or root in path.parents


def generate_lake(institutions: pd.DataFrame, lake_root: Path, *, scale: float = 1.0, seed: int = 20240101,
                  years: Sequence[str] = SCHOOL_YEARS, size_source: Path | None = None,
                  latent_path: Path | None = None, progress: bool = False,
                  calibration_yaml: Path | None = None, named_persons: Sequence[str] = (),
                  pseudonym_key: bytes | None = None) -> dict[str, dict[str, int]]:
    """Generate the lake; returns rows written per dataset and school year.

    ``size_source``: the IZM 2020/21 pupil-count CSV(s) (a file or the folder holding them) for the
    school-size distribution; without it sizes are lognormal. ``latent_path``: where to write the hidden
    latent quality per institution (must be outside the lake). ``calibration_yaml``: figures to reproduce
    (default: the built-in copy of the 2024 figures). ``named_persons``: demo personal codes whose learners
    (chosen from the population, see analytics/synth/named.py) get the keyed hash of the code under
    ``pseudonym_key`` as their id, as the imports would write it; nothing else changes."""
    lake_root = Path(lake_root)
    years = tuple(years)
    if scale <= 0:
        raise ValueError("scale must be positive")
    if latent_path is not None and _inside(Path(latent_path), lake_root):
        raise ValueError("the latent file must not be inside the lake")

    def say(message: str) -> None:
        if progress:
            sys.stderr.write(message + "\n")

    started = time.perf_counter()
    targets = load_targets(calibration_yaml)
    frame = normalise_institutions(institutions)
    n_inst = len(frame)
    cal = years.index(CALIBRATION_YEAR) if CALIBRATION_YEAR in years else min(1, len(years) - 1)
    # Hidden latent quality: level q ~ N(0, 1) and a yearly trend, centred on the calibration year.
    latent = stream(seed, "latent")
    q0 = latent.standard_normal(n_inst)
    trend = latent.normal(0.0, 0.1, n_inst)
    quality = q0[:, None] + trend[:, None] * (np.arange(len(years)) - cal)[None, :]
    profiles = build_profiles(frame, stream(seed, "profiles"))
    municipalities = sorted(set(frame["municipality"]))
    muni_index = np.searchsorted(municipalities, frame["municipality"].to_numpy())
    default_weight = float(np.median(list(MUNICIPALITY_WEIGHTS.values())))
    muni_weight = np.array([MUNICIPALITY_WEIGHTS.get(m, default_weight) for m in municipalities], dtype=float)
    ctx = Context(frame, profiles, quality, np.full(n_inst, len(years)), muni_index, municipalities, muni_weight)
    units = capacities(ctx, load_size_model(size_source), scale, stream(seed, "capacity"))
    types = frame["type"].to_numpy()
    rural = ~np.isin(frame["municipality"].to_numpy(), STATE_CITIES)
    ctx.closed_from = _closures(seed, units, types=types, rural=rural, quality=quality[:, cal], targets=targets,
                                cal=cal, n_years=len(years))
    shares = {**targets.basic, **targets.secondary}
    pop = simulate(ctx, units, years=years, seed=seed, calibration=shares, calibration_year=cal)
    say(f"population: {pop.learners.n} learners ({time.perf_counter() - started:.1f} s)")
    flags = _flags(seed, pop, types=types, rural=rural, quality=quality[:, cal], targets=targets, cal=cal)
    w = World(frame, pop, quality, flags, years, cal, seed, scale, targets, lake_root, profiles.codes,
              named=choose_named(pop, seed, tuple(named_persons), pseudonym_key or b""))
    plan_cal = marks.MarkPlan(w, cal)
    offsets = plan_cal.calibrate_to({
        "a": targets.basic["learners_average_7_or_more"],
        "b": targets.secondary["learners_average_7_or_more"],
        "c": targets.secondary["learners_high_in_advanced_courses"],
    })
    plan_cal.apply_offsets(offsets)
    for t, year in enumerate(years):
        records.write_institutions(w, t)
        records.write_learners(w, t)
        records.write_enrolments_and_classes(w, t)
        records.write_graduates(w, t)
        absences.write_absences(w, t)
        plan = plan_cal if t == cal else marks.MarkPlan(w, t)
        if t != cal:
            plan.apply_offsets(offsets)
        mark_sum, mark_n = marks.write_marks(w, t, plan, calibrate=t == cal)
        del plan
        exams.write_exams(w, t, mark_sum, mark_n, calibrate=t == cal, low_exam_year=t == cal - 1)
        extras.write_diagnostics(w, t)
        extras.write_wellbeing(w, t)
        extras.write_out_of_school(w, t)
        extras.write_declared_children(w, t)
        say(f"{year}: {sum(c.get(year, 0) for c in w.counts.values())} rows "
            f"({time.perf_counter() - started:.1f} s)")
    staff.write_staff_and_vacancies(w)
    # The generated partitions are complete national extracts: every institution's data were "received", but for
    # the few schools that did not submit a rule's source in the calibration year (plan.WITHHOLDABLE).
    codes = frame["institution"].astype(str).to_numpy()
    withheld = {(dataset, years[cal]): codes[mask].tolist() for dataset, mask in flags.withheld.items() if mask.any()}
    write_generated_manifests(lake_root, w.counts, codes.tolist(), withheld=withheld,
                              source_file="generate_demo",
                              received_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"))
    if latent_path is not None:
        _write_latent(Path(latent_path), frame, q0, trend)
    say(f"done in {time.perf_counter() - started:.1f} s")
    return w.counts


def _closures(seed: int, units: pd.DataFrame, *, types: np.ndarray, rural: np.ndarray, quality: np.ndarray,
              targets: Targets, cal: int, n_years: int) -> np.ndarray:
    """Institutions that have no learners from the calibration year on (closed after the previous year).

    A published share k/N is reachable only for some N; each school set keeps the N (at least 80 % of its
    schools) for which all its risk shares come nearest, and the smallest rural, weaker schools close."""
    rng = stream(seed, "closures")
    n_inst = len(types)
    closed_from = np.full(n_inst, n_years)
    size = np.bincount(units["inst"].to_numpy(), weights=units["cap"].to_numpy(), minlength=n_inst)
    for school_types, risk in ((("basic",), targets.basic), (("secondary", "gymnasium", "state_gymnasium"),
                                                              targets.secondary)):
        members = np.isin(types, school_types) & (size > 0)
        shares = [risk[key] for key in RISK_KEYS.values() if key in risk]
        keep = choose_denominator(int(members.sum()), shares)
        n_close = int(members.sum()) - keep
        closable = np.nonzero(members & (types == school_types[0]))[0]
        score = np.log(size[closable]) - 0.8 * rural[closable] + 0.3 * quality[closable] + rng.normal(0, 0.3,
                                                                                                     len(closable))
        closed_from[closable[np.argsort(score)[:n_close]]] = cal
    return closed_from


def _flags(seed: int, pop: Population, *, types: np.ndarray, rural: np.ndarray, quality: np.ndarray,
           targets: Targets, cal: int) -> Flags:
    """Risk decisions per institution for the basic and secondary school sets of the calibration year."""
    n_inst = len(types)
    e = pop.years[cal]
    size = np.bincount(e.inst, minlength=n_inst)
    general = ((e.level == BASIC) | (e.level == SECONDARY)) & ~e.special
    truancy_ok = np.bincount(e.inst[general], minlength=n_inst) > 0
    if cal >= 1:
        p = pop.years[cal - 1]
        takers = ((p.level == BASIC) & (p.grade == 9) | (p.level == SECONDARY) & (p.grade == 12)) & ~p.special
        exam_ok = np.bincount(p.inst[takers], minlength=n_inst) > 0
    else:
        exam_ok = np.ones(n_inst, dtype=bool)
    basic_set = np.isin(types, ("basic",)) & (size > 0)
    secondary_set = np.isin(types, ("secondary", "gymnasium", "state_gymnasium")) & (size > 0)
    return plan_flags(stream(seed, "flags"), basic_set=basic_set, secondary_set=secondary_set, quality=quality,
                      size=size.astype(float), rural=rural.astype(float), truancy_ok=truancy_ok, exam_ok=exam_ok,
                      basic_targets=targets.basic, secondary_targets=targets.secondary)


def _write_latent(path: Path, frame: pd.DataFrame, q0: np.ndarray, trend: np.ndarray) -> None:
    """The hidden truth, for model checks only: latent quality and trend per institution."""
    table = pa.table({
        "institution": pa.array(frame["institution"].tolist(), type=pa.string()),
        "latent_quality": pa.array(q0, type=pa.float64()),
        "latent_trend": pa.array(trend, type=pa.float64()),
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)
