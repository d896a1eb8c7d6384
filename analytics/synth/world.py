"""Shared state of one generator run, passed to the dataset builders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.synth.calendar import SchoolCalendar, school_calendar
from analytics.synth.institutions import BASIC_SCHOOL_TYPES, SECONDARY_SCHOOL_TYPES, STATE_CITIES
from analytics.synth.plan import Flags
from analytics.synth.population import Enrolment, Population, autumn_year
from analytics.synth.targets import Targets
from analytics.synth.util import pseudonyms, stream, take_strings

LEVEL_NAMES = pa.array(["preschool", "basic", "secondary", "vocational"])


@dataclass
class World:
    frame: pd.DataFrame
    pop: Population
    quality: np.ndarray  # (n_inst, n_years)
    flags: Flags
    years: tuple[str, ...]
    calibration_year: int | None
    seed: int
    scale: float
    targets: Targets
    lake_root: Path
    prog_codes: list[str]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Named demo persons: learner serial → the keyed hash of a demo personal code (analytics/synth/named.py)
    named: dict[int, str] = field(default_factory=dict)
    _ids: dict[int, pa.Array] = field(default_factory=dict)

    def __post_init__(self) -> None:
        types = self.frame["type"].to_numpy()
        self.is_basic_school = np.isin(types, BASIC_SCHOOL_TYPES)
        self.is_secondary_school = np.isin(types, SECONDARY_SCHOOL_TYPES)
        self.kind = self.frame["kind"].to_numpy()
        self.type = types
        self.rural = ~np.isin(self.frame["municipality"].to_numpy(), STATE_CITIES)
        self.inst_codes = pa.array(self.frame["institution"].astype(str).tolist(), type=pa.string())
        self.programme_codes = pa.array(self.prog_codes, type=pa.string())
        self.municipality_codes = pa.array(self.pop.municipalities, type=pa.string())

    def rng(self, *keys: str | int) -> np.random.Generator:
        return stream(self.seed, *keys)

    def enrolment(self, t: int) -> Enrolment:
        return self.pop.years[t]

    def autumn(self, t: int) -> int:
        return autumn_year(self.years[t])

    def calendar(self, t: int) -> SchoolCalendar:
        return school_calendar(self.autumn(t))

    def learner_ids(self, t: int) -> pa.Array:
        """Pseudonymous ids of year t's enrolment rows (cached); a named demo person's is the keyed hash of their
        personal code, the same in every year and dataset."""
        if t not in self._ids:
            self._ids.clear()
            learner = self.enrolment(t).learner
            ids = pseudonyms(learner, self.seed, "learner")
            if self.named:
                mask = np.isin(learner, np.fromiter(self.named, dtype=np.int64, count=len(self.named)))
                if mask.any():
                    named = pa.array([self.named[int(s)] for s in learner[mask]], type=pa.string())
                    ids = pc.replace_with_mask(ids, pa.array(mask), named)
            self._ids[t] = ids
        return self._ids[t]

    def learner_id_of(self, t: int, rows: np.ndarray) -> pa.Array:
        return self.learner_ids(t).take(pa.array(np.asarray(rows, dtype=np.int64)))

    def institution(self, inst: np.ndarray) -> pa.Array:
        return take_strings(self.inst_codes, inst)

    def q(self, t: int) -> np.ndarray:
        return self.quality[:, t]

    def count(self, dataset: str, year: str, rows: int) -> None:
        self.counts.setdefault(dataset, {})[year] = rows
