"""Compute the whole catalogue for one school year: indicator values and risk flags.

    uv run python -m analytics.run LAKE_ROOT 2023/2024 [--engine duckdb|spark] [--institution REG ...] [--out DIR]

`compute` is what the web application's task calls: it records the lake files it read (with their
modification times) and every definition's version, so a published number can be traced to its
data and formula."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from analytics.compile import OUTPUT_COLUMNS, compile_indicator, default_catalogue, rule_flags
from analytics.engines.base import Engine, dataset_files, quiet_dependencies
from analytics.spec.model import Catalogue, Indicator, RiskRule
from analytics.spec.periods import SchoolYear

logger = logging.getLogger(__name__)

FLAG_COLUMNS = ("rule", "version", "institution", "evidence")
ALL_GRAINS = ("institution", "municipality", "nation")
EVIDENCE_ORDER = ("period", "semester", "level", "category")


@dataclass(frozen=True)
class FileStamp:
    path: str  # relative to the lake root
    modified: str  # ISO timestamp, UTC
    size: int


@dataclass(frozen=True)
class ComputeResult:
    school_year: str
    engine: str
    values: pd.DataFrame  # OUTPUT_COLUMNS
    flags: pd.DataFrame  # FLAG_COLUMNS; evidence is a dict
    catalogue_version: str
    snapshot: dict[str, list[FileStamp]]  # dataset -> the files read


def lake_snapshot(lake_root: Path, datasets: Sequence[str]) -> dict[str, list[FileStamp]]:
    """The Parquet files of each dataset (all partitions: engines register every school year) with their
    modification times."""
    snapshot = {}
    for name in sorted(set(datasets)):
        stamps = []
        for path in dataset_files(lake_root, name):
            stat = path.stat()
            stamps.append(FileStamp(
                path=path.relative_to(lake_root).as_posix(),
                modified=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC).isoformat(),
                size=stat.st_size,
            ))
        snapshot[name] = stamps
    return snapshot


def _plain(value: object) -> object:
    """A JSON-friendly Python value from a pandas/numpy cell (NaN and NA become None)."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def evidence_of(rule: RiskRule, institution_type: str, rows: pd.DataFrame, *,
                presorted: bool = False) -> dict[str, Any]:
    """What triggered the flag: the rule's thresholds and parameters, and the matching indicator rows per
    period (in EVIDENCE_ORDER; `presorted` when the caller sorted them already), with the fields the rule
    lists under `evidence`."""
    periods: dict[str, list[dict[str, object]]] = {}
    if not presorted:
        rows = rows.sort_values(list(EVIDENCE_ORDER), na_position="first")
    fields = list(rule.evidence)
    for period, record in zip(rows["period"].tolist(), rows[fields].to_dict("records"), strict=True):
        periods.setdefault(str(period), []).append({f: _plain(record[f]) for f in fields})
    thresholds = list(rule.thresholds())
    return {
        "indicator": rule.left,
        "operator": rule.operator,
        "threshold": thresholds if rule.operator == "between" else thresholds[0],
        "params": {k: _plain(v) for k, v in rule.params.items()},
        "institution_type": institution_type,
        "combine": rule.combine_for(institution_type),
        "periods": periods,
    }


def _values_frame(frames: list[pd.DataFrame]) -> pd.DataFrame:
    values = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(OUTPUT_COLUMNS))
    values = values.astype({
        "indicator": "string", "version": "string", "grain": "string", "unit": "string", "semester": "Int64",
        "level": "string", "category": "string", "value": "float64", "numerator": "float64",
        "denominator": "float64", "suppressed": "bool",
    })
    values = values.sort_values(["indicator", "grain", "unit", "semester", "level", "category"],
                                na_position="first")
    return values.reset_index(drop=True)[list(OUTPUT_COLUMNS)]


Runner = Callable[[Callable[[], ir.Table]], pd.DataFrame]


def _evaluate_rules(engine: Engine, run: Runner, catalogue: Catalogue, year: SchoolYear, *,
                    institutions: list[str] | None, flag_rows: list[dict[str, object]]) -> dict[str, list[str]]:
    """Append a flag row (with its evidence) per flagged institution and rule; return rule -> flagged."""
    flagged: dict[str, list[str]] = {}
    for rule in catalogue.rules:
        logger.info("rule %s", rule.code)
        def build(rule: RiskRule = rule) -> ir.Table:
            return rule_flags(engine, catalogue, rule, year, institutions)

        matches = run(build)
        flagged[rule.code] = sorted({str(i) for i in matches["institution"]})
        # One sort for the whole rule (a stable group-by keeps it within each institution's rows).
        matches = matches.sort_values(list(EVIDENCE_ORDER), na_position="first", kind="stable")
        for (institution, institution_type), rows in matches.groupby(["institution", "type"], sort=True):
            flag_rows.append({"rule": rule.code, "version": rule.version, "institution": str(institution),
                              "evidence": evidence_of(rule, str(institution_type), rows, presorted=True)})
    return flagged


@contextlib.contextmanager
def _runner(engine: Engine, catalogue: Catalogue, year: SchoolYear, grains: Sequence[str],
            institutions: list[str] | None) -> Iterator[Runner]:
    """How the run executes its expressions. The DuckDB engine computes what several expressions share once
    per run (`shared_results`) and replays the recorded SQL of an earlier institution-scoped run (`plan`);
    other engines build and execute each expression."""
    plan = getattr(engine, "plan", None)
    if institutions and plan is not None:
        with plan(("compute", catalogue.version, year.label, tuple(grains)), institutions) as replayable:
            yield replayable
        return
    shared = getattr(engine, "shared_results", None)

    def run(build: Callable[[], ir.Table]) -> pd.DataFrame:
        return engine.execute(build())

    with shared() if shared is not None else contextlib.nullcontext():
        yield run


def compute(lake_root: Path, school_year: str, engine: Engine, institutions: list[str] | None = None,
            catalogue: Catalogue | None = None) -> ComputeResult:
    """Every indicator and risk rule of the catalogue for `school_year`.

    With `institutions`, only those institutions are computed (institution grain only; municipality and
    nation grains and the share-of-units indicators are skipped), e.g. to recompute one school after an
    import. National references (the national exam mean) are still computed from the whole country."""
    year = SchoolYear.parse(school_year)
    catalogue = catalogue or default_catalogue()
    grains = ("institution",) if institutions is not None else ALL_GRAINS
    selected: list[Indicator] = [i for i in catalogue.indicators if any(g in grains for g in i.grain)]
    read = {"institutions", "enrolments"}
    for ind in selected:
        read.update(ind.sources)
    for rule in catalogue.rules:
        read.update(catalogue.indicator(rule.left).sources)
    snapshot = lake_snapshot(Path(lake_root), sorted(read))

    flag_rows: list[dict[str, object]] = []
    frames: list[pd.DataFrame] = []
    if institutions is None or institutions:
        with quiet_dependencies(), _runner(engine, catalogue, year, grains, institutions) as run:
            flagged = _evaluate_rules(engine, run, catalogue, year, institutions=institutions, flag_rows=flag_rows)
            for ind in selected:
                logger.info("indicator %s", ind.code)
                # Share-of-units indicators count the flags just computed instead of evaluating the rule again.
                done = None
                if ind.rule is not None:
                    done = ibis.memtable(pd.DataFrame({"institution": pd.Series(flagged[ind.rule], dtype="string")}))

                def build(ind: Indicator = ind, done: ir.Table | None = done) -> ir.Table:
                    return compile_indicator(engine, catalogue, ind, year, grains=grains, institutions=institutions,
                                             flagged=done)

                frames.append(run(build))
    values = _values_frame(frames)
    flags = pd.DataFrame(flag_rows, columns=list(FLAG_COLUMNS))
    flags = flags.sort_values(["rule", "institution"]).reset_index(drop=True)
    return ComputeResult(school_year=year.label, engine=engine.name, values=values, flags=flags,
                         catalogue_version=catalogue.version, snapshot=snapshot)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.run", description=__doc__.splitlines()[0])
    parser.add_argument("lake_root", type=Path)
    parser.add_argument("school_year", help='e.g. "2023/2024"')
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--institution", action="append", dest="institutions", help="registration number")
    parser.add_argument("--out", type=Path, help="write values.parquet, flags.json and run.json here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    engine: Engine
    if args.engine == "spark":
        from analytics.engines.spark_engine import SparkEngine

        engine = SparkEngine(args.lake_root)
    else:
        from analytics.engines.duckdb_engine import DuckDBEngine

        engine = DuckDBEngine(args.lake_root)
    result = compute(args.lake_root, args.school_year, engine, args.institutions)
    summary = {"school_year": result.school_year, "engine": result.engine,
               "catalogue_version": result.catalogue_version, "values": len(result.values),
               "flags": len(result.flags)}
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        result.values.to_parquet(args.out / "values.parquet", index=False)
        (args.out / "flags.json").write_text(
            json.dumps(result.flags.to_dict(orient="records"), ensure_ascii=False, indent=1), encoding="utf-8")
        (args.out / "run.json").write_text(json.dumps({
            **summary, "snapshot": {k: [vars(s) for s in v] for k, v in result.snapshot.items()},
        }, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
