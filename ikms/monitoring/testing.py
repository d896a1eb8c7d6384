"""Test helpers: store engine results by hand (values with known answers) for view, API and disclosure
tests. The engine itself is tested on record-level data in analytics/tests and test_compute.py."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from analytics.lake.coverage import MANIFEST, manifest_entry
from analytics.lake.schemas import partition_dir
from analytics.tests.fixtures.lake import write_lake
from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag, RiskModelVersion, RiskScore

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


# --- the school network tool (issue 15 item 1) ------------------------------------------------------------------

NETWORK_YEARS = ("2023/2024", "2024/2025")


def write_network_lake(root, world) -> None:
    """A tiny lake for the school network pages: `world`'s a1 (Riga) 30 learners a year in grades 1-3 in three
    classes of 10, capacity 60; b1 (Ogre) 12 learners in a class of 4 and a combined class of 8, no capacity.
    The population register's count of declared children came for Riga only (2016-2019: 11, 10, 9, 8)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from analytics.lake.schemas import DATASETS, INSTITUTIONS

    def put(dataset: str, year: str, columns: dict) -> None:
        schema = INSTITUTIONS.schema if dataset == "institutions" else DATASETS[dataset].schema
        folder = Path(root) / dataset / partition_dir(year)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns, schema=schema), folder / "part-0.parquet")

    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    for t, year in enumerate(NETWORK_YEARS):
        rows = [(f"a{t}-{i}", a1, 1 + i % 3) for i in range(30)] + [(f"b{t}-{i}", b1, 1 + i % 3) for i in range(12)]
        put("enrolments", year, {
            "learner_id": [r[0] for r in rows], "institution": [r[1] for r in rows],
            "programme_code": ["21011111"] * len(rows), "level": ["basic"] * len(rows),
            "special": [False] * len(rows), "grade": [r[2] for r in rows],
            "class_id": [f"{r[2]}a" for r in rows], "start_date": [dt.date(2023, 9, 1)] * len(rows),
            "end_date": [None] * len(rows)})
        put("institutions", year, {
            "institution": [a1, b1], "name": [world["a1"].name, world["b1"].name], "type": ["secondary"] * 2,
            "kind": ["general"] * 2, "municipality": ["LV-RIX", "LV-067"], "founder_kind": ["municipality"] * 2,
            "capacity": [60, None]})
        put("classes", year, {
            "institution": [a1] * 3 + [b1] * 2, "class_id": ["1a", "2a", "3a", "1b", "2b"],
            "grades": ["1", "2", "3", "1", "2,3"], "combined": [False, False, False, False, True],
            "learners": [10, 10, 10, 4, 8]})
    put("declared_children", NETWORK_YEARS[-1], {
        "declared_municipality": ["LV-RIX"] * 4, "birth_year": [2016, 2017, 2018, 2019], "children": [11, 10, 9, 8],
        "as_of": [dt.date(2024, 7, 1)] * 4})
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


def make_risk_score(registration_number: str, school_year: str = "2024/2025", *, probability: float | None = 0.42,
                    contributions: dict | None = None, intercept: float = -1.5, reason: str = "",
                    rank: int = 1) -> RiskScore:
    """A stored risk score (and its model version, with a small back-test) by hand: scored with the given
    probability and contributions (default: well-being lowers, rule flags raise), or not scored when
    ``probability`` is None (``reason``: "coverage" or "type")."""

    model, _ = RiskModelVersion.objects.get_or_create(version="1.test", defaults={
        "trained_at": timezone.now(), "training_years": ["2022/2023", "2023/2024"], "intercept": intercept,
        "features": ["wellbeing_pupils", "rule_weight"], "coefficients": {"wellbeing_pupils": -0.8, "rule_weight": 0.5},
        "sklearn_version": "test", "outcome_kind": "latent", "backtest": TEST_BACKTEST})
    scored = probability is not None
    contributions = contributions if contributions is not None else (
        {"wellbeing_pupils": -0.25, "rule_weight": 0.9} if scored else {})
    score, _ = RiskScore.objects.update_or_create(institution=registration_number, school_year=school_year, defaults={
        "status": RiskScore.Status.SCORED if scored else RiskScore.Status.NOT_SCORED, "reason": reason,
        "probability": probability, "rank": rank if scored else None, "percentile": 90.0 if scored else None,
        "logit": intercept + sum(contributions.values()) if scored else None,
        "intercept": intercept if scored else None, "contributions": contributions,
        "values": {"wellbeing_pupils": 3.1, "rule_weight": 3.0}, "coverage": 0.9 if scored else 0.2,
        "model_version": model.version, "snapshot": {}, "data_date": "2025-06-30T12:00:00+00:00",
        "computed_at": timezone.now()})
    return score


def _ranking(recall: float) -> dict:
    top = {"selected": 2, "true_positives": 1, "positives": 4, "n": 20, "precision": 0.5, "recall": recall,
           "lift": 2.5, "precision_ci": [0.1, 0.9], "recall_ci": [0.1, 0.6], "lift_ci": [0.5, 4.5],
           "difference_recall_ci": [0.0, 0.3]}
    return {"top10": top, "top20": top}


#: A small back-test as `analytics.risk_score.backtest.run_backtest` returns it, for the model page's tests.
TEST_BACKTEST = {
    "outcome_kind": "latent", "held_out_years": ["2023/2024"], "bottom_quantile": 0.2, "top_shares": [0.1, 0.2],
    "rankings": {"score": _ranking(0.25), "rules": _ranking(0.125), "size": _ranking(0.1)},
    "calibration": [{"bin": b, "n": 2, "predicted": b / 20, "observed": b / 20} for b in range(1, 11)],
    "subgroups": {"alarm": True, "margin_pp": 10.0, "alarm_dimensions": ["municipality_kind"],
                  "max_false_alarm_gap_pp": 25.0, "dimensions": {
                      "municipality_kind": {"held": True, "alarm": True, "false_alarm_gap_pp": 25.0,
                                            "miss_gap_pp": 5.0, "groups": [
                                                {"group": "state_city", "n": 10, "false_alarm_rate": 0.0,
                                                 "miss_rate": 0.5},
                                                {"group": "municipality", "n": 10, "false_alarm_rate": 0.25,
                                                 "miss_rate": 0.45}]},
                      "language": {"held": False, "alarm": False, "groups": [], "false_alarm_gap_pp": None,
                                   "miss_gap_pp": None}}},
}
