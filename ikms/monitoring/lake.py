"""Bridges between the web database and the lake: the register dimension the generator and the
imports validate against, the lake's register snapshot (`institutions`), written from the register, and the
datasets apps above monitoring write from their own records (`register_writer`, `lake_refresh`)."""

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Prefetch, Q

from analytics.lake.schemas import INSTITUTIONS, partition_dir
from analytics.spec.periods import SchoolYear
from ikms.registry.choices import InstitutionStatus, LicenceStatus
from ikms.registry.models import Institution, Programme


def institutions_frame() -> pd.DataFrame:
    """Registered (and since liquidated) institutions with their licensed programme codes."""
    licensed = Programme.objects.filter(status__in=[LicenceStatus.LICENSED, LicenceStatus.LAPSED]).only(
        "code", "institution_id")
    rows = []
    qs = (Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
          .select_related("type", "type__kind", "municipality", "founder")
          .prefetch_related(Prefetch("programmes", queryset=licensed)).order_by("registration_number"))
    for inst in qs:
        rows.append({"institution": inst.registration_number, "name": inst.name, "type": inst.type.code,
                     "kind": inst.type.kind.code, "municipality": inst.municipality.code,
                     "founder_kind": inst.founder.kind,
                     "programmes": sorted({p.code for p in inst.programmes.all()})})
    return pd.DataFrame(rows, columns=["institution", "name", "type", "kind", "municipality", "founder_kind",
                                       "programmes"])


def size_source() -> Path | None:
    """The real 2020/21 pupil counts per school, used as the fact source for school sizes (never copied)."""
    path = Path(settings.IKMS_SHARED_DIR) / "data/real/lv-viis-register-2020/izm_general_schools_2020_21.csv"
    return path if path.exists() else None


# --- the register snapshot of the lake ------------------------------------------------------------------------


def register_snapshot(school_year: str) -> pa.Table:
    """The lake's `institutions` partition for a school year, from the register: every registered institution,
    and every liquidated one not liquidated before the school year began (1 September).

    Registration dates do not leave institutions out: an institution loaded from a register export is
    "registered" on the export's date, not on its real one, and an institution registered later simply has
    no data for earlier years. Type, municipality and founder are the current register values (the register
    keeps no dated history of them yet; a reorganisation shows its new values for earlier years too)."""
    year = SchoolYear.parse(school_year)
    qs = (Institution.objects.filter(status__in=[InstitutionStatus.REGISTERED, InstitutionStatus.LIQUIDATED])
          .filter(Q(liquidated_on__isnull=True) | Q(liquidated_on__gte=year.start))
          .select_related("type", "type__kind", "municipality", "founder").order_by("registration_number"))
    rows = [(i.registration_number, i.name, i.type.code, i.type.kind.code, i.municipality.code, i.founder.kind,
             i.capacity) for i in qs]
    schema = INSTITUTIONS.schema
    return pa.table({f.name: pa.array([r[k] for r in rows], type=f.type) for k, f in enumerate(schema)},
                    schema=schema)


def lake_years(lake_root: Path) -> set[str]:
    """The school years any dataset of the lake has a partition for."""
    years = set()
    if lake_root.is_dir():
        for folder in lake_root.glob("*/school_year=*"):
            if folder.is_dir():
                years.add(folder.name.removeprefix("school_year=").replace("-", "/"))
    return years


def lake_register_write(*, years: list[str] | None = None, lake_root: Path | None = None) -> dict[str, int]:
    """Write the register snapshot (`register_snapshot`) into the lake for each school year: the given ones,
    or every year the lake holds. Each partition is one file replaced atomically (written beside it, then
    renamed), so a computation reads the old snapshot or the new one, never half of one. Returns the
    institutions written per year.

    An empty register (a lake loaded without the web register, as the analytics tests do) writes nothing:
    the lake keeps the snapshot it has."""
    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    written: dict[str, int] = {}
    if not Institution.objects.exists():
        return written
    for year in sorted(set(years) if years is not None else lake_years(root)):
        table = register_snapshot(year)
        folder = root / INSTITUTIONS.name / partition_dir(year)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / "part-0.parquet"
        tmp = folder / f".tmp-register-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        try:
            pq.write_table(table, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        for other in folder.glob("*.parquet"):  # parts of an older layout
            if other != target:
                other.unlink(missing_ok=True)
        written[year] = table.num_rows
    return written


# --- datasets written from other apps' records ----------------------------------------------------------------


@dataclass(frozen=True)
class LakeWriter:
    """A lake dataset an app above monitoring writes from its own records (`written_by` "web" in
    analytics/lake/schemas.py; complaints does). `write(years=..., lake_root=...)` brings the dataset's partitions
    of those school years up to date (each atomically) and returns the rows written per school year. Monitoring
    never imports those apps (ADR 0018): they register here from their AppConfig.ready()."""

    dataset: str
    write: Callable[..., dict[str, int]]


_WRITERS: dict[str, LakeWriter] = {}


def register_writer(writer: LakeWriter) -> None:
    if writer.dataset in _WRITERS and _WRITERS[writer.dataset] is not writer:
        raise ValueError(f"lake writer for {writer.dataset!r} is registered twice")
    _WRITERS[writer.dataset] = writer


def writers() -> list[LakeWriter]:
    return [_WRITERS[k] for k in sorted(_WRITERS)]


def lake_refresh(*, years: list[str] | None = None, lake_root: Path | None = None) -> dict[str, dict[str, int]]:
    """What the web application writes into the lake, for the given school years (default: every year the lake
    holds): the register snapshot first (`lake_register_write`), then every registered writer's dataset, whose
    rows follow that snapshot. Called before every computation and after register decisions. Returns the rows
    written per dataset and school year."""
    root = Path(lake_root or settings.IKMS_LAKE_DIR)
    chosen = sorted(set(years) if years is not None else lake_years(root))
    written = {INSTITUTIONS.name: lake_register_write(years=chosen, lake_root=root)}
    for writer in writers():
        written[writer.dataset] = writer.write(years=chosen, lake_root=root)
    return written
