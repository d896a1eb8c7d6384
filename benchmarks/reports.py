"""Reports benchmark: the annual report and a municipal report built and rendered from the demo data at scale 1,
and the annual report's numbers against the published 2024 figures.

    uv run python -m benchmarks.reports                          # scale 1 (writes results/reports.json)
    uv run python -m benchmarks.reports --workdir var/bench-web  # reuse the database and lake of benchmarks.web

Sets up what benchmarks.web sets up (a throw-away PostgreSQL 15 cluster on loopback, the migrated schema and
`generate_demo` at the scale), then, in this process: `annual_report_s` (the 2024 annual report built from the
records and rendered to PDF), `municipal_report_s` (the municipal report of one municipality through its registered
kind, built and rendered; null where no such kind is registered), and `numbers_checked` / `numbers_equal` (every
published figure of calibration-2024.yaml against the report's cell, ikms.reports.calibration)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.web import _free_port, postgres, prepare, server_env

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks/results/reports.json"
YEAR = 2024


def _timed(build, params: dict[str, Any]) -> tuple[float, Any]:
    from ikms.reports.render.pdf import render_pdf
    from ikms.reports.services import protect

    started = time.perf_counter()
    report = build(params, language="lv", progress=lambda share, step: None)
    render_pdf(protect(report))  # as a run does: disclosure control, then the PDF
    return round(time.perf_counter() - started, 2), report


def measure() -> dict[str, Any]:
    """The figures, in a process whose Django is set up on the benchmark's database."""
    from ikms.accounts.models import User
    from ikms.monitoring.selectors import school_years
    from ikms.registry.models import Municipality
    from ikms.reports import calibration, kinds

    annual = kinds.get("annual")
    annual_s, report = _timed(annual.make, {"year": YEAR})
    compared = calibration.compare(report, Path(os.environ["IKMS_SHARED_DIR"]) / "data" / "calibration-2024.yaml")
    municipal_s = None
    if "municipal" in {k.code for k in kinds.registered()}:
        municipal = kinds.get("municipal")
        analyst = User.objects.get(username="analitikis")
        code = "LV-RIX" if Municipality.objects.filter(code="LV-RIX").exists() else \
            Municipality.objects.order_by("code").values_list("code", flat=True).first()
        params = municipal.parse(analyst, {"municipality": code, "years": school_years()[-4:]})
        municipal_s, _report = _timed(municipal.make, params)
    return {"annual_report_s": annual_s, "municipal_report_s": municipal_s,
            "numbers_checked": compared.checked, "numbers_equal": compared.equal,
            "numbers_unreached": ["/".join(p) for p in compared.unreached],
            "numbers_different": {"/".join(p): [str(v) for v in pair] for p, pair in compared.different.items()}}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    with postgres(workdir, _free_port()) as database_url:
        env = server_env(database_url, workdir)
        data = prepare(env, ROOT, scale=args.scale, lake_scale=args.scale)
        os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS",
                                               "DATABASE_URL", "IKMS_PSEUDONYM_KEY", "IKMS_LAKE_DIR",
                                               "IKMS_LATENT_PATH", "DJANGO_SECURE_SSL_REDIRECT", "IKMS_SHARED_DIR")})
        import django

        django.setup()
        return {"scale": args.scale, **data, **measure()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the database and lake here and reuse them next time (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=None, help=f"results file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args()
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="ikms-reports-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    try:
        result = run(args, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    out = args.out or RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
