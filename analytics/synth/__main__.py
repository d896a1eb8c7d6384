"""Command line: ``python -m analytics.synth --lake DIR [--institutions PATH] --scale S --seed N``.

Without ``--institutions`` the example register (``example_institutions``) at the same scale is used.
Prints a JSON summary: rows per dataset and year, wall time, peak memory and, with ``--check``, the
calibration mismatches."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from analytics.lake.schemas import SCHOOL_YEARS
from analytics.spec.periods import school_year_argument
from analytics.synth.calibration import check_calibration
from analytics.synth.generator import generate_lake
from analytics.synth.institutions import example_institutions


def read_institutions(path: Path) -> pd.DataFrame:
    """A register frame from Parquet, CSV (programmes separated by ';') or JSON lines."""
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif path.suffix in (".jsonl", ".json"):
        frame = pd.read_json(path, lines=path.suffix == ".jsonl", dtype=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "programmes" in frame.columns:
        frame["programmes"] = [list(v) if not isinstance(v, str) else [p for p in v.split(";") if p]
                               for v in frame["programmes"]]
    return frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analytics.synth", description=__doc__)
    parser.add_argument("--institutions", type=Path, help="register frame (.parquet, .csv or .jsonl)")
    parser.add_argument("--lake", type=Path, help="lake root to write (required unless only writing the register)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--size-source", type=Path, help="IZM 2020/21 pupil-count CSV or its folder")
    parser.add_argument("--latent", type=Path, help="where to write the latent quality (outside the lake)")
    parser.add_argument("--years", nargs="+", type=school_year_argument, default=list(SCHOOL_YEARS))
    parser.add_argument("--calibration", type=Path, help="calibration YAML (default: built-in 2024 figures)")
    parser.add_argument("--check", action="store_true", help="recount the calibration figures afterwards")
    parser.add_argument("--write-example-institutions", type=Path,
                        help="only write the example register (Parquet) and exit")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.write_example_institutions:
        example_institutions(args.scale, args.seed).to_parquet(args.write_example_institutions)
        return 0
    if args.lake is None:
        parser.error("--lake is required")
    frame = (read_institutions(args.institutions) if args.institutions
             else example_institutions(args.scale, args.seed))
    started = time.perf_counter()
    counts = generate_lake(frame, args.lake, scale=args.scale, seed=args.seed, years=tuple(args.years),
                           size_source=args.size_source, latent_path=args.latent, progress=not args.quiet,
                           calibration_yaml=args.calibration)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    summary: dict[str, object] = {
        "scale": args.scale, "seed": args.seed, "wall_seconds": round(wall, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_memory_mib": round(usage.ru_maxrss / 1024, 1), "rows": counts,
        "rows_total": sum(sum(v.values()) for v in counts.values()),
    }
    if args.check:
        started = time.perf_counter()
        mismatches = check_calibration(args.lake, args.calibration, args.scale)
        summary["check_seconds"] = round(time.perf_counter() - started, 2)
        summary["calibration_mismatches"] = mismatches
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return 1 if summary.get("calibration_mismatches") else 0


if __name__ == "__main__":
    raise SystemExit(main())
