"""Running the analytics engine and storing its results in the web database.

The analytics package computes (DuckDB by default, Spark unchanged); this module only triggers a
run, records its provenance and writes the values and flags in one transaction."""

import math
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ikms.core.audit import audit_log
from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag

BATCH = 5000


def _engine(name: str, lake_root: Path):
    if name == "duckdb":
        from analytics.engines import DuckDBEngine

        return DuckDBEngine(lake_root)
    if name == "spark":
        from analytics.engines import SparkEngine

        return SparkEngine(lake_root)
    raise ValueError(f"unknown engine {name!r}")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _semester(value: Any) -> int | None:
    number = _num(value)
    return int(number) if number is not None else None


def indicators_compute(*, school_year: str, engine: str = "duckdb", institutions: list[str] | None = None,
                       actor=None, lake_root: Path | None = None) -> ComputationRun:
    """Compute every indicator and risk flag for a school year (or only some institutions) and store them."""
    from analytics.run import compute

    lake_root = Path(lake_root or settings.IKMS_LAKE_DIR)
    run = ComputationRun.objects.create(school_year=school_year, engine=engine, catalogue_version="",
                                        scope=sorted(institutions or []), started_at=timezone.now(),
                                        triggered_by=actor if getattr(actor, "pk", None) else None)
    started = time.perf_counter()
    try:
        result = compute(lake_root, school_year, _engine(engine, lake_root), institutions=institutions)
    except Exception as exc:
        run.status = ComputationRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at", "updated_at"])
        raise
    with transaction.atomic():
        values = [
            IndicatorValue(
                run=run, school_year=school_year, indicator=row.indicator, version=row.version, grain=row.grain,
                unit=str(row.unit), semester=_semester(getattr(row, "semester", None)),
                level=_text(getattr(row, "level", None)), category=_text(getattr(row, "category", None)),
                value=_num(row.value), numerator=_num(getattr(row, "numerator", None)),
                denominator=_num(getattr(row, "denominator", None)), suppressed=bool(row.suppressed))
            for row in result.values.itertuples(index=False)
        ]
        IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
        flags = [RiskFlag(run=run, school_year=school_year, rule=row.rule, version=row.version,
                          institution=str(row.institution), evidence=_jsonable(row.evidence))
                 for row in result.flags.itertuples(index=False)]
        RiskFlag.objects.bulk_create(flags, batch_size=BATCH)
        run.catalogue_version = result.catalogue_version
        run.snapshot = _jsonable(result.snapshot)
        run.status = ComputationRun.Status.DONE
        run.finished_at = timezone.now()
        run.duration_s = time.perf_counter() - started
        run.value_count, run.flag_count = len(values), len(flags)
        run.save()
        audit_log(actor=actor, action="monitoring.compute", target=run,
                  data={"school_year": school_year, "engine": engine, "scope": run.scope,
                        "values": len(values), "flags": len(flags), "version": run.catalogue_version})
    return run


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
