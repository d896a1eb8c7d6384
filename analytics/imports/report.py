"""What an import did, or why it wrote nothing: the row-level, bilingual error list.

Values in a report are safe to show, print and store: personal codes are masked (only the last two
digits), and so is anything personal-code-like in any other column."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from analytics.imports.messages import WARNING_SUFFIX, message
from analytics.imports.personal_code import mask_text

Status = Literal["pending", "imported", "already_imported", "rejected"]
MAX_VALUE_CHARS = 80


def safe_value(value: object) -> str | None:
    """A value for a report: masked personal codes, at most MAX_VALUE_CHARS characters."""
    if value is None:
        return None
    text = mask_text(str(value))
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


@dataclass(frozen=True)
class Issue:
    """One error or warning. `row` is the data row (1 = the first row below the header); None for
    problems of the whole file. `value` is already masked."""

    row: int | None
    column: str | None
    value: str | None
    code: str
    message_lv: str
    message_en: str

    @classmethod
    def of(cls, code: str, *, row: int | None = None, column: str | None = None, value: str | None = None,
           **params: object) -> Issue:
        lv, en = message(code, **params)
        return cls(row, column, value, code, lv, en)

    def __str__(self) -> str:
        where = "fails / file" if self.row is None else f"rinda / row {self.row}"
        if self.column:
            where += f", {self.column}"
        if self.value is not None:
            where += f" = “{self.value}”"
        return f"{where}: {self.message_lv} / {self.message_en}"


@dataclass
class ImportReport:
    source: str
    file_name: str  # base name only, personal-code-like parts masked
    school_year: str
    status: Status = "pending"
    rows: int = 0
    file_sha256: str = ""
    part: str | None = None  # written part, relative to the lake root
    as_of: datetime.date | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    #: Total errors found; larger than len(errors) when the list was cut at max_errors.
    error_count: int = 0
    #: Errors per "column:code" over the whole file (not cut).
    error_counts: dict[str, int] = field(default_factory=dict)
    warning_count: int = 0
    duration_s: float = 0.0
    #: Institutions the file is a receipt for (analytics/lake/coverage.py); 0 until imported.
    covered: int = 0

    @property
    def ok(self) -> bool:
        """The file is in the lake (imported now or before)."""
        return self.status in ("imported", "already_imported")

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def reject(self, issues: list[Issue], *, total: int | None = None,
               counts: dict[str, int] | None = None) -> ImportReport:
        self.status = "rejected"
        self.part = None
        self.errors = issues
        self.error_count = total if total is not None else len(issues)
        self.error_counts = counts if counts is not None else dict(
            Counter(f"{i.column or ''}:{i.code}" for i in issues))
        return self

    def summary_lines(self, *, max_issues: int = 50) -> list[str]:
        """A bilingual plain-text summary (for the management command and logs)."""
        lines = [f"{self.source}: {self.file_name} (mācību gads / school year {self.school_year})"]
        if self.status == "already_imported":
            lines.append("Fails jau importēts, nekas netika mainīts / File already imported, nothing changed "
                         f"({self.part})")
        elif self.status == "imported":
            lines.append(f"Importētas rindas / rows imported: {self.rows} → {self.part}")
        else:
            lines.append(f"KĻŪDAS / ERRORS: {self.error_count} — nekas netika ierakstīts / nothing was written")
            lines += [f"  {issue}" for issue in self.errors[:max_issues]]
            if self.error_count > min(len(self.errors), max_issues):
                lines.append(f"  … +{self.error_count - min(len(self.errors), max_issues)}")
            if self.error_counts:
                lines.append("Kļūdu skaits pēc kolonnas un veida / errors by column and kind:")
                lines += [f"  {key}: {n}" for key, n in sorted(self.error_counts.items())]
        if self.warning_count:
            lines.append(f"Brīdinājumi / warnings: {self.warning_count}")
            lines += [f"  {issue}" for issue in self.warnings[:max_issues]]
        return lines

    def issue_rows(self) -> list[dict[str, object]]:
        """Errors, then warnings, as flat dicts (CSV and JSON export)."""
        out: list[dict[str, object]] = []
        for kind, issues in (("error", self.errors), ("warning", self.warnings)):
            for issue in issues:
                row = asdict(issue)
                if kind == "warning":
                    row["message_lv"] = f"{issue.message_lv}{WARNING_SUFFIX[0]}"
                    row["message_en"] = f"{issue.message_en}{WARNING_SUFFIX[1]}"
                out.append({"severity": kind, **row})
        return out

    def to_csv(self, path: Path | None = None) -> str:
        """The issue list as a UTF-8 CSV (written to `path` when given); returns the text."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=["severity", "row", "column", "value", "code", "message_lv",
                                                 "message_en"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.issue_rows())
        text = buf.getvalue()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text
