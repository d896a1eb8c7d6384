"""Test helpers: a small hand-made report (`sample_report`) and a test kind of report (`register_test_kind`) whose
build reports its progress in steps and counts its builds, so that the runs, the cache and the pages can be tested
without the annual or municipal report."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from ikms.accounts.selectors import is_ikvd_staff
from ikms.reports import kinds
from ikms.reports.document import Chart, Column, Lineage, Report, Section, Suppressed, Table, Text

TEST_KIND = "test"


def sample_report(*, language: str = "lv", year: str = "2024", snapshot: str = "snap-1") -> Report:
    """Two sections: a table of institutions by type with a share column (one decimal), a cell without data, a
    suppressed cell and a total row, a bar chart from it; a text; a second table of a count in thousands."""
    lineage = Lineage(snapshot=snapshot, query=f"registry.selectors.calibration_counts(year={year})",
                      specs={"indicators": "2024.1"}, source="register decisions")
    types = Table(
        key="institutions", number="3. tabula", title=f"Institutions by type, {year}",
        columns=[Column("type", "Type", "text"), Column("count", "Institutions"),
                 Column("share", "Share, %", "share", 1)],
        rows=[["Pre-school", 612, 48.25], ["General", 1234, 50.0], ["Vocational", None, Suppressed("[c]")],
              ["Total", 12345, 100.0]],
        lineage=lineage, total_rows=(3,), row_keys=["pre", "general", "vocational", "total"])
    pupils = Table(
        key="pupils", title=f"Pupils, {year}", columns=[Column("level", "Level", "text"),
                                                        Column("pupils", "Pupils")],
        rows=[["Basic", 98765], ["Secondary", 43210]], lineage=lineage, row_keys=["basic", "secondary"])
    chart = Chart(key="institutions-chart", title="Institutions by type", table="institutions", category="type",
                  series=["count"])
    return Report(
        kind=TEST_KIND, title="Test report", subtitle=year, language=language,
        inputs={"year": year, "snapshot": snapshot},
        sections=[Section("registers", "Registers", [types, chart],
                          [Section("pupils", "Pupils", [pupils])]),
                  Section("notes", "Notes", [Text("About", ["The figures come from the register."])])])


class Builds:
    """How many times the test kind was built, and whether the next build fails (set by a test)."""

    count = 0
    fail = False
    pause = 0.0  # seconds between the progress steps (the browser test watches the bar move)
    snapshot = "snap-1"
    seen: list[tuple[int, str]] = []  # the newest run's (progress, step) after each progress call


def _latest_progress() -> tuple[int, str]:
    from ikms.reports.models import ReportRun

    run = ReportRun.objects.order_by("-pk").first()
    return (run.progress, run.step) if run else (0, "")


def _parse(user, data: Mapping[str, Any]) -> dict[str, Any]:
    year = str(data.get("year") or "2024")
    if not (year.isdigit() and len(year) == 4):
        raise ValidationError("Gads jāraksta ar četriem cipariem. / Write the year with four digits.")
    return {"year": year}


def _allowed(user, params: Mapping[str, Any]) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and is_ikvd_staff(user)


def _build(params: Mapping[str, Any], *, language: str, progress: kinds.Progress) -> Report:
    Builds.count += 1
    for step in range(1, 5):
        progress(step / 5, f"Step {step} of 4")
        Builds.seen.append(_latest_progress())
        if Builds.pause:
            time.sleep(Builds.pause)
    if Builds.fail:
        raise RuntimeError("the test build failed")
    return sample_report(language=language, year=params["year"], snapshot=Builds.snapshot)


def register_test_kind(*, formats: tuple[str, ...] = ("pdf", "xlsx", "docx")) -> kinds.ReportKind:
    """Register the test kind (replacing any earlier one) and reset its counters."""
    Builds.count, Builds.fail, Builds.pause, Builds.snapshot, Builds.seen = 0, False, 0.0, "snap-1", []
    kind = kinds.ReportKind(
        code=TEST_KIND, title="Test report", description="A small report made for the tests.", parse=_parse,
        allowed=_allowed, inputs=lambda params: {"year": params["year"], "snapshot": Builds.snapshot},
        build=_build, formats=formats, fields=(kinds.Field("year", "Year", "For example, 2024"),))
    kinds.register(kind)
    return kind
