"""Import sources: the input columns of each lake dataset and the row checks applied to them.

Every source is a dataset of analytics.lake.schemas.DATASETS received from another system (IMPORTED_DATASETS;
the web application writes its own datasets itself). Its input has the dataset's columns,
except that people are identified by their personal code (`personal_code`, `child_personal_code`,
`staff_personal_code`) instead of the pseudonymous id the lake stores, and that a source with an
`institution` column may name the institution instead (`institution_name`, optionally with its
`municipality`; `Source.by_name`, matched in analytics/imports/names.py). All checks are SQL
conditions over the raw text of a row (true = the row is wrong), so one DuckDB scan evaluates them
for every row; checks of personal codes run once per distinct code, names once per distinct name
(see importer)."""

# ruff: noqa: S608  -- SQL is composed from the dataset declarations: identifiers are quoted with q(),
# values are literals made by lit() or bound parameters; nothing from an input file is spliced in.

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pyarrow as pa

from analytics.imports.personal_code import sql_digits, sql_legacy_year
from analytics.lake.schemas import DATASETS, IMPORTED_DATASETS, Column, Dataset, partition_dir

Kind = Literal["person", "text", "category", "institution", "institution_name", "name_municipality", "programme",
               "municipality", "grade_list", "int", "float", "date", "bool"]

#: Pseudonymous column → the personal-code column that replaces it in input files.
PERSON_INPUT = {"learner_id": "personal_code", "child_id": "child_personal_code", "staff_id": "staff_personal_code"}
#: Input columns that identify an institution by name instead of registration number (`Source.by_name`).
NAME_INPUT = "institution_name"
NAME_MUNICIPALITY_INPUT = "municipality"
#: The table of distinct (name, municipality) keys of a file and what they matched (filled by the importer):
#: k (`name_key_sql`), status ("ok", "unmatched", "ambiguous", "unknown_municipality"), reg (when "ok").
NAME_MATCHES = "name_matches"
#: The row error of each match status that is not "ok", by the input column it is reported on.
NAME_ERRORS = {"institution_name": {"unmatched": "unknown_institution_name", "ambiguous": "ambiguous_institution_name"},
               "name_municipality": {"unknown_municipality": "unknown_municipality"}}

BOOL_TRUE = ("true", "1")
BOOL_FALSE = ("false", "0")
INT_RE = "-?[0-9]{1,9}"
FLOAT_RE = "-?([0-9]{1,12}([.,][0-9]{0,12})?|[.,][0-9]{1,12})"
DATE_RE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
REG_NUMBER_RE = "[0-9]{10}"
MUNICIPALITY_RE = "LV-[0-9A-Z]{3}"
GRADE_LIST_RE = "(1[0-2]|[0-9])(,(1[0-2]|[0-9]))*"
CODE_LIKE_RE = "(^|[^0-9])[0-9]{6}-?[0-9]{5}([^0-9]|$)"

SQL_TYPES = {pa.int8(): "TINYINT", pa.int16(): "SMALLINT", pa.int32(): "INTEGER", pa.float32(): "FLOAT",
             pa.date32(): "DATE", pa.bool_(): "BOOLEAN", pa.string(): "VARCHAR"}

#: Date windows ("where meaningful"), relative to the school year 1 Sep – 31 Aug.
Window = Literal["in_year", "near_year", "until_year_end", "recent"]
DATE_WINDOWS: dict[tuple[str, str], Window] = {
    ("enrolments", "start_date"): "until_year_end",
    ("enrolments", "end_date"): "near_year",
    ("grades", "date"): "in_year",
    ("absences", "date"): "in_year",
    ("staff", "start_date"): "until_year_end",
    ("staff", "end_date"): "near_year",
    ("vacancies", "opened"): "recent",
    ("vacancies", "filled"): "near_year",
    ("out_of_school", "as_of"): "near_year",
    ("declared_children", "as_of"): "near_year",
}
#: End date column → the start date column it must not precede.
END_AFTER_START = {("enrolments", "end_date"): "start_date", ("staff", "end_date"): "start_date",
                   ("vacancies", "filled"): "opened"}
#: Datasets whose semester must match the month of `date`.
SEMESTER_FROM_DATE = ("grades", "absences")
#: Datasets whose birth_year must match a legacy personal code's date of birth.
BIRTH_YEAR_FROM_CODE = ("learners", "out_of_school")
#: Integer columns whose schema range is wider than the values that exist.
INT_SETS = {("exams", "grade"): (9, 12), ("exam_results", "grade"): (9, 12), ("diagnostics", "grade"): (0, 3, 6)}
EARLIEST_START = datetime.date(1950, 1, 1)
_REF_RE = re.compile(r't\."([^"]+)"')


@dataclass(frozen=True)
class SchoolYear:
    first: int

    @classmethod
    def parse(cls, text: str) -> SchoolYear | None:
        """"2023/2024" or "2023-2024" (the partition spelling); None when malformed."""
        m = re.fullmatch(r"\s*(\d{4})\s*[/-]\s*(\d{4})\s*", text or "")
        if not m or int(m.group(2)) != int(m.group(1)) + 1:
            return None
        return cls(int(m.group(1)))

    @property
    def label(self) -> str:
        return f"{self.first}/{self.first + 1}"

    @property
    def partition(self) -> str:
        return partition_dir(self.label)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.first, 9, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.first + 1, 8, 31)

    def window(self, kind: Window) -> tuple[datetime.date, datetime.date]:
        if kind == "in_year":
            return self.start, self.end
        if kind == "near_year":
            return datetime.date(self.first, 6, 1), datetime.date(self.first + 1, 11, 30)
        if kind == "until_year_end":
            return EARLIEST_START, self.end
        return datetime.date(self.first - 1, 9, 1), self.end  # recent


@dataclass(frozen=True)
class InputColumn:
    name: str  # as in the input file
    column: Column  # the dataset column it fills
    kind: Kind

    @property
    def required(self) -> bool:
        return not self.column.nullable

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.column.type]


@dataclass(frozen=True)
class Source:
    dataset: Dataset
    columns: tuple[InputColumn, ...]

    @property
    def name(self) -> str:
        return self.dataset.name

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def person(self) -> InputColumn | None:
        return next((c for c in self.columns if c.kind == "person"), None)

    def by_output(self, name: str) -> InputColumn:
        return next(c for c in self.columns if c.column.name == name and c.kind != "name_municipality")

    @property
    def key(self) -> tuple[InputColumn, ...]:
        return tuple(self.by_output(k) for k in self.dataset.key)

    @property
    def names(self) -> InputColumn | None:
        """The institution name column of a `by_name` source."""
        return next((c for c in self.columns if c.kind == "institution_name"), None)

    @property
    def name_municipality(self) -> InputColumn | None:
        """The optional municipality column of a `by_name` source."""
        return next((c for c in self.columns if c.kind == "name_municipality"), None)

    def present_in(self, header: Sequence[str]) -> Source:
        """This source without its optional columns (`Column.optional`) that the file's header lacks; the
        import writes them as null."""
        kept = tuple(c for c in self.columns if not c.column.optional or c.name in header)
        return self if len(kept) == len(self.columns) else Source(self.dataset, kept)

    def by_name(self, *, municipality: bool) -> Source | None:
        """This source with the institution named (`institution_name`, and with `municipality` the
        municipality's code or name, for names that repeat) instead of its registration number; None
        for a source without an institution column."""
        if not any(c.kind == "institution" for c in self.columns):
            return None
        columns: list[InputColumn] = []
        for c in self.columns:
            if c.kind != "institution":
                columns.append(c)
                continue
            columns.append(InputColumn(NAME_INPUT, c.column, "institution_name"))
            if municipality:
                columns.append(InputColumn(NAME_MUNICIPALITY_INPUT, NAME_MUNICIPALITY, "name_municipality"))
        return Source(self.dataset, tuple(columns))


@dataclass(frozen=True)
class RowCheck:
    """An error condition over the raw text of a row (alias `t`): true means the row is wrong."""

    column: str
    code: str
    sql: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """The input columns the condition reads (every reference is written `t."name"` by `raw`)."""
        return tuple(dict.fromkeys(_REF_RE.findall(self.sql)))


#: The municipality column of a `by_name` input (no lake column: it only narrows the name matching).
NAME_MUNICIPALITY = Column(NAME_MUNICIPALITY_INPUT, pa.string(),
                           "Municipality of the named institution: ISO 3166-2:LV code or name", nullable=True)


def _kind(dataset: Dataset, col: Column) -> Kind:
    if col.name in PERSON_INPUT:
        return "person"
    if col.reference == "institution":
        return "institution"
    if col.reference == "programme":
        return "programme"
    if col.allowed is not None:
        return "category"
    if col.name == "declared_municipality":
        return "municipality"
    if dataset.name == "classes" and col.name == "grades":
        return "grade_list"
    t = col.type
    if t in (pa.int8(), pa.int16(), pa.int32()):
        return "int"
    if t == pa.float32():
        return "float"
    if t == pa.date32():
        return "date"
    if t == pa.bool_():
        return "bool"
    return "text"


def source(name: str) -> Source:
    dataset = DATASETS[name]
    return Source(dataset, tuple(InputColumn(PERSON_INPUT.get(c.name, c.name), c, _kind(dataset, c))
                                 for c in dataset.columns))


SOURCES: dict[str, Source] = {name: source(name) for name in IMPORTED_DATASETS}


# --- SQL building blocks ------------------------------------------------------------------------


def q(name: str) -> str:
    """A quoted identifier (our column names are plain; quoting keeps keywords like "date" safe)."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: object) -> str:
    """A SQL literal for a str, int, float or date."""
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime.date):
        return f"DATE '{value.isoformat()}'"
    return repr(value)


def raw(col: InputColumn | str, alias: str = "t") -> str:
    return f"{alias}.{q(col if isinstance(col, str) else col.name)}"


def present(r: str) -> str:
    return f"({r} IS NOT NULL AND {r} <> '')"


def name_key_sql(src: Source, alias: str = "t") -> str:
    """SQL: the key of a row's institution name and municipality in NAME_MATCHES (raw text, unit separator
    between; an absent or empty municipality is "")."""
    names = src.names
    assert names is not None
    muni = src.name_municipality
    municipality = f"coalesce({raw(muni, alias)}, '')" if muni is not None else "''"
    return f"(coalesce({raw(names, alias)}, '') || chr(31) || {municipality})"


def valid_sql(col: InputColumn, alias: str = "t") -> str:
    """SQL: the value is present and well-formed for its kind (so it can be cast)."""
    r = raw(col, alias)
    k = col.kind
    if k == "int":
        return f"regexp_full_match({r}, '{INT_RE}')"
    if k == "float":
        return f"regexp_full_match({r}, '{FLOAT_RE}')"
    if k == "date":
        return f"(regexp_full_match({r}, '{DATE_RE}') AND TRY_CAST({r} AS DATE) IS NOT NULL)"
    if k == "bool":
        return f"lower({r}) IN ({', '.join(lit(v) for v in BOOL_TRUE + BOOL_FALSE)})"
    if k == "grade_list":
        return f"regexp_full_match({r}, '{GRADE_LIST_RE}')"
    return present(r)


def typed_sql(col: InputColumn, alias: str = "t") -> str:
    """SQL: the value cast to the lake type (valid rows only; empty → NULL for nullable columns)."""
    r = raw(col, alias)
    k = col.kind
    if k in ("institution_name", "name_municipality"):
        raise ValueError(f"column {col.name!r} is resolved through {NAME_MATCHES}, not cast")
    v = f"NULLIF({r}, '')" if col.column.nullable else r
    if k == "int":
        return f"CAST({v} AS {col.sql_type})"
    if k == "float":
        return f"CAST(replace({v}, ',', '.') AS FLOAT)"
    if k == "date":
        return f"CAST({v} AS DATE)"
    if k == "bool":
        return f"(lower({v}) IN ({', '.join(lit(x) for x in BOOL_TRUE)}))"
    if k == "text":
        return f"NULLIF(trim({r}), '')" if col.column.nullable else f"trim({r})"
    return v


def _num(value: float | None) -> str:
    assert value is not None
    return str(int(value)) if float(value).is_integer() else str(value)


def row_checks(src: Source, year: SchoolYear, *, institutions_table: str = "known_institutions",
               programmes_table: str = "known_programmes") -> list[RowCheck]:
    """Every row-level check of a source, in column order. The conditions of one column exclude each
    other (a missing value is not also reported as badly formed), so a value gets one error.
    DuckDB evaluates both sides of AND, so conditions use TRY_CAST only (never a failing CAST)."""
    checks: list[RowCheck] = []
    ds = src.dataset.name
    for col in src.columns:
        r = raw(col)
        ok = valid_sql(col)
        if col.required:
            empty = f"({r} IS NULL OR trim({r}) = '')" if col.kind in ("text", "person", "institution_name") else \
                f"({r} IS NULL OR {r} = '')"
            checks.append(RowCheck(col.name, "required", empty))
        if col.kind == "person":
            continue  # checked per distinct code
        pres = present(r)
        k = col.kind
        if k == "int":
            checks.append(RowCheck(col.name, "not_integer", f"{pres} AND NOT {ok}"))
        elif k == "float":
            checks.append(RowCheck(col.name, "not_number", f"{pres} AND NOT {ok}"))
        elif k == "date":
            checks.append(RowCheck(col.name, "not_date", f"{pres} AND NOT {ok}"))
        elif k == "bool":
            checks.append(RowCheck(col.name, "not_boolean", f"{pres} AND NOT {ok}"))
        elif k == "category":
            allowed = col.column.allowed or ()
            checks.append(RowCheck(col.name, "not_allowed",
                                   f"{pres} AND {r} NOT IN ({', '.join(lit(a) for a in allowed)})",
                                   {"allowed": ", ".join(allowed)}))
        elif k == "institution":
            fmt = f"regexp_full_match({r}, '{REG_NUMBER_RE}')"
            checks.append(RowCheck(col.name, "bad_registration_number", f"{pres} AND NOT {fmt}"))
            checks.append(RowCheck(col.name, "unknown_institution",
                                   f"{fmt} AND {r} NOT IN (SELECT v FROM {institutions_table})"))
        elif k in NAME_ERRORS:
            for status, code in NAME_ERRORS[k].items():
                checks.append(RowCheck(col.name, code, f"{pres} AND {name_key_sql(src)} IN "
                                                       f"(SELECT k FROM {NAME_MATCHES} WHERE status = {lit(status)})"))
        elif k == "programme":
            checks.append(RowCheck(col.name, "bad_programme_code", f"{pres} AND length({r}) <> 8"))
            checks.append(RowCheck(col.name, "unknown_programme",
                                   f"length({r}) = 8 AND {r} NOT IN (SELECT v FROM {programmes_table})"))
        elif k == "municipality":
            checks.append(RowCheck(col.name, "bad_municipality",
                                   f"{pres} AND NOT regexp_full_match({r}, '{MUNICIPALITY_RE}')"))
        elif k == "grade_list":
            checks.append(RowCheck(col.name, "bad_grade_list", f"{pres} AND NOT {ok}"))
        elif k == "text":
            checks.append(RowCheck(col.name, "looks_like_personal_code",
                                   f"{pres} AND regexp_matches({r}, '{CODE_LIKE_RE}')"))
        # Ranges and sets of numbers
        if k in ("int", "float") and (col.column.min is not None or col.column.max is not None):
            lo, hi = col.column.min, col.column.max
            value = f"TRY_CAST({r} AS BIGINT)" if k == "int" else f"TRY_CAST(replace({r}, ',', '.') AS DOUBLE)"
            cond = f"{value} NOT BETWEEN {lo} AND {hi}" if lo is not None and hi is not None else (
                f"{value} < {lo}" if lo is not None else f"{value} > {hi}")
            if k == "float":
                cond = f"(NOT isfinite({value}) OR {cond})"
            checks.append(RowCheck(col.name, "out_of_range", f"{ok} AND {cond}",
                                   {"min": _num(lo) if lo is not None else "−∞",
                                    "max": _num(hi) if hi is not None else "∞"}))
        allowed_ints = INT_SETS.get((ds, col.column.name))
        if allowed_ints is not None:
            within = f"TRY_CAST({r} AS BIGINT) BETWEEN {col.column.min} AND {col.column.max}"
            checks.append(RowCheck(col.name, "not_allowed",
                                   f"{ok} AND {within} AND TRY_CAST({r} AS BIGINT) NOT IN "
                                   f"({', '.join(map(str, allowed_ints))})",
                                   {"allowed": ", ".join(map(str, allowed_ints))}))
        # Dates
        window = DATE_WINDOWS.get((ds, col.column.name))
        if window is not None:
            lo_d, hi_d = year.window(window)
            code = "date_outside_year" if window == "in_year" else "date_outside_window"
            checks.append(RowCheck(col.name, code,
                                   f"{ok} AND TRY_CAST({r} AS DATE) NOT BETWEEN {lit(lo_d)} AND {lit(hi_d)}",
                                   {"year": year.label, "start": lo_d.isoformat(), "end": hi_d.isoformat()}))
        start_name = END_AFTER_START.get((ds, col.column.name))
        if start_name is not None:
            start = src.by_output(start_name)
            checks.append(RowCheck(col.name, "end_before_start",
                                   f"{ok} AND {valid_sql(start)} AND "
                                   f"TRY_CAST({r} AS DATE) < TRY_CAST({raw(start)} AS DATE)",
                                   {"start_column": start.name}))
    # Cross-column checks
    if ds in SEMESTER_FROM_DATE:
        sem, date = src.by_output("semester"), src.by_output("date")
        checks.append(RowCheck(sem.name, "semester_mismatch",
                               f"{valid_sql(sem)} AND {valid_sql(date)} AND TRY_CAST({raw(sem)} AS BIGINT) IN (1, 2) "
                               f"AND (CASE WHEN month(TRY_CAST({raw(date)} AS DATE)) >= 9 THEN 1 ELSE 2 END) "
                               f"<> TRY_CAST({raw(sem)} AS BIGINT)"))
    if ds in BIRTH_YEAR_FROM_CODE:
        person = src.person
        assert person is not None
        born = src.by_output("birth_year")
        code_year = sql_legacy_year(sql_digits(raw(person)))
        checks.append(RowCheck(born.name, "birth_year_mismatch",
                               f"{valid_sql(born)} AND {code_year} <> TRY_CAST({raw(born)} AS BIGINT)"))
    if ds == "classes":
        grades, combined = src.by_output("grades"), src.by_output("combined")
        checks.append(RowCheck(combined.name, "combined_mismatch",
                               f"{valid_sql(grades)} AND {valid_sql(combined)} AND "
                               f"(len(string_split({raw(grades)}, ',')) > 1) <> {typed_sql(combined)}"))
    return checks
