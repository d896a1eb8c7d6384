"""Lake side of imports: the dataset manifest, the dataset lock, and the atomic commit of a part file.

Layout (readers glob ``*.parquet``)::

    <lake_root>/<dataset>/manifest.json
    <lake_root>/<dataset>/school_year=2023-2024/part-<sha256 of the input, 16 hex>.parquet

Temporary files are named ``.tmp-*`` with no ``.parquet`` suffix, in the folder of their target, so
no reader ever sees them and ``os.replace`` is atomic. Commit order: part written and fsynced →
manifest written to a temp file and fsynced → part renamed → manifest renamed. A process killed
before the part's rename leaves the lake as it was (and a ``.tmp-*`` file, removed by the next
import of the dataset, or lake-wide by `remove_stale_tmp_all` when `import_data` or a backup starts);
killed between the two renames, the part is complete and visible, and the next import of the same
file records it in the manifest ("adopts" it) instead of importing it again.

A dataset the web application writes from its own records (`replace_partition`, `withdraw_partition`) uses the
same lock, temporary files and commit order, one whole partition per school year."""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from analytics.lake.coverage import manifest_entry
from analytics.lake.schemas import partition_dir

MANIFEST = "manifest.json"
TMP_PREFIX = ".tmp-"
PART_PREFIX = "part-"


def part_name(file_sha256: str) -> str:
    return f"{PART_PREFIX}{file_sha256[:16]}.parquet"


def tmp_path(folder: Path, label: str) -> Path:
    return folder / f"{TMP_PREFIX}{label}-{os.getpid()}-{uuid.uuid4().hex[:12]}"


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def dataset_lock(dataset_dir: Path) -> Iterator[None]:
    """An exclusive lock on a dataset folder (flock on the folder itself, so no lock file is left):
    one import commits at a time; other processes wait."""
    dataset_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(dataset_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stale_tmp(dataset_dir: Path) -> list[Path]:
    """Remove temporary files left by killed imports (call with the lock held)."""
    removed = []
    for folder in [dataset_dir, *[p for p in dataset_dir.iterdir() if p.is_dir()]]:
        for p in folder.glob(f"{TMP_PREFIX}*"):
            if p.is_file():
                p.unlink(missing_ok=True)
                removed.append(p)
    return removed


@contextlib.contextmanager
def try_dataset_lock(dataset_dir: Path) -> Iterator[bool]:
    """The dataset lock if it is free now (yields True), else yields False at once: never waits."""
    fd = os.open(dataset_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock


def remove_stale_tmp_all(lake_root: Path) -> list[Path]:
    """Remove the temporary files that killed imports left anywhere in the lake (at the start of an
    import or a backup, so none lingers until its own dataset is imported again).

    Each dataset is cleaned under its lock, taken without waiting: a dataset locked by an import in
    progress is skipped, since its ``.tmp-*`` files are that import's live output. Temporary files
    directly under the lake root belong to no import and are removed too."""
    if not lake_root.is_dir():
        return []
    removed = [p for p in lake_root.glob(f"{TMP_PREFIX}*") if p.is_file()]
    for p in removed:
        p.unlink(missing_ok=True)
    for dataset_dir in sorted(p for p in lake_root.iterdir() if p.is_dir() and not p.is_symlink()):
        with try_dataset_lock(dataset_dir) as locked:
            if locked:
                removed += remove_stale_tmp(dataset_dir)
    return removed


def visible_parts(partition: Path) -> list[Path]:
    """The part files readers see in a partition folder."""
    return sorted(partition.glob("*.parquet")) if partition.is_dir() else []


def read_manifest(dataset_dir: Path, dataset: str) -> dict[str, Any]:
    path = dataset_dir / MANIFEST
    if not path.exists():
        return {"dataset": dataset, "version": 1, "files": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("files", [])
    return data


def find_entry(manifest: dict[str, Any], file_sha256: str) -> dict[str, Any] | None:
    return next((e for e in manifest["files"] if e.get("sha256") == file_sha256), None)


def prepare_manifest(dataset_dir: Path, manifest: dict[str, Any]) -> Path:
    """Write the manifest to a temp file beside it (fsynced); `commit` renames it into place."""
    tmp = tmp_path(dataset_dir, "manifest")
    manifest = {**manifest, "updated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    return tmp


def commit(tmp_part: Path, part: Path, tmp_manifest: Path, dataset_dir: Path) -> None:
    """Make a written part and its manifest visible: two atomic renames, part first."""
    fsync_file(tmp_part)
    os.replace(tmp_part, part)
    fsync_dir(part.parent)
    os.replace(tmp_manifest, dataset_dir / MANIFEST)
    fsync_dir(dataset_dir)


def write_manifest(dataset_dir: Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest atomically (used to adopt a part committed by a killed import)."""
    tmp = prepare_manifest(dataset_dir, manifest)
    os.replace(tmp, dataset_dir / MANIFEST)
    fsync_dir(dataset_dir)


# --- whole partitions written by the web application -----------------------------------------------------------

WHOLE_PART = "part-0.parquet"


def _year_entries(manifest: dict[str, Any], school_year: str) -> list[dict[str, Any]]:
    return [e for e in manifest["files"] if str(e.get("school_year") or "") == school_year]


def replace_partition(lake_root: Path, dataset: str, school_year: str, table: pa.Table, *, covers: Sequence[str],
                      source_file: str, received_at: str | None = None) -> bool:
    """Make `table` the whole partition of `dataset` for the school year ("2023/2024"), received once for the
    institutions `covers`: for data the web application holds completely (a dataset `written_by` "web").

    Under the dataset lock, the part is written beside its target and committed like an import's (part first,
    then the manifest, each renamed atomically), so a computation reads the old partition or the new one, never
    half of one. The year's earlier receipts give way to one entry; it keeps, as `first_received_at`, when the
    year was first received (the data-quality page judges timeliness on it). Nothing is written when the
    partition and its receipt already hold exactly this: returns False, else True."""
    root = Path(lake_root)
    dataset_dir = root / dataset
    folder = dataset_dir / partition_dir(school_year)
    target = folder / WHOLE_PART
    with dataset_lock(dataset_dir):
        remove_stale_tmp(dataset_dir)
        manifest = read_manifest(dataset_dir, dataset)
        earlier = _year_entries(manifest, school_year)
        wanted = sorted(set(covers))
        if (len(earlier) == 1 and earlier[0].get("covers") == wanted and visible_parts(folder) == [target]
                and pq.read_table(target).equals(table)):
            return False
        now = received_at or datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        first = min([str(e.get("first_received_at") or e.get("imported_at") or now) for e in earlier] + [now])
        entry = manifest_entry(part=target.relative_to(root).as_posix(), school_year=school_year,
                               rows=table.num_rows, received_at=now, source_file=source_file, covers=wanted,
                               first_received_at=first, written_by="web")
        manifest = {**manifest, "dataset": dataset,
                    "files": [e for e in manifest["files"] if e not in earlier] + [entry]}
        folder.mkdir(parents=True, exist_ok=True)
        tmp_part = tmp_path(folder, "part")
        try:
            pq.write_table(table, tmp_part)
            tmp_manifest = prepare_manifest(dataset_dir, manifest)
            commit(tmp_part, target, tmp_manifest, dataset_dir)
        finally:
            tmp_part.unlink(missing_ok=True)
        for other in visible_parts(folder):  # parts of an earlier layout
            if other != target:
                other.unlink(missing_ok=True)
    return True


def withdraw_partition(lake_root: Path, dataset: str, school_year: str) -> bool:
    """Remove a school year's partition of `dataset` and its receipts (the data are no longer there). The
    receipts go first, so that no reader ever takes the year as received without rows (zeros); then the parts.
    Returns whether there was anything to remove."""
    dataset_dir = Path(lake_root) / dataset
    folder = dataset_dir / partition_dir(school_year)
    if not dataset_dir.is_dir():
        return False
    with dataset_lock(dataset_dir):
        manifest = read_manifest(dataset_dir, dataset)
        earlier = _year_entries(manifest, school_year)
        parts = visible_parts(folder)
        if not earlier and not parts:
            return False
        if earlier:
            write_manifest(dataset_dir, {**manifest, "files": [e for e in manifest["files"] if e not in earlier]})
        for part in parts:
            part.unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return True
