"""Render docs/data/lake.md from the dataset declarations (and check it is up to date).

    uv run python -m analytics.lake.docs          # rewrite docs/data/lake.md
    uv run python -m analytics.lake.docs --check  # exit 1 if it is stale"""

from __future__ import annotations

import sys
from pathlib import Path

from analytics.lake.schemas import DATASETS, INSTITUTIONS, SCHOOL_YEARS, Dataset

TARGET = Path(__file__).resolve().parents[2] / "docs" / "data" / "lake.md"


def _dataset(ds: Dataset) -> list[str]:
    lines = [f"## `{ds.name}`", "", ds.description + ".", ""]
    if ds.written_by == "web":
        lines += ["Written by the web application from its own records (not an import source): each school year's "
                  "partition is replaced whole, with its receipt, before every computation.", ""]
    if ds.key:
        lines += [f"Key (duplicates are import errors): {', '.join(f'`{k}`' for k in ds.key)}.", ""]
    lines += ["| column | type | required | valid values | meaning |", "|---|---|---|---|---|"]
    for c in ds.columns:
        valid = []
        if c.allowed:
            valid.append(", ".join(f"`{a}`" for a in c.allowed))
        if c.min is not None or c.max is not None:
            if c.min is not None and c.max is not None:
                valid.append(f"{c.min:g} … {c.max:g}")
            else:
                valid.append(f"≥ {c.min:g}" if c.min is not None else f"≤ {c.max:g}")
        if c.reference:
            valid.append(f"known {c.reference} in the register")
        lines.append(f"| `{c.name}` | {c.type} | {'no' if c.nullable else 'yes'} | {'; '.join(valid)} "
                     f"| {c.description} |")
    return [*lines, ""]


def render() -> str:
    lines = [
        "# The data lake",
        "",
        "Generated from `analytics/lake/schemas.py` by `python -m analytics.lake.docs`; do not edit by hand.",
        "",
        "Parquet files, one folder per dataset, partitioned by school year: "
        "`<lake>/<dataset>/school_year=2023-2024/part-*.parquet`. School years held by the demo: "
        + ", ".join(SCHOOL_YEARS) + ". People are identified only by pseudonymous ids (a keyed hash of "
        "the personal code, made at import); the clear code never reaches the lake. The hidden latent "
        "quality of the synthetic data lives outside the lake (`IKMS_LATENT_PATH`).",
        "",
    ]
    for ds in [*DATASETS.values(), INSTITUTIONS]:
        lines += _dataset(ds)
    return "\n".join(lines)


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
