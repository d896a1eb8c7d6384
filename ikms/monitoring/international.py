"""Import of published international study results (issue 15, item 7): a CSV or XLSX file (read with the
register's cell readers) with one row per study, cycle, grade or age group and domain. Every row is checked first;
any error writes nothing and is reported in Latvian and English with its row and column. A row whose study, cycle,
group and domain are already held replaces the held one. Rows whose source is `DEMO_SOURCE` are demonstration
values (the demo's file), never published figures. Format: docs/data/imports.md#international-study-results."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from ikms.core.audit import audit_log
from ikms.monitoring.models import InternationalResult
from ikms.registry.viis_programmes import cells_csv, cells_xlsx

DEMO_SOURCE = "IKMS demo data"
COLUMNS = ("study", "cycle", "group", "domain", "mean_score", "standard_error", "international_mean", "source")
REQUIRED = ("study", "cycle", "group", "domain", "mean_score", "source")
DEMO_FILE = Path(__file__).resolve().parent / "data" / "international_results_demo.csv"


@dataclass(frozen=True)
class Issue:
    row: int
    column: str
    value: str
    lv: str
    en: str

    def __str__(self) -> str:
        return f"rinda / row {self.row}, {self.column} «{self.value}»: {self.lv} / {self.en}"


@dataclass
class InternationalImportReport:
    path: str
    rows: int = 0
    written: int = 0
    errors: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: int, column: str, value: Any, code: str, messages: tuple[str, str]) -> None:
        """Record an error (the signature of the register readers' reports); `messages` is (Latvian, English)."""
        del code
        self.errors.append(Issue(row, column, "" if value is None else str(value), *messages))

    def summary_lines(self) -> list[str]:
        lines = [f"Starptautiskie pētījumi / international studies: {self.path}", f"rindas / rows: {self.rows}"]
        if self.errors:
            lines.append(f"KĻŪDAS / ERRORS: {len(self.errors)} — nekas netika ierakstīts / nothing was written")
            lines += [f"  {e}" for e in self.errors]
        else:
            lines.append(f"ierakstītas / written: {self.written}")
        return lines


def _decimal(report, row, column, value, *, required: bool, low: int, high: int) -> Decimal | None:
    if value is None or str(value).strip() == "":
        if required:
            report.error(row, column, value, "missing", ("Vērtība ir obligāta.", "A value is required."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        report.error(row, column, value, "number", ("Tas nav skaitlis.", "This is not a number."))
        return None
    if not number.is_finite() or not low <= number <= high:
        report.error(row, column, value, "range", (f"Skaitlim jābūt no {low} līdz {high}.",
                                                   f"The number must be between {low} and {high}."))
        return None
    return number.quantize(Decimal("0.1"))


def parse(cells: list[list[Any]], report: InternationalImportReport) -> list[dict]:
    """The rows of the file as model fields; errors go to the report."""
    if not cells:
        report.error(1, "—", "", "empty", ("Fails ir tukšs.", "The file is empty."))
        return []
    header = [str(c or "").strip().lower() for c in cells[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        report.error(1, ", ".join(missing), "", "header", (
            "Trūkst kolonnu: " + ", ".join(missing) + ".", "Columns missing: " + ", ".join(missing) + "."))
        return []
    out, seen = [], {}
    for number, raw in enumerate(cells[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in raw):
            continue
        report.rows += 1
        cell = {c: (raw[header.index(c)] if c in header and header.index(c) < len(raw) else None) for c in COLUMNS}
        text = {c: str(cell[c]).strip() if cell[c] is not None else "" for c in COLUMNS}
        before = len(report.errors)
        study = text["study"].upper()
        if study not in InternationalResult.Study.values:
            report.error(number, "study", text["study"], "study", (
                "Pētījumam jābūt PISA, TIMSS, PIRLS vai ICCS.", "The study must be PISA, TIMSS, PIRLS or ICCS."))
        cycle = _decimal(report, number, "cycle", cell["cycle"], required=True, low=1990, high=2100)
        for column in ("group", "domain", "source"):
            if not text[column]:
                report.error(number, column, "", "missing", ("Vērtība ir obligāta.", "A value is required."))
        mean = _decimal(report, number, "mean_score", cell["mean_score"], required=True, low=0, high=1000)
        se = _decimal(report, number, "standard_error", cell["standard_error"], required=False, low=0, high=100)
        intl = _decimal(report, number, "international_mean", cell["international_mean"], required=False, low=0,
                        high=1000)
        if cycle is not None and cycle != cycle.to_integral_value():
            report.error(number, "cycle", text["cycle"], "year", ("Ciklam jābūt gadam.", "The cycle must be a year."))
        if len(report.errors) > before:
            continue
        key = (study, int(cycle), text["group"], text["domain"])
        if key in seen:
            report.error(number, "study, cycle, group, domain", " ".join(map(str, key)), "duplicate", (
                f"Tas pats rezultāts jau ir {seen[key]}. rindā.", f"The same result is already in row {seen[key]}."))
            continue
        seen[key] = number
        out.append({"study": study, "cycle": int(cycle), "group": text["group"], "domain": text["domain"],
                    "mean_score": mean, "standard_error": se, "international_mean": intl, "source": text["source"],
                    "demo": text["source"] == DEMO_SOURCE})
    return out


def import_international_results(path: Path, *, actor=None) -> InternationalImportReport:
    """Read a CSV or XLSX file and write its rows, all or nothing (see the module docstring)."""
    report = InternationalImportReport(path=str(path))
    reader = cells_xlsx if path.suffix.lower() == ".xlsx" else cells_csv
    cells = reader(path, report)  # type: ignore[arg-type]  # the readers call only report.error
    if cells is None:
        return report
    rows = parse(cells, report)
    if not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            key = {k: row[k] for k in ("study", "cycle", "group", "domain")}
            obj, _created = InternationalResult.objects.update_or_create(
                **key, defaults={k: v for k, v in row.items() if k not in key})
            report.written += 1
        if rows:
            audit_log(actor=actor, action="monitoring.international_import", target=obj,
                      data={"file": path.name, "rows": len(rows)})
    return report
