"""Risk score back-test at a scale, by one command: generate the synthetic lake (with its hidden latent quality),
compute every school year, build the score's features, back-test on held-out years.

    uv run python -m benchmarks.risk_backtest --scale 1      # writes benchmarks/results/risk_backtest.json

The outcome is the synthetic ground truth: the next year's latent quality in the bottom fifth of the scored
schools (``analytics/definitions/risk_score.yaml``). The JSON holds the headline keys (``held_out_years``,
``top10_recall``, ``top10_recall_ci``, ``top10_recall_rules_baseline``, ``top10_recall_size_baseline``,
``top20_recall``, ``subgroup_max_false_alarm_gap_pp``) and the whole back-test under ``backtest``."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from analytics.engines import DuckDBEngine
from analytics.lake.schemas import SCHOOL_YEARS
from analytics.risk_score.backtest import latent_outcomes, run_backtest, summary
from analytics.risk_score.features import load_definition
from analytics.risk_score.lake import year_frames
from analytics.synth import generate_lake
from analytics.synth.generator import CALIBRATION_YEAR
from analytics.synth.institutions import example_institutions

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES = ROOT / "ikms" / "registry" / "data" / "municipalities.yaml"


def municipality_kinds() -> dict[str, str]:
    """Municipality code -> kind (state_city / municipality), from the register's classifier file."""
    doc = yaml.safe_load(MUNICIPALITIES.read_text(encoding="utf-8"))
    return {m["code"]: m["kind"] for m in doc["municipalities"]}


def run(scale: float, workdir: Path, *, seed: int = 20240101) -> dict:
    lake, latent_path = workdir / "lake", workdir / "latent.parquet"
    started = time.perf_counter()
    generate_lake(example_institutions(scale=scale, seed=seed), lake, scale=scale, seed=seed, years=SCHOOL_YEARS,
                  latent_path=latent_path)
    generate_s = time.perf_counter() - started
    definition = load_definition()
    frames, _ = year_frames(lake, SCHOOL_YEARS, lambda: DuckDBEngine(lake), municipality_kinds=municipality_kinds(),
                            definition=definition)
    features_s = time.perf_counter() - started - generate_s
    outcomes = latent_outcomes(frames, pd.read_parquet(latent_path), years=SCHOOL_YEARS,
                               calibration_year=CALIBRATION_YEAR, definition=definition)
    result = run_backtest(frames, outcomes, definition=definition, outcome_kind="latent")
    backtest_s = time.perf_counter() - started - generate_s - features_s
    return {**summary(result), "scale": scale, "generate_s": round(generate_s, 1),
            "features_s": round(features_s, 1), "backtest_s": round(backtest_s, 1),
            "command": f"uv run python -m benchmarks.risk_backtest --scale {scale}", "backtest": result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/risk_backtest.json")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="ikms-risk-"))
    try:
        result = run(args.scale, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "backtest"}, indent=2))


if __name__ == "__main__":
    main()
