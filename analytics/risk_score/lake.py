"""The score's inputs from the lake: per school year, the engine's values and flags, the register partition,
the ``complaints`` dataset where the year has one, turned into ``build_features`` frames; and the training
snapshot (per dataset: the files read, the latest modification and the manifests' latest receipt)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.compile import default_catalogue
from analytics.engines.base import Engine, dataset_files
from analytics.lake.coverage import read_manifest
from analytics.lake.schemas import partition_dir
from analytics.risk_score.features import Definition, build_features, load_definition, rule_weights
from analytics.run import ComputeResult, compute


def read_partition(lake_root: Path, dataset: str, school_year: str) -> pd.DataFrame | None:
    """A dataset's partition of a school year as a frame; None where the year has no partition."""
    part = partition_dir(school_year)
    files = [str(p) for p in dataset_files(Path(lake_root), dataset) if p.parent.name == part]
    if not files:
        return None
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def snapshot_of(lake_root: Path, results: Sequence[ComputeResult]) -> dict[str, Any]:
    """What a model was trained on: per dataset the number of files read, their latest modification time and
    the latest ``received_at`` of its manifest."""
    out: dict[str, Any] = {}
    for result in results:
        for dataset, stamps in result.snapshot.items():
            entry = out.setdefault(dataset, {"files": 0, "modified": "", "received_at": ""})
            entry["files"] += len(stamps)
            entry["modified"] = max([entry["modified"], *(s.modified for s in stamps)])
    for dataset, entry in out.items():
        try:
            files = read_manifest(Path(lake_root), dataset).get("files", [])
        except (OSError, ValueError):
            files = []
        entry["received_at"] = max([entry["received_at"], *(str(f.get("received_at") or "") for f in files)])
    return out


def year_frames(lake_root: Path, years: Sequence[str], engine_for: Callable[[], Engine], *,
                municipality_kinds: Mapping[str, str] | None = None, evaluations: pd.DataFrame | None = None,
                definition: Definition | None = None,
                results: Mapping[str, ComputeResult] | None = None) -> tuple[dict[str, pd.DataFrame], dict]:
    """Feature frames per school year (computed with a fresh engine from ``engine_for`` unless ``results``
    already holds the year's computation) and the training snapshot."""
    d = definition or load_definition()
    weights = rule_weights(default_catalogue().rules)
    frames, done = {}, []
    for year in years:
        result = (results or {}).get(year) or compute(Path(lake_root), year, engine_for())
        done.append(result)
        register = read_partition(lake_root, "institutions", year)
        if register is None:
            continue
        frames[year] = build_features(
            school_year=year, register=register, values=result.values, flags=result.flags, weights=weights,
            complaints=read_partition(lake_root, "complaints", year), evaluations=evaluations,
            municipality_kinds=municipality_kinds, definition=d)
    return frames, snapshot_of(lake_root, done)
