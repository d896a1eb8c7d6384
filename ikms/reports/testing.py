"""Test helpers: a small hand-made report (`sample_report`) and a test kind of report (`register_test_kind`) whose
build reports its progress in steps and counts its builds, so that the runs, the cache and the pages can be tested
without the annual or municipal report."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ikms.accounts.selectors import is_ikvd_staff
from ikms.reports import kinds
from ikms.reports.document import Chart, Column, Lineage, Report, Section, Suppressed, Table, Text

TEST_KIND = "test"


#: The sample report's own texts (a report's texts are data, in the report's language).
TEXTS = {
    "lv": {"title": "Testa ziņojums", "types": "Iestādes pēc veida, {year}", "type": "Veids", "count": "Iestādes",
           "share": "Īpatsvars, %", "rows": ["Pirmsskola", "Vispārējā", "Profesionālā", "Kopā"],
           "pupils": "Izglītojamie, {year}", "learners": "Izglītojamie", "level": "Līmenis",
           "levels": ["Pamata", "Vidējā"],
           "chart": "Iestādes pēc veida", "registers": "Reģistri", "notes": "Piezīmes", "about": "Par datiem",
           "text": "Skaitļi ir no reģistra.", "source": "reģistra lēmumi"},
    "en": {"title": "Test report", "types": "Institutions by type, {year}", "type": "Type", "count": "Institutions",
           "share": "Share, %", "rows": ["Pre-school", "General", "Vocational", "Total"],
           "pupils": "Pupils, {year}", "learners": "Pupils", "level": "Level", "levels": ["Basic", "Secondary"],
           "chart": "Institutions by type", "registers": "Registers", "notes": "Notes", "about": "About the data",
           "text": "The figures come from the register.", "source": "register decisions"},
}


def sample_report(*, language: str = "lv", year: str = "2024", snapshot: str = "snap-1") -> Report:
    """Two sections: a table of institutions by type with a share column (one decimal), a cell without data, a
    suppressed cell and a total row, a bar chart from it, and a subsection with a second table; a text."""
    t = TEXTS["en" if language.startswith("en") else "lv"]
    lineage = Lineage(snapshot=snapshot, query=f"registry.selectors.calibration_counts(year={year})",
                      specs={"indicators": "2024.1"}, source=t["source"])
    names = t["rows"]
    types = Table(
        key="institutions", number="3. tabula", title=t["types"].format(year=year),
        columns=[Column("type", t["type"], "text"), Column("count", t["count"]),
                 Column("share", t["share"], "share", 1)],
        rows=[[names[0], 612, 48.25], [names[1], 1234, 50.0], [names[2], None, Suppressed("[c]")],
              [names[3], 12345, 100.0]],
        lineage=lineage, total_rows=(3,), row_keys=["pre", "general", "vocational", "total"])
    pupils = Table(
        key="pupils", title=t["pupils"].format(year=year), columns=[Column("level", t["level"], "text"),
                                                                    Column("pupils", t["learners"])],
        rows=[[t["levels"][0], 98765], [t["levels"][1], 43210]], lineage=lineage, row_keys=["basic", "secondary"])
    chart = Chart(key="institutions-chart", title=t["chart"], table="institutions", category="type",
                  series=["count"])
    return Report(
        kind=TEST_KIND, title=t["title"], subtitle=year, language=language,
        inputs={"year": year, "snapshot": snapshot},
        sections=[Section("registers", t["registers"], [types, chart],
                          [Section("pupils", t["learners"], [pupils])]),
                  Section("notes", t["notes"], [Text(t["about"], [t["text"]])])])


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
        progress(step / 5, _("Step %(step)s of %(steps)s") % {"step": step, "steps": 4})
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
        code=TEST_KIND, title=gettext_lazy("Test report"),
        description=gettext_lazy("A small report made for the tests."), parse=_parse, allowed=_allowed,
        inputs=lambda params: {"year": params["year"], "snapshot": Builds.snapshot}, build=_build, formats=formats,
        fields=(kinds.Field("year", gettext_lazy("Year"), gettext_lazy("For example, 2024")),))
    kinds.register(kind)
    return kind
