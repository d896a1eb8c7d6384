"""Compute the whole catalogue for one school year: indicator values and risk flags.

    uv run python -m analytics.run LAKE_ROOT 2023/2024 [--engine duckdb|spark] [--institution REG ...] [--out DIR]

`compute` is what the web application's task calls: it records the lake files it read (with their
modification times) and every definition's version, so a published number can be traced to its
data and formula."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
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

from analytics.compile import (
    OUTPUT_COLUMNS,
    compile_indicator,
    default_catalogue,
    rule_candidates,
    rule_matches,
    rule_outcomes,
    rule_sources,
)
from analytics.compile.measures import MEASURES, requirements
from analytics.engines.base import Engine, dataset_files, quiet_dependencies
from analytics.lake.coverage import Coverage, read_coverage
from analytics.lake.schemas import DATASETS
from analytics.spec.model import Catalogue, Indicator, RiskRule
from analytics.spec.periods import SchoolYear, school_year_argument

logger = logging.getLogger(__name__)

FLAG_COLUMNS = ("rule", "version", "institution", "evidence")
NOT_EVALUATED_COLUMNS = ("rule", "version", "institution", "missing")
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
    #: NOT_EVALUATED_COLUMNS: per rule, the institutions it could not evaluate; `missing` lists the
    #: [source, school year] pairs whose data were not received (for alternative sources, such as exams and
    #: exam_results, received from none: each of them).
    not_evaluated: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=list(NOT_EVALUATED_COLUMNS)))
    #: What the run left out and why: {"kind": "indicator" | "rule", "code", "reason": "not_received" |
    #: "missing_columns", "datasets" or "columns"}.
    skipped: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    #: Per rule: institutions evaluated and not evaluated.
    rule_counts: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)


class NoDataError(ValueError):
    """The lake holds no data received for the school year: nothing to compute."""

    def __init__(self, school_year: str) -> None:
        self.school_year = school_year
        super().__init__(
            f"Par mācību gadu {school_year} nav saņemti nekādi dati; aprēķins netika veikts. Vispirms "
            f"importējiet datus (import_data). / No data have been received for the school year {school_year}; "
            "nothing was computed. Import data first (import_data).")


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
                presorted: bool = False, left: Indicator | None = None) -> dict[str, Any]:
    """What triggered the flag: the rule's thresholds and parameters, and the matching indicator rows per
    period (in EVIDENCE_ORDER; `presorted` when the caller sorted them already), with the fields the rule
    lists under `evidence`.

    `params` holds every parameter the rule's texts show, with the value it was evaluated with: the rule's
    own, and those of its left indicator (`left`, the indicator the run computed; by default the values the
    catalogue loaded), so the sentences of an old flag keep its thresholds after the YAML changes."""
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
        "params": {k: _plain(v) for k, v in _evaluated_params(rule, left).items()},
        "institution_type": institution_type,
        "combine": rule.combine_for(institution_type),
        "periods": periods,
    }


def _evaluated_params(rule: RiskRule, left: Indicator | None) -> dict[str, object]:
    params: dict[str, object] = dict(rule.parameter_values())
    if left is not None:
        params.update({name: left.params[name] for name, p in rule.parameters.items()
                       if p.source == "indicator" and name in left.params})
    return params


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


def _evaluate_rules(engine: Engine, run: Runner, catalogue: Catalogue, year: SchoolYear, coverage: Coverage, *,
                    rules: Sequence[RiskRule], institutions: list[str] | None, flag_rows: list[dict[str, object]],
                    not_evaluated_rows: list[dict[str, object]],
                    counts: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """Append a flag row (with its evidence) per flagged institution and rule, and a row per institution a
    rule could not evaluate (data not received); return rule -> flagged."""
    flagged: dict[str, list[str]] = {}
    types = sorted({t for rule in rules for t in rule.applies_to})
    candidates = run(lambda: rule_candidates(engine, year, types, institutions)) if rules else None
    for rule in rules:
        logger.info("rule %s", rule.code)

        def build(rule: RiskRule = rule) -> ir.Table:
            return rule_matches(engine, catalogue, rule, year, institutions)

        assert candidates is not None
        outcome = rule_outcomes(rule, rule_sources(catalogue, rule), year, matches=run(build),
                                candidates=candidates[candidates["type"].isin(rule.applies_to)], coverage=coverage)
        matches = outcome.flags
        flagged[rule.code] = sorted({str(i) for i in matches["institution"]})
        counts[rule.code] = {"evaluated": outcome.evaluated, "not_evaluated": len(outcome.not_evaluated),
                             "flagged": len(flagged[rule.code])}
        for inst, missing in sorted(outcome.not_evaluated.items()):
            not_evaluated_rows.append({"rule": rule.code, "version": rule.version, "institution": inst,
                                       "missing": [list(m) for m in missing]})
        # One sort for the whole rule (a stable group-by keeps it within each institution's rows).
        matches = matches.sort_values(list(EVIDENCE_ORDER), na_position="first", kind="stable")
        for (institution, institution_type), rows in matches.groupby(["institution", "type"], sort=True):
            flag_rows.append({"rule": rule.code, "version": rule.version, "institution": str(institution),
                              "evidence": evidence_of(rule, str(institution_type), rows, presorted=True,
                                                      left=catalogue.indicator(rule.left))})
    return flagged


def _skips(engine: Engine, catalogue: Catalogue, coverage: Coverage, year: SchoolYear,
           indicators: Sequence[Indicator]) -> tuple[list[dict[str, Any]], set[str], set[str]]:
    """What cannot be computed from this lake: indicators reading a dataset received for nobody in the year,
    or a column the dataset's files lack, and the rules built on them. Returns (skips, indicator codes,
    rule codes)."""
    skips: list[dict[str, Any]] = []
    skipped: set[str] = set()
    columns: dict[str, set[str]] = {}
    for name in DATASETS:
        present = set(engine.table(name).columns)
        lacking = [c.name for c in DATASETS[name].columns if c.name not in present]
        if lacking:
            columns[name] = set(lacking)
    for ind in catalogue.indicators:
        if ind.type == "share_of_units":
            continue
        sources = [s for s in ind.sources if s in DATASETS]
        # A group of alternative sources (e.g. exams or exam_results) is absent when none of them was received.
        absent = [s for g in requirements(ind) if not any(coverage.received(s, year.label) for s in g)
                  for s in g if s in DATASETS]
        read = MEASURES[ind.measure].signature.columns if ind.measure else {}
        lacking = sorted({f"{d}.{c}" for d in sources for c in read.get(d, ()) if c in columns.get(d, set())} |
                         {f"{f.dataset}.{c.column}" for f in ind.filters for c in f.conditions
                          if c.column in columns.get(f.dataset, set())})
        if lacking:
            skips.append({"kind": "indicator", "code": ind.code, "reason": "missing_columns", "columns": lacking})
            skipped.add(ind.code)
        elif absent and ind in indicators:
            skips.append({"kind": "indicator", "code": ind.code, "reason": "not_received", "datasets": absent,
                          "school_year": year.label})
            skipped.add(ind.code)
    rules_skipped: set[str] = set()
    for rule in catalogue.rules:
        if rule.left in skipped and any(s["code"] == rule.left and s["reason"] == "missing_columns" for s in skips):
            skips.append({"kind": "rule", "code": rule.code, "reason": "missing_columns", "indicator": rule.left})
            rules_skipped.add(rule.code)
    for ind in catalogue.indicators:
        if ind.type == "share_of_units" and ind.rule in rules_skipped:
            skips.append({"kind": "indicator", "code": ind.code, "reason": "rule_skipped", "rule": ind.rule})
            skipped.add(ind.code)
    return skips, skipped, rules_skipped


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
    import. National references (the national exam mean) are still computed from the whole country.

    Missing is not zero (analytics/lake/coverage.py): indicators are computed over the institutions whose
    data were received; an indicator reading a dataset received for nobody in the year, or a column the
    lake lacks, is skipped and listed in `skipped`; a rule that cannot decide an institution without data
    not received leaves it "not evaluated" (`not_evaluated`). A year without any data raises NoDataError."""
    year = SchoolYear.parse(school_year)
    catalogue = catalogue or default_catalogue()
    coverage = Coverage(read_coverage(Path(lake_root)))
    if not any(coverage.received(name, year.label) for name in DATASETS):
        raise NoDataError(year.label)
    grains = ("institution",) if institutions is not None else ALL_GRAINS
    selected: list[Indicator] = [i for i in catalogue.indicators if any(g in grains for g in i.grain)]
    read = {"institutions", "enrolments"}
    for ind in selected:
        read.update(ind.sources)
    for rule in catalogue.rules:
        read.update(catalogue.indicator(rule.left).sources)
    snapshot = lake_snapshot(Path(lake_root), sorted(read))

    flag_rows: list[dict[str, object]] = []
    not_evaluated_rows: list[dict[str, object]] = []
    counts: dict[str, dict[str, int]] = {}
    frames: list[pd.DataFrame] = []
    with quiet_dependencies():
        skips, skipped, rules_skipped = _skips(engine, catalogue, coverage, year, selected)
    rules = [r for r in catalogue.rules if r.code not in rules_skipped]
    if institutions is None or institutions:
        with quiet_dependencies(), _runner(engine, catalogue, year, grains, institutions) as run:
            flagged = _evaluate_rules(engine, run, catalogue, year, coverage, rules=rules, institutions=institutions,
                                      flag_rows=flag_rows, not_evaluated_rows=not_evaluated_rows, counts=counts)
            unevaluated: dict[str, list[str]] = {}
            for row in not_evaluated_rows:
                unevaluated.setdefault(str(row["rule"]), []).append(str(row["institution"]))
            for ind in selected:
                if ind.rule is not None and ind.code not in skipped and not counts.get(ind.rule, {}).get("evaluated"):
                    # The rule decided no institution (its data were received for nobody): no share to give.
                    skips.append({"kind": "indicator", "code": ind.code, "reason": "rule_not_evaluated",
                                  "rule": ind.rule})
                    skipped.add(ind.code)
                if ind.code in skipped:
                    continue
                logger.info("indicator %s", ind.code)
                # Share-of-units indicators count the flags just computed instead of evaluating the rule again.
                done = left_out = None
                if ind.rule is not None:
                    done = ibis.memtable(pd.DataFrame({"institution": pd.Series(flagged[ind.rule], dtype="string")}))
                    left_out = ibis.memtable(pd.DataFrame(
                        {"institution": pd.Series(unevaluated.get(ind.rule, []), dtype="string")}))

                def build(ind: Indicator = ind, done: ir.Table | None = done,
                          left_out: ir.Table | None = left_out) -> ir.Table:
                    return compile_indicator(engine, catalogue, ind, year, grains=grains, institutions=institutions,
                                             flagged=done, not_evaluated=left_out)

                frames.append(run(build))
    values = _values_frame(frames)
    flags = pd.DataFrame(flag_rows, columns=list(FLAG_COLUMNS))
    flags = flags.sort_values(["rule", "institution"]).reset_index(drop=True)
    not_evaluated = pd.DataFrame(not_evaluated_rows, columns=list(NOT_EVALUATED_COLUMNS))
    return ComputeResult(school_year=year.label, engine=engine.name, values=values, flags=flags,
                         catalogue_version=catalogue.version, snapshot=snapshot, not_evaluated=not_evaluated,
                         skipped=skips, rule_counts=counts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.run", description=__doc__.splitlines()[0])
    parser.add_argument("lake_root", type=Path)
    parser.add_argument("school_year", type=school_year_argument, help='e.g. "2023/2024"')
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
               "flags": len(result.flags), "not_evaluated": len(result.not_evaluated), "skipped": result.skipped}
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
