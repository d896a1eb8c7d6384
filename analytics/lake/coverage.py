"""What the lake has received: for every source (dataset) × school year × institution, whether data came,
when, and in which file.

Missing data is not zero. An institution with no absence rows may have had no absences, or its absences
may never have been sent; only the record of what was received tells the two apart. That record is the
dataset's ``manifest.json`` (written atomically with each part, see analytics/imports/lake.py): every entry
names the part, its school year, when it was received, the source file and the institutions it covers
(``covers``):

* an import covers the institutions that have rows in the file, or, for a complete national extract
  (``--covers all``), every institution in the register when it was imported;
* the demo generator covers every institution of the year's register;
* an entry written before ``covers`` existed covers the institutions with rows in its part.

A dataset without an institution column (learners, out-of-school children) is received nationally: its
coverage row has the institution ``NATIONAL`` ("").

The engines register the coverage as the table ``coverage`` (institution, source, school_year partition),
so indicators are computed only over institutions whose data were received, and the run says which
institutions and rules could not be evaluated and why."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analytics.lake.schemas import DATASETS, partition_dir

MANIFEST = "manifest.json"
NATIONAL = ""
#: Datasets whose rows belong to an institution (their coverage is per institution).
INSTITUTION_DATASETS = tuple(name for name, d in DATASETS.items() if any(c.name == "institution" for c in d.columns))
#: Datasets received for the whole country at once.
NATIONAL_DATASETS = tuple(name for name in DATASETS if name not in INSTITUTION_DATASETS)
COLUMNS = ("source", "school_year", "institution", "received_at", "file", "rows")
SCHEMA = pa.schema([pa.field("institution", pa.string()), pa.field("source", pa.string())])


def _part_institutions(path: Path) -> list[str]:
    """Distinct institutions with rows in a part (for manifest entries that predate `covers`)."""
    if not path.exists():
        return []
    column = pq.read_table(path, columns=["institution"]).column("institution")
    return sorted({str(v) for v in pa.compute.unique(column).to_pylist() if v is not None})


def read_manifest(lake_root: Path, dataset: str) -> dict[str, Any]:
    path = Path(lake_root) / dataset / MANIFEST
    if not path.exists():
        return {"dataset": dataset, "files": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("files", [])
    return data


def entry_institutions(lake_root: Path, dataset: str, entry: dict[str, Any]) -> list[str]:
    """The institutions one manifest entry covers."""
    if dataset in NATIONAL_DATASETS:
        return [NATIONAL]
    covers = entry.get("covers")
    if isinstance(covers, list):
        return [str(c) for c in covers]
    part = entry.get("part")
    return _part_institutions(Path(lake_root) / part) if part else []


def read_coverage(lake_root: Path, datasets: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per (source, school year, institution) received: the newest receipt (COLUMNS)."""
    rows: list[tuple[str, str, str, str, str, int]] = []
    for dataset in datasets if datasets is not None else DATASETS:
        for entry in read_manifest(lake_root, dataset)["files"]:
            year = str(entry.get("school_year") or "")
            if not year:
                continue
            received = str(entry.get("imported_at") or "")
            file = str(entry.get("source_file") or "")
            n = int(entry.get("rows") or 0)
            rows.extend((dataset, year, inst, received, file, n)
                        for inst in entry_institutions(lake_root, dataset, entry))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    if frame.empty:
        return frame.astype({"rows": "int64"})
    frame = frame.sort_values("received_at").drop_duplicates(["source", "school_year", "institution"], keep="last")
    return frame.sort_values(["source", "school_year", "institution"]).reset_index(drop=True)


def coverage_table(coverage: pd.DataFrame) -> pa.Table:
    """The engines' `coverage` table: institution, source and the school_year partition value."""
    return pa.table({
        "institution": pa.array(coverage["institution"].astype(str).tolist(), type=pa.string()),
        "source": pa.array(coverage["source"].astype(str).tolist(), type=pa.string()),
        "school_year": pa.array([partition_dir(y).removeprefix("school_year=")
                                 for y in coverage["school_year"].astype(str)], type=pa.string()),
    })


class Coverage:
    """Look-ups over `read_coverage`: is (institution, source, year) received?"""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._sets: dict[tuple[str, str], set[str]] = {}
        for (source, year), group in frame.groupby(["source", "school_year"], sort=False):
            self._sets[(str(source), str(year))] = set(group["institution"].astype(str))

    @classmethod
    def read(cls, lake_root: Path) -> Coverage:
        return cls(read_coverage(lake_root))

    def received(self, source: str, year: str) -> bool:
        """Any data of `source` for the school year (label "2023/2024")."""
        return bool(self._sets.get((source, year)))

    def institutions(self, source: str, year: str) -> set[str]:
        return self._sets.get((source, year), set())

    def covers(self, institution: str, source: str, year: str) -> bool:
        if source in NATIONAL_DATASETS:
            return NATIONAL in self._sets.get((source, year), set())
        return institution in self._sets.get((source, year), set())

    def missing(self, institution: str, sources: Sequence[str | Sequence[str]], year: str) -> list[str]:
        """The sources (in order) not received for the institution in the school year. An item of `sources` may
        be a group of alternatives (e.g. per-learner `exams` or per-institution `exam_results`): received when
        any of them is; when none is, every one of them is listed."""
        out: list[str] = []
        for item in sources:
            group = [s for s in ((item,) if isinstance(item, str) else item) if s in DATASETS]
            if group and not any(self.covers(institution, s, year) for s in group):
                out.extend(s for s in group if s not in out)
        return out

    def years(self) -> set[str]:
        return {y for _, y in self._sets}


def manifest_entry(*, part: str, school_year: str, rows: int, received_at: str, source_file: str,
                   covers: Sequence[str] | None, **extra: object) -> dict[str, Any]:
    """A manifest entry as imports and the generator write it."""
    entry: dict[str, Any] = {"part": part, "school_year": school_year, "rows": rows, "imported_at": received_at,
                             "source_file": source_file, **extra}
    if covers is not None:
        entry["covers"] = sorted(set(covers))
    return entry


def write_generated_manifests(lake_root: Path, counts: dict[str, dict[str, int]], institutions: Sequence[str],
                              *, source_file: str, received_at: str,
                              withheld: Mapping[tuple[str, str], Iterable[str]] | None = None) -> None:
    """Manifests for datasets written whole by the generator: each school year's partition is one receipt
    covering every institution of the register (`institutions`) but those `withheld` for (dataset, school year)
    — the schools that did not submit it — replacing any earlier manifest."""
    import os
    import uuid

    gaps = {key: set(codes) for key, codes in (withheld or {}).items()}
    for dataset, per_year in counts.items():
        if dataset not in DATASETS:
            continue
        files = []
        for year in sorted(per_year):
            folder = Path(lake_root) / dataset / partition_dir(year)
            for part in sorted(folder.glob("*.parquet")):
                files.append(manifest_entry(part=part.relative_to(lake_root).as_posix(), school_year=year,
                                            rows=pq.ParquetFile(part).metadata.num_rows, received_at=received_at,
                                            source_file=source_file, generated=True,
                                            covers=[i for i in institutions if i not in gaps.get((dataset, year),
                                                                                                 ())]))
        target = Path(lake_root) / dataset / MANIFEST
        tmp = target.with_name(f".tmp-manifest-{uuid.uuid4().hex}")
        tmp.write_text(json.dumps({"dataset": dataset, "version": 1, "files": files}, ensure_ascii=False, indent=1),
                       encoding="utf-8")
        os.replace(tmp, target)
