"""Test helpers: store engine results by hand (values with known answers) for view, API and disclosure
tests. The engine itself is tested on record-level data in analytics/tests and test_compute.py."""

import datetime as dt

from django.utils import timezone

from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag

SPEC = "0" * 64


def store_run(school_year: str, values: list[dict], flags: list[dict] = (), *, scope: list[str] | None = None,
              minutes_ago: int = 10) -> ComputationRun:
    """A done run with the given values (dicts of IndicatorValue fields: indicator, grain, unit, value,
    numerator, denominator, semester, level, category, suppressed) and flags (rule, institution, evidence)."""
    started = timezone.now() - dt.timedelta(minutes=minutes_ago)
    run = ComputationRun.objects.create(
        school_year=school_year, engine="duckdb", catalogue_version=SPEC, scope=scope or [],
        status=ComputationRun.Status.DONE, started_at=started, finished_at=started + dt.timedelta(seconds=10),
        snapshot={"enrolments": [{"path": f"enrolments/school_year={school_year.replace('/', '-')}/part-0.parquet",
                                  "modified": "2025-06-30T12:00:00+00:00", "size": 1}]},
        value_count=len(values), flag_count=len(flags))
    IndicatorValue.objects.bulk_create([
        IndicatorValue(run=run, school_year=school_year, version=SPEC, semester=v.get("semester"),
                       level=v.get("level", ""), category=v.get("category", ""),
                       numerator=v.get("numerator"), denominator=v.get("denominator"),
                       suppressed=v.get("suppressed", (v.get("denominator") or 99) < 5),
                       **{k: v[k] for k in ("indicator", "grain", "unit", "value")})
        for v in values])
    RiskFlag.objects.bulk_create([
        RiskFlag(run=run, school_year=school_year, version=SPEC, rule=f["rule"], institution=f["institution"],
                 evidence=f.get("evidence", {})) for f in flags])
    return run
