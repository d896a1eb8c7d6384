"""Test helpers: store engine results by hand (values with known answers) for view, API and disclosure
tests. The engine itself is tested on record-level data in analytics/tests and test_compute.py."""

import datetime as dt

from django.utils import timezone

from analytics.lake.coverage import MANIFEST, manifest_entry
from analytics.lake.schemas import partition_dir
from analytics.tests.fixtures.lake import write_lake
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


def write_receipt(lake_root, dataset: str, school_year: str, covers: list[str], received_at: str, *,
                  source_file: str = "") -> None:
    """Record in the dataset's manifest that the lake received `dataset` for `school_year` from the institutions
    `covers` (a national data set: any list) at `received_at` (ISO timestamp), as an import writes it."""
    import json
    from pathlib import Path


    path = Path(lake_root) / dataset / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"dataset": dataset, "files": []}
    n = len(manifest["files"])
    manifest["files"].append(manifest_entry(
        part=f"{dataset}/{partition_dir(school_year)}/part-{n}.parquet", school_year=school_year, rows=len(covers),
        received_at=received_at, source_file=source_file or f"{dataset}-{n}.csv", covers=covers))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def write_register_lake(lake_root, institutions: list[tuple[str, str, str, str, str]],
                        years: tuple[str, ...] = ("2022/2023", "2023/2024")):
    """A lake holding only the register of institutions of each school year (number, name, type, kind,
    municipality), written by analytics' fixture writer; nothing is recorded as received."""
    from pathlib import Path

    import yaml


    root = Path(lake_root)
    root.mkdir(parents=True, exist_ok=True)
    rows = [[n, name, type_, kind, muni, "municipality"] for n, name, type_, kind, muni in institutions]
    document = {"institutions": {"columns": ["institution", "name", "type", "kind", "municipality", "founder_kind"],
                                 **{year: rows for year in years}}}
    fixture = root.parent / f"{root.name}-register.yaml"
    fixture.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return write_lake(root, fixture.absolute(), received=False)


_TEACHING: dict[tuple[str, ...], dict[str, list[dict]]] = {}


def store_teaching_runs(world, tmp) -> None:
    """Runs of 2023/2024 and 2024/2025 holding the teaching indicators as the engine computes them from the tiny
    tables of analytics/tests/fixtures/teaching_lake.yaml, with `world`'s a1, a2 (Riga) and b1 (Ogre) in place of
    A1, A2 and C1; 2023/24's staff and vacancies files are of the first format (no birth year, qualification or
    subject). Computed once per register (the numbers repeat from test to test)."""
    import dataclasses
    from pathlib import Path

    import pandas as pd
    import pyarrow.parquet as pq

    from analytics.compile import default_catalogue
    from analytics.engines import DuckDBEngine
    from analytics.lake.schemas import DATASETS
    from analytics.run import compute
    from analytics.tests.fixtures.lake import FIXTURES
    from ikms.monitoring.selectors.teaching import TEACHING_INDICATORS

    numbers = {code: world[key].registration_number for code, key in (("A1", "a1"), ("A2", "a2"), ("C1", "b1"))}
    cache_key = tuple(numbers.values())
    if cache_key not in _TEACHING:
        text = (FIXTURES / "teaching_lake.yaml").read_text(encoding="utf-8")
        for code, number in numbers.items():
            text = text.replace(f"[{code},", f"['{number}',").replace(f", {code},", f", '{number}',")
        fixture = Path(tmp) / "teaching.yaml"
        fixture.write_text(text, encoding="utf-8")
        lake = write_lake(Path(tmp) / "teaching-lake", fixture)
        for dataset in ("staff", "vacancies"):
            optional = [c.name for c in DATASETS[dataset].columns if c.optional]
            for part in (lake / dataset / "school_year=2023-2024").glob("*.parquet"):
                pq.write_table(pq.read_table(part).drop_columns(optional), part)
        full = default_catalogue()
        catalogue = dataclasses.replace(full, rules=(), indicators=tuple(
            i for i in full.indicators if i.code in TEACHING_INDICATORS))
        out = {}
        for year in ("2023/2024", "2024/2025"):
            rows = [{k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in r.items()}
                    for r in compute(lake, year, DuckDBEngine(lake), catalogue=catalogue).values.to_dict("records")]
            out[year] = [{**r, "level": r["level"] or "", "category": r["category"] or ""} for r in rows]
        _TEACHING[cache_key] = out
    for minutes, year in ((30, "2023/2024"), (20, "2024/2025")):
        store_run(year, _TEACHING[cache_key][year], minutes_ago=minutes)
