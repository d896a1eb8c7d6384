"""Validated imports: every source imports and reads back; every kind of bad file is refused with
row-level bilingual errors and leaves the lake exactly as it was; personal codes never reach a file."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import duckdb
import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics.imports import SOURCES, ImportReport, PersonalCodePolicy, import_file, pseudonymise
from analytics.imports import lake as lake_io
from analytics.imports.bench import bench_import
from analytics.imports.importer import check_codes
from analytics.imports.messages import MESSAGES
from analytics.imports.personal_code import legacy_code, mask, new_code, problems, random_legacy_code
from analytics.imports.pseudonym import pads, sql_hmac
from analytics.lake.schemas import DATASETS, Column

REPO = Path(__file__).resolve().parents[2]
KEY = b"test-pseudonym-key"
YEAR = "2023/2024"
I1, I2 = "4000000001", "4000000002"
INSTITUTIONS = {I1, I2}
P1, P2 = "21011111", "31011011"
PROGRAMMES = {P1, P2}
TODAY = datetime.date(2024, 6, 1)

LEGACY_VALID = ["180565-05610", "061193-06460", "280638-19406", "290212-29381", "211244-14874", "290156-11605",
                "060287-06450", "140761-19428", "120768-18764", "161175-19997"]
NEW_VALID = ["32073120115", "32019028596", "32699402624", "32416565491", "323691-93794", "321412-91101",
             "328926-13925", "323106-55350"]

# Learners with codes whose dates of birth fit the schema's birth years.
C1 = legacy_code(datetime.date(2010, 5, 4), 123)
C2 = legacy_code(datetime.date(2008, 11, 30), 45)
C3 = "32073120115"
STAFF1 = legacy_code(datetime.date(1975, 3, 2), 5)
CHILD1 = legacy_code(datetime.date(2012, 4, 2), 7)

VALID: dict[str, list[dict[str, str]]] = {
    "learners": [
        {"personal_code": C1, "birth_year": "2010", "sex": "F", "citizenship": "citizen",
         "declared_municipality": "LV-RIX"},
        {"personal_code": C2, "birth_year": "2008", "sex": "M", "citizenship": "non_citizen",
         "declared_municipality": "LV-067"},
        {"personal_code": C3, "birth_year": "2018", "sex": "M", "citizenship": "foreign",
         "declared_municipality": "LV-RIX"},
    ],
    "enrolments": [
        {"personal_code": C1, "institution": I1, "programme_code": P1, "level": "basic", "special": "false",
         "grade": "7", "class_id": "7.a", "start_date": "2017-09-01", "end_date": ""},
        {"personal_code": C2, "institution": I2, "programme_code": P2, "level": "secondary", "special": "1",
         "grade": "10", "class_id": "10.b", "start_date": "2023-09-01", "end_date": "2024-05-31"},
    ],
    "classes": [
        {"institution": I1, "class_id": "7.a", "grades": "7", "combined": "false", "learners": "24"},
        {"institution": I1, "class_id": "5./6.", "grades": "5,6", "combined": "true", "learners": "12"},
    ],
    "grades": [
        {"personal_code": C1, "institution": I1, "subject": "MAT", "date": "2023-10-02", "semester": "1",
         "mark": "8", "course_level": "general"},
        {"personal_code": C1, "institution": I1, "subject": "MAT", "date": "2024-03-05", "semester": "2",
         "mark": "10", "course_level": "advanced"},
        {"personal_code": C2, "institution": I2, "subject": "LAT", "date": "2023-12-20", "semester": "1",
         "mark": "1", "course_level": "general"},
    ],
    "absences": [
        {"personal_code": C1, "institution": I1, "date": "2023-09-05", "semester": "1", "lessons": "2",
         "reason": "illness"},
        {"personal_code": C2, "institution": I2, "date": "2024-02-01", "semester": "2", "lessons": "10",
         "reason": "unjustified"},
        {"personal_code": C3, "institution": I1, "date": "2023-11-15", "semester": "1", "lessons": "1",
         "reason": "justified"},
    ],
    "long_term_absences": [
        {"personal_code": C1, "institution": I1, "semester": "1", "level": "basic", "reason": "lack_of_motivation",
         "action": "social_service"},
        {"personal_code": C2, "institution": I1, "semester": "2", "level": "secondary", "reason": "",
         "action": "none_recorded"},
    ],
    "exams": [
        {"personal_code": C1, "institution": I1, "exam": "MAT_9", "mandatory": "true", "grade": "9",
         "score_pct": "55.5"},
        {"personal_code": C2, "institution": I2, "exam": "ENG_12", "mandatory": "0", "grade": "12",
         "score_pct": "72,25"},
    ],
    "exam_results": [
        {"institution": I1, "exam": "MAT_9", "mandatory": "true", "grade": "9", "takers": "24",
         "mean_score_pct": "55.5"},
        {"institution": I2, "exam": "ENG_12", "mandatory": "0", "grade": "12", "takers": "3",
         "mean_score_pct": "72,25"},
    ],
    "staff": [
        {"staff_personal_code": STAFF1, "institution": I1, "position": "teacher", "fte": "1",
         "start_date": "2010-09-01", "end_date": ""},
        {"staff_personal_code": STAFF1, "institution": I2, "position": "psychologist", "fte": "0.5",
         "start_date": "2023-09-01", "end_date": "2024-06-30"},
    ],
    "vacancies": [
        {"vacancy_id": "V-2023-001", "institution": I1, "position": "teacher", "opened": "2023-08-15",
         "filled": "2023-09-20"},
        {"vacancy_id": "V-2023-002", "institution": I2, "position": "librarian", "opened": "2023-10-01",
         "filled": ""},
    ],
    "graduates": [
        {"personal_code": C2, "institution": I2, "level": "basic", "destination": "general_secondary"},
        {"personal_code": C1, "institution": I1, "level": "secondary", "destination": "unknown"},
    ],
    "out_of_school": [
        {"child_personal_code": CHILD1, "birth_year": "2012", "declared_municipality": "LV-RIX",
         "status": "long_term_ill", "as_of": "2023-10-01"},
        {"child_personal_code": "32019028596", "birth_year": "2017", "declared_municipality": "LV-067",
         "status": "no_information", "as_of": "2023-10-01"},
    ],
    "declared_children": [
        {"declared_municipality": "LV-RIX", "birth_year": "2017", "children": "5120", "as_of": "2023-07-01"},
        {"declared_municipality": "LV-067", "birth_year": "2017", "children": "412", "as_of": "2023-07-01"},
    ],
    "diagnostics": [
        {"personal_code": C1, "institution": I1, "grade": "3", "domain": "numeracy", "score_pct": "80"},
        {"personal_code": C2, "institution": I1, "grade": "6", "domain": "literacy", "score_pct": "66.6"},
    ],
    "wellbeing": [
        {"respondent_id": "R-0001", "institution": I1, "role": "pupil", "question": "Q1", "answer": "4"},
        {"respondent_id": "R-0002", "institution": I1, "role": "teacher", "question": "Q1", "answer": "5"},
    ],
}
ALL_CODES = [C1, C2, C3, STAFF1, CHILD1, "32019028596", *LEGACY_VALID, *NEW_VALID]


# --- Helpers ---------------------------------------------------------------------------------------


def write_csv(path: Path, rows: Sequence[dict[str, str]], *, header: Sequence[str] | None = None,
              delimiter: str = ",", encoding: str = "utf-8") -> Path:
    header = list(header or rows[0].keys())
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        for row in rows:
            w.writerow([row.get(h, "") for h in header])
    return path


def write_xlsx(path: Path, rows: Sequence[dict[str, object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    header = list(rows[0].keys())
    ws.append(header)
    for row in rows:
        ws.append([row[h] for h in header])
    wb.save(path)
    return path


def run(source: str, path: Path, lake: Path, **kw: object) -> ImportReport:
    kw.setdefault("today", TODAY)
    return import_file(source, path, lake_root=lake, school_year=kw.pop("school_year", YEAR),  # type: ignore[arg-type]
                       known_institutions=INSTITUTIONS, known_programmes=PROGRAMMES, pseudonym_key=KEY,
                       **kw)  # type: ignore[arg-type]


def snapshot(root: Path) -> dict[str, str]:
    """Every file under the lake root with its content hash (what a reader could see or be affected by)."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def codes(report: ImportReport) -> set[tuple[int | None, str | None, str]]:
    return {(e.row, e.column, e.code) for e in report.errors}


def assert_no_clear_codes(root: Path, *texts: str) -> None:
    forms = {c for code in ALL_CODES for c in (code, code.replace("-", ""))}
    for p in root.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            for form in forms:
                assert form.encode() not in data, f"clear personal code in {p}"
            if p.suffix == ".parquet":
                for column in pq.read_table(p).columns:
                    values = {str(v) for v in column.to_pylist()}
                    assert not values & forms, f"clear personal code in a column of {p}"
    for text in texts:
        for form in forms:
            assert form not in text


def bad_file(tmp_path: Path, source: str, change: dict[str, str], row: int = 0, name: str = "bad.csv") -> Path:
    rows = [dict(r) for r in VALID[source]]
    rows[row].update(change)
    return write_csv(tmp_path / name, rows)


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture
def seeded(tmp_path: Path, lake: Path) -> Path:
    """A lake that already holds one absences file (so "unchanged" is tested against real content)."""
    report = run("absences", write_csv(tmp_path / "seed.csv", VALID["absences"]), lake)
    assert report.status == "imported", report.summary_lines()
    return lake


# --- Personal codes and pseudonyms ------------------------------------------------------------------


@pytest.mark.parametrize("code", LEGACY_VALID + NEW_VALID)
def test_domain_test_vectors_are_valid(code: str) -> None:
    assert problems(code, today=TODAY) == []


def test_invalid_codes() -> None:
    assert problems("180565-05611") == [("pc_checksum", "error")]  # wrong check digit
    assert problems("310265-05610") == [("pc_birth_date", "error")]  # 31 February
    assert problems("180565-35610") == [("pc_birth_date", "error")]  # century digit 3
    assert problems("1805650561") == [("pc_format", "error")]
    assert problems("32073120116") == [("pc_checksum_new", "warning")]
    assert problems("32073120116", PersonalCodePolicy(new_code_checksum="error")) == [("pc_checksum_new", "error")]
    assert problems("32073120116", PersonalCodePolicy(new_code_checksum="ignore")) == []
    # 10 → 0 rule: 323106-55350 has remainder 10 and check digit 0
    strict = PersonalCodePolicy(accept_ten_as_zero=False)
    assert problems("061193-06460", strict) == [("pc_checksum", "error")]
    assert problems("061193-06460") == []
    assert problems(legacy_code(datetime.date(2018, 1, 5), 1), today=TODAY) == [("pc_legacy_too_late", "error")]


def test_generated_codes_are_valid() -> None:
    rng = random.Random(7)
    for _ in range(500):
        assert problems(random_legacy_code(rng), today=TODAY) == []
        assert problems(new_code(rng), today=TODAY) == []


def test_sql_checks_agree_with_reference() -> None:
    rng = random.Random(11)
    sample = ["".join(str(rng.randrange(10)) for _ in range(11)) for _ in range(5000)]
    sample += [random_legacy_code(rng) for _ in range(500)] + LEGACY_VALID + NEW_VALID
    sample += ["180565-0561", "18O565-05610", " 180565-05610", "180565--05610", "32-07312-0115"]
    for policy in (PersonalCodePolicy(), PersonalCodePolicy(accept_ten_as_zero=False, new_code_checksum="error")):
        result = check_codes(sample, pseudonym_key=KEY, policy=policy, today=TODAY)
        for code in set(sample):
            expected = sorted(p for p, sev in problems(code, policy, today=TODAY) if sev != "ignore")
            assert sorted(result[code][0]) == expected, code


def test_sql_hmac_is_rfc2104() -> None:
    for key in (b"k", KEY, b"x" * 100):
        ipad, opad = pads(key)
        con = duckdb.connect()
        got = con.execute(f"SELECT {sql_hmac('?')}".replace("?", "'18056505610'"),
                          {"ipad": ipad, "opad": opad}).fetchone()
        assert got is not None and got[0] == pseudonymise("180565-05610", key)


def test_mask() -> None:
    assert mask("180565-05610") == "******-***10"
    assert mask("32073120115") == "******-***15"
    assert mask("abc") == "***"
    assert mask("1234567") == "*****67"


def test_every_message_is_bilingual() -> None:
    for code, (lv, en) in MESSAGES.items():
        assert lv and en and lv != en, code


# --- Valid files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_valid_csv_of_each_source_imports(source: str, tmp_path: Path, lake: Path) -> None:
    path = write_csv(tmp_path / f"{source}.csv", VALID[source])
    report = run(source, path, lake)
    assert report.status == "imported", report.summary_lines()
    assert report.rows == len(VALID[source])
    part = lake / report.part  # type: ignore[operator]
    assert part.parent == lake / source / "school_year=2023-2024" and part.name.startswith("part-")
    table = pq.read_table(part)
    schema = DATASETS[source].schema
    assert [(f.name, f.type) for f in table.schema] == [(f.name, f.type) for f in schema]
    assert table.num_rows == len(VALID[source])
    src = SOURCES[source]
    if src.person is not None:
        ids = table.column(src.person.column.name).to_pylist()
        assert ids == [pseudonymise(r[src.person.name], KEY) for r in VALID[source]]
    manifest = json.loads((lake / source / "manifest.json").read_text())
    assert manifest["files"][0]["rows"] == len(VALID[source])
    assert manifest["files"][0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert_no_clear_codes(lake)


def test_an_optional_column_may_be_absent_from_a_file(tmp_path: Path, lake: Path) -> None:
    """A column added to a dataset later (`optional`: vacancies.subject) is null in the rows of a file of the first
    format, and filled from a file that has it; a required column missing is still an error."""
    base = DATASETS["vacancies"]
    assert base.column("subject").optional
    old = run("vacancies", write_csv(tmp_path / "old.csv", VALID["vacancies"]), lake)
    assert old.status == "imported", old.summary_lines()
    rows = pq.read_table(lake / old.part).to_pylist()  # type: ignore[operator]
    assert [r["subject"] for r in rows] == [None, None]
    assert pq.read_table(lake / old.part).schema.names == [c.name for c in base.columns]  # type: ignore[operator]
    new_rows = [{**r, "vacancy_id": r["vacancy_id"] + "N", "subject": s}
                for r, s in zip(VALID["vacancies"], ["MAT", ""], strict=True)]
    new = run("vacancies", write_csv(tmp_path / "new.csv", new_rows), lake)
    assert new.status == "imported", new.summary_lines()
    assert [r["subject"] for r in pq.read_table(lake / new.part).to_pylist()] == ["MAT", None]  # type: ignore[operator]
    bad = run("vacancies", write_csv(tmp_path / "bad.csv", [{**new_rows[0], "vacancy_id": "X1", "subject": "XYZ"}]),
              lake)
    assert bad.status == "rejected"
    no_opened = [{k: v for k, v in r.items() if k != "opened"} for r in VALID["vacancies"]]
    missing = run("vacancies", write_csv(tmp_path / "missing.csv", no_opened), lake)
    assert missing.status == "rejected" and "missing_columns" in {e.code for e in missing.errors}
    with pytest.raises(ValueError, match="optional column must be nullable"):
        Column("x", pa.string(), "x", optional=True)


def test_staff_profile_columns_import(tmp_path: Path, lake: Path) -> None:
    """staff.birth_year, qualified and subject (optional): a file with them imports them typed."""
    rows = [{**r, "birth_year": y, "qualified": q, "subject": s}
            for r, y, q, s in zip(VALID["staff"], ["1964", ""], ["true", ""], ["MAT", ""], strict=False)]
    report = run("staff", write_csv(tmp_path / "staff.csv", rows), lake)
    assert report.status == "imported", report.summary_lines()
    got = pq.read_table(lake / report.part).to_pylist()  # type: ignore[operator]
    assert [(r["birth_year"], r["qualified"], r["subject"]) for r in got][:2] == [(1964, True, "MAT"),
                                                                                 (None, None, None)]


def test_values_are_typed(tmp_path: Path, lake: Path) -> None:
    report = run("exams", write_csv(tmp_path / "e.csv", VALID["exams"]), lake)
    rows = pq.read_table(lake / report.part).to_pylist()  # type: ignore[operator]
    assert rows[0]["mandatory"] is True and rows[1]["mandatory"] is False
    assert rows[1]["score_pct"] == pytest.approx(72.25)
    report = run("enrolments", write_csv(tmp_path / "en.csv", VALID["enrolments"]), lake)
    rows = pq.read_table(lake / report.part).to_pylist()  # type: ignore[operator]
    assert rows[0]["end_date"] is None and rows[1]["end_date"] == datetime.date(2024, 5, 31)
    assert rows[1]["special"] is True and rows[1]["grade"] == 10


def test_any_source_may_name_its_institutions(tmp_path: Path, lake: Path) -> None:
    """`institution_name` (and `municipality` where names repeat) instead of `institution`, for any source with an
    institution column: here absences, whose personal codes are pseudonymised as usual. Details and the exam
    results files that need it: test_exam_results.py."""
    register = [(I1, "Rīgas 1. pamatskola", "LV-RIX"), (I2, "Ogres pamatskola", "LV-067")]
    named = {I1: "Rīgas 1. pamatskola", I2: "ogres  PAMATSKOLA"}
    rows = [{("institution_name" if k == "institution" else k): (named[v] if k == "institution" else v)
             for k, v in r.items()} for r in VALID["absences"]]
    report = run("absences", write_csv(tmp_path / "a.csv", rows), lake, institution_names=register)
    assert report.status == "imported", report.summary_lines()
    table = pq.read_table(lake / report.part)  # type: ignore[operator]
    assert table.schema.names == DATASETS["absences"].schema.names
    assert table.column("institution").to_pylist() == [I1, I2, I1]
    assert table.column("learner_id").to_pylist() == [pseudonymise(r["personal_code"], KEY) for r in rows]
    before = snapshot(lake)
    rows[1]["institution_name"] = "Ogres vidusskola"
    report = run("absences", write_csv(tmp_path / "b.csv", rows), lake, institution_names=register)
    # Rows 1 and 3 are already in the lake: the key compares the matched registration numbers.
    assert codes(report) == {(2, "institution_name", "unknown_institution_name"),
                             (1, "personal_code", "duplicate_in_lake"), (3, "personal_code", "duplicate_in_lake")}
    assert snapshot(lake) == before
    # A source without an institution column has nothing to name.
    learners = [dict(r, institution_name="Rīgas 1. pamatskola") for r in VALID["learners"]]
    report = run("learners", write_csv(tmp_path / "l.csv", learners), lake, institution_names=register)
    assert codes(report) == {(None, None, "extra_columns")}
    assert_no_clear_codes(lake)


def test_semicolon_csv_with_bom_and_crlf(tmp_path: Path, lake: Path) -> None:
    path = tmp_path / "abs.csv"
    header = list(VALID["absences"][0])
    lines = [";".join(header)] + [";".join(r[h] for h in header) for r in VALID["absences"]]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    report = run("absences", path, lake)
    assert report.status == "imported", report.summary_lines()
    assert report.rows == 3


def test_columns_in_any_order_and_hyphenless_codes(tmp_path: Path, lake: Path) -> None:
    rows = [dict(reversed(list(r.items()))) for r in VALID["absences"]]
    rows[0]["personal_code"] = rows[0]["personal_code"].replace("-", "")
    report = run("absences", write_csv(tmp_path / "a.csv", rows), lake)
    assert report.status == "imported", report.summary_lines()
    ids = pq.read_table(lake / report.part).column("learner_id").to_pylist()  # type: ignore[operator]
    assert ids[0] == pseudonymise(C1, KEY)


def test_xlsx(tmp_path: Path, lake: Path) -> None:
    rows: list[dict[str, object]] = [
        {"personal_code": C1, "institution": int(I1), "date": datetime.date(2023, 9, 5), "semester": 1,
         "lessons": 2.0, "reason": "illness"},
        {"personal_code": C2, "institution": I2, "date": "2024-02-01", "semester": "2", "lessons": 10,
         "reason": "unjustified"},
    ]
    report = run("absences", write_xlsx(tmp_path / "a.xlsx", rows), lake)
    assert report.status == "imported", report.summary_lines()
    table = pq.read_table(lake / report.part)  # type: ignore[operator]
    assert table.column("date").to_pylist() == [datetime.date(2023, 9, 5), datetime.date(2024, 2, 1)]
    assert table.column("institution").to_pylist() == [I1, I2]


def test_xlsx_errors_have_file_row_numbers(tmp_path: Path, lake: Path) -> None:
    rows: list[dict[str, object]] = [dict(r) for r in VALID["grades"]]
    rows[2]["mark"] = 11
    report = run("grades", write_xlsx(tmp_path / "g.xlsx", rows), lake)
    assert codes(report) == {(3, "mark", "out_of_range")}
    assert not lake.exists()


def test_parquet_input(tmp_path: Path, lake: Path) -> None:
    rows = VALID["diagnostics"]
    table = pa.table({
        "personal_code": [r["personal_code"] for r in rows],
        "institution": [r["institution"] for r in rows],
        "grade": pa.array([int(r["grade"]) for r in rows], pa.int32()),
        "domain": [r["domain"] for r in rows],
        "score_pct": pa.array([float(r["score_pct"]) for r in rows], pa.float64()),
    })
    pq.write_table(table, tmp_path / "d.parquet")
    report = run("diagnostics", tmp_path / "d.parquet", lake)
    assert report.status == "imported", report.summary_lines()
    bad = table.set_column(2, "grade", pa.array([3, 5], pa.int32()))
    pq.write_table(bad, tmp_path / "bad.parquet")
    report = run("diagnostics", tmp_path / "bad.parquet", lake)
    # Row 1 is the same record as the file imported above: all errors are listed in one report.
    assert codes(report) == {(2, "grade", "not_allowed"), (1, "personal_code", "duplicate_in_lake")}


def test_reimport_is_a_noop(tmp_path: Path, lake: Path) -> None:
    path = write_csv(tmp_path / "a.csv", VALID["absences"])
    assert run("absences", path, lake).status == "imported"
    before = snapshot(lake)
    again = run("absences", path, lake)
    assert again.status == "already_imported" and again.ok and again.rows == 3
    assert snapshot(lake) == before
    other_year = run("absences", path, lake, school_year="2024/2025")
    assert codes(other_year) == {(None, None, "imported_other_year")}
    assert snapshot(lake) == before


def test_new_code_checksum_is_a_warning(tmp_path: Path, lake: Path) -> None:
    rows = [dict(r) for r in VALID["absences"]]
    rows[2]["personal_code"] = "32073120116"
    path = write_csv(tmp_path / "a.csv", rows)
    report = run("absences", path, lake)
    assert report.status == "imported"
    assert [(w.row, w.code, w.value) for w in report.warnings] == [(3, "pc_checksum_new", "******-***16")]
    strict = run("absences", path, tmp_path / "other-lake", code_policy=PersonalCodePolicy(new_code_checksum="error"))
    assert codes(strict) == {(3, "personal_code", "pc_checksum_new")}


# --- Bad files: right errors, lake unchanged ------------------------------------------------------


def test_wrong_encoding(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    rows = [dict(r) for r in VALID["wellbeing"]]
    rows[1]["question"] = "Jautājums ār garumzīmēm"
    for enc in ("cp1257", "latin-1"):
        if enc == "latin-1":
            rows[1]["question"] = "Question é"
        path = write_csv(tmp_path / f"w-{enc}.csv", rows, encoding=enc)
        report = run("wellbeing", path, seeded)
        assert codes(report) == {(None, None, "encoding")}
        assert "3." in report.errors[0].message_lv and "line 3" in report.errors[0].message_en
    header_path = tmp_path / "h.csv"
    header_path.write_bytes("personal_code;iestāde\n".encode("cp1257"))
    assert codes(run("absences", header_path, seeded)) == {(None, None, "encoding")}
    assert snapshot(seeded) == before


def test_missing_and_extra_columns(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    header = [h for h in VALID["absences"][0] if h != "reason"]
    report = run("absences", write_csv(tmp_path / "m.csv", VALID["absences"], header=header), seeded)
    assert codes(report) == {(None, None, "missing_columns")}
    assert "reason" in report.errors[0].message_en
    header = [*VALID["absences"][0], "comment"]
    report = run("absences", write_csv(tmp_path / "x.csv", VALID["absences"], header=header), seeded)
    assert codes(report) == {(None, None, "extra_columns")}
    rows = [dict(r, learner_id="x") for r in VALID["absences"]]  # the pseudonymous column is not an input
    assert codes(run("absences", write_csv(tmp_path / "y.csv", rows), seeded)) == {(None, None, "extra_columns")}
    assert snapshot(seeded) == before


def test_malformed_and_empty_files(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    path = tmp_path / "m.csv"
    header = ",".join(VALID["absences"][0])
    path.write_text(f"{header}\n{C1},{I1},2023-09-05,1,2,illness\n{C2},{I1},2023-09-05,1,2\n", encoding="utf-8")
    report = run("absences", path, seeded)
    assert codes(report) == {(None, None, "malformed_csv")}
    assert C2 not in report.errors[0].message_en and C2 not in report.errors[0].message_lv
    (tmp_path / "e.csv").write_text("", encoding="utf-8")
    assert codes(run("absences", tmp_path / "e.csv", seeded)) == {(None, None, "empty_file")}
    (tmp_path / "h.csv").write_text(header + "\n", encoding="utf-8")
    assert codes(run("absences", tmp_path / "h.csv", seeded)) == {(None, None, "no_rows")}
    (tmp_path / "a.txt").write_text(header + "\n", encoding="utf-8")
    assert codes(run("absences", tmp_path / "a.txt", seeded)) == {(None, None, "unsupported_format")}
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    assert codes(run("absences", tmp_path / "b.xlsx", seeded)) == {(None, None, "unreadable_xlsx")}
    assert codes(run("nonsense", tmp_path / "h.csv", seeded)) == {(None, None, "unknown_source")}
    assert codes(run("absences", tmp_path / "h.csv", seeded, school_year="2023")) == {(None, None, "bad_school_year")}
    assert snapshot(seeded) == before


def test_invalid_personal_codes(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    rows = [dict(r) for r in VALID["absences"]]
    rows[0]["personal_code"] = "180565-05611"  # check digit
    rows[1]["personal_code"] = "310210-25614"  # 31 February 2010
    rows[2]["personal_code"] = "18056505"  # format
    report = run("absences", write_csv(tmp_path / "a.csv", rows), seeded)
    assert codes(report) == {(1, "personal_code", "pc_checksum"), (2, "personal_code", "pc_birth_date"),
                             (3, "personal_code", "pc_format")}
    assert [e.value for e in report.errors] == ["******-***11", "******-***14", "******05"]
    assert all(e.message_lv and e.message_en for e in report.errors)
    assert snapshot(seeded) == before
    assert_no_clear_codes(seeded, report.to_csv(), "\n".join(report.summary_lines()))


def test_birth_year_must_match_code(tmp_path: Path, lake: Path) -> None:
    report = run("learners", bad_file(tmp_path, "learners", {"birth_year": "2011"}), lake)
    assert codes(report) == {(1, "birth_year", "birth_year_mismatch")}
    assert not lake.exists()


def test_unknown_institution_and_programme(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    report = run("enrolments", bad_file(tmp_path, "enrolments", {"institution": "4000000099",
                                                                "programme_code": "21019999"}), seeded)
    assert codes(report) == {(1, "institution", "unknown_institution"), (1, "programme_code", "unknown_programme")}
    report = run("enrolments", bad_file(tmp_path, "enrolments", {"institution": "400000001"}, row=1), seeded)
    assert codes(report) == {(2, "institution", "bad_registration_number")}
    assert snapshot(seeded) == before


@pytest.mark.parametrize("mark", ["0", "11"])
def test_out_of_range_mark(mark: str, tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    report = run("grades", bad_file(tmp_path, "grades", {"mark": mark}, row=1), seeded)
    assert codes(report) == {(2, "mark", "out_of_range")}
    assert report.errors[0].value == mark
    assert report.errors[0].message_lv == "Vērtībai jābūt robežās no 1 līdz 10."
    assert report.errors[0].message_en == "The value must be between 1 and 10."
    assert snapshot(seeded) == before


def test_types_and_required_values(tmp_path: Path, lake: Path) -> None:
    rows = [dict(r) for r in VALID["exams"]]
    rows[0].update(mandatory="maybe", grade="9.5", score_pct="abc")
    rows[1].update(exam="", institution="")
    report = run("exams", write_csv(tmp_path / "e.csv", rows), lake)
    assert codes(report) == {(1, "mandatory", "not_boolean"), (1, "grade", "not_integer"),
                             (1, "score_pct", "not_number"), (2, "exam", "required"), (2, "institution", "required")}
    report = run("exams", bad_file(tmp_path, "exams", {"score_pct": "100.5", "grade": "10"}), lake)
    assert codes(report) == {(1, "score_pct", "out_of_range"), (1, "grade", "not_allowed")}
    assert not lake.exists()


def test_not_allowed_value(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    report = run("grades", bad_file(tmp_path, "grades", {"course_level": "Advanced"}, row=2), seeded)
    assert codes(report) == {(3, "course_level", "not_allowed")}
    assert report.errors[0].message_en == "Value not allowed. Allowed values: general, advanced."
    assert "Atļautās vērtības" in report.errors[0].message_lv
    assert snapshot(seeded) == before


def test_dates(tmp_path: Path, lake: Path) -> None:
    rows = [dict(r) for r in VALID["absences"]]
    rows[0].update(date="2023-08-31", semester="2")  # before the school year
    rows[1]["date"] = "2024-02-30"  # no such day
    rows[2]["date"] = "15.11.2023"  # not ISO
    report = run("absences", write_csv(tmp_path / "a.csv", rows), lake)
    assert codes(report) == {(1, "date", "date_outside_year"), (2, "date", "not_date"), (3, "date", "not_date")}
    report = run("absences", bad_file(tmp_path, "absences", {"semester": "2"}), lake)
    assert codes(report) == {(1, "semester", "semester_mismatch")}
    report = run("staff", bad_file(tmp_path, "staff", {"end_date": "2023-06-30"}, row=1), lake)
    assert codes(report) == {(2, "end_date", "end_before_start")}
    assert not lake.exists()


def test_cross_checks_and_patterns(tmp_path: Path, lake: Path) -> None:
    report = run("classes", bad_file(tmp_path, "classes", {"combined": "false"}, row=1), lake)
    assert codes(report) == {(2, "combined", "combined_mismatch")}
    report = run("classes", bad_file(tmp_path, "classes", {"grades": "5-6"}, row=1), lake)
    assert codes(report) == {(2, "grades", "bad_grade_list")}
    report = run("learners", bad_file(tmp_path, "learners", {"declared_municipality": "Rīga"}), lake)
    assert codes(report) == {(1, "declared_municipality", "bad_municipality")}
    report = run("wellbeing", bad_file(tmp_path, "wellbeing", {"respondent_id": C1}), lake)
    assert codes(report) == {(1, "respondent_id", "looks_like_personal_code")}
    assert report.errors[0].value == mask(C1)
    assert not lake.exists()


def test_duplicates_within_the_file(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    rows = [{**r, "date": r["date"][:-1] + "8"} for r in VALID["absences"]]  # not in the seeded lake
    rows.append(dict(rows[0], lessons="3"))  # same key, other value
    rows.append(dict(rows[1], personal_code=rows[1]["personal_code"].replace("-", "")))  # same person, no hyphen
    report = run("absences", write_csv(tmp_path / "d.csv", rows), seeded)
    assert codes(report) == {(4, "personal_code", "duplicate_in_file"), (5, "personal_code", "duplicate_in_file")}
    assert "row 1" in report.errors[0].message_en and "1. rindā" in report.errors[0].message_lv
    assert report.errors[0].value is not None and report.errors[0].value.startswith("******-***")
    assert snapshot(seeded) == before


def test_duplicates_in_a_new_lake_leave_nothing(tmp_path: Path, lake: Path) -> None:
    rows = [dict(r) for r in VALID["staff"]]
    rows.append(dict(rows[0], fte="0.5"))
    report = run("staff", write_csv(tmp_path / "s.csv", rows), lake)
    assert codes(report) == {(3, "staff_personal_code", "duplicate_in_file")}
    assert not lake.exists()


def test_duplicates_against_the_lake(tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    rows = [dict(VALID["absences"][1]), {**VALID["absences"][0], "date": "2023-09-06"}]
    report = run("absences", write_csv(tmp_path / "overlap.csv", rows), seeded)
    assert codes(report) == {(1, "personal_code", "duplicate_in_lake")}
    assert "2023/2024" in report.errors[0].message_en
    assert snapshot(seeded) == before
    assert not [p for p in seeded.rglob("*") if p.name.startswith(".tmp-")]
    other_year = run("absences", write_csv(tmp_path / "next.csv", [
        {**VALID["absences"][1], "date": "2025-02-03"}]), seeded, school_year="2024/2025")
    assert other_year.status == "imported"


def test_error_list_is_capped_but_counted(tmp_path: Path, lake: Path) -> None:
    rows = [dict(VALID["absences"][0], date=f"2023-10-{d:02d}", lessons="0") for d in range(1, 31)]
    report = run("absences", write_csv(tmp_path / "a.csv", rows), lake, max_errors=5)
    assert len(report.errors) == 5 and report.error_count == 30 and report.truncated
    assert report.error_counts == {"lessons:out_of_range": 30}
    assert [e.row for e in report.errors] == [1, 2, 3, 4, 5]


def test_row_numbers_follow_the_file_in_a_large_parallel_import(tmp_path: Path, lake: Path) -> None:
    rng = random.Random(3)
    people = [random_legacy_code(rng, first_year=2005, last_year=2015) for _ in range(2000)]
    path = tmp_path / "big.csv"
    bad_rows = {777, 33_333, 59_999}
    with path.open("w", encoding="utf-8") as fh:
        fh.write("personal_code,institution,date,semester,lessons,reason\n")
        day = datetime.date(2023, 9, 1)
        for i in range(1, 60_001):
            lessons = "12" if i in bad_rows else str(1 + i % 9)
            d = day + datetime.timedelta(days=(i // 2000) % 100)
            fh.write(f"{people[i % 2000]},{I1},{d.isoformat()},{1 if d.month >= 9 else 2},{lessons},"
                     f"{['illness', 'justified', 'unjustified'][i % 3]}\n")
    report = run("absences", path, lake, threads=4)
    assert codes(report) == {(r, "lessons", "out_of_range") for r in bad_rows}


# --- Atomicity -------------------------------------------------------------------------------------


def test_crash_before_the_rename_leaves_the_lake_unchanged(tmp_path: Path, seeded: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(seeded)

    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # like an interrupted process, after the temp files are written

    monkeypatch.setattr(lake_io, "commit", crash)
    path = write_csv(tmp_path / "new.csv", [{**VALID["absences"][0], "date": "2023-09-07"}])
    with pytest.raises(KeyboardInterrupt):
        run("absences", path, seeded)
    assert snapshot(seeded) == before  # no temp file left either: the import cleans up
    monkeypatch.undo()
    assert run("absences", path, seeded).status == "imported"


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from analytics.imports import import_file
    when = sys.argv[3]
    real_replace = os.replace

    def replace(src, dst):
        target = str(dst)
        if (when == "part" and target.endswith(".parquet")) or (when == "manifest" and target.endswith(".json")):
            os.kill(os.getpid(), signal.SIGKILL)
        return real_replace(src, dst)

    os.replace = replace
    import_file("absences", Path(sys.argv[1]), lake_root=Path(sys.argv[2]), school_year="2023/2024",
                known_institutions={"4000000001", "4000000002"}, known_programmes=set(),
                pseudonym_key=b"test-pseudonym-key")
""")


@pytest.mark.parametrize("when", ["part", "manifest"])
def test_killed_import(when: str, tmp_path: Path, seeded: Path) -> None:
    before = snapshot(seeded)
    visible_before = sorted(p.name for p in seeded.rglob("*.parquet"))
    path = write_csv(tmp_path / "new.csv", [{**VALID["absences"][0], "date": "2023-09-07"}])
    script = tmp_path / "kill.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(path), str(seeded), when], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, timeout=120,
                          check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    after = snapshot(seeded)
    leftovers = [name for name in after if Path(name).name.startswith(".tmp-")]
    assert leftovers, "the killed process left its temp file"
    assert not [n for n in leftovers if n.endswith(".parquet")]  # readers glob *.parquet: never see it
    if when == "part":
        # Killed before the part's rename: exactly as before, apart from the invisible temp files.
        assert {k: v for k, v in after.items() if k not in leftovers} == before
        assert sorted(p.name for p in seeded.rglob("*.parquet")) == visible_before
    else:
        # Killed between the renames: the part is complete and visible; the manifest is the old one.
        assert after[str(Path("absences") / "manifest.json")] == before[str(Path("absences") / "manifest.json")]
    report = run("absences", path, seeded)  # the next import cleans up (and adopts a committed part)
    assert report.ok and report.status == ("imported" if when == "part" else "already_imported")
    assert not [p for p in seeded.rglob("*") if p.name.startswith(".tmp-")]
    manifest = json.loads((seeded / "absences" / "manifest.json").read_text())
    assert {e["sha256"] for e in manifest["files"]} >= {hashlib.sha256(path.read_bytes()).hexdigest()}
    assert len(list(seeded.rglob("*.parquet"))) == len(visible_before) + 1


def test_lake_wide_cleanup_spares_a_dataset_an_import_is_writing(tmp_path: Path, seeded: Path) -> None:
    """remove_stale_tmp_all removes killed imports' temp files in every dataset, but not those of a
    dataset whose lock is held (an import in progress owns them); visible files are never touched."""
    visible = snapshot(seeded)
    stale = [seeded / "absences" / "school_year=2023-2024" / ".tmp-0123456789abcdef-1-aaaaaaaaaaaa",
             seeded / "absences" / ".tmp-manifest-1-bbbbbbbbbbbb", seeded / ".tmp-stray"]
    (seeded / "grades" / "school_year=2023-2024").mkdir(parents=True)
    live = seeded / "grades" / "school_year=2023-2024" / ".tmp-fedcba9876543210-2-cccccccccccc"
    for path in [*stale, live]:
        path.write_bytes(b"partial")
    with lake_io.dataset_lock(seeded / "grades"):
        removed = lake_io.remove_stale_tmp_all(seeded)
    assert sorted(removed) == sorted(stale)
    assert live.exists() and not any(p.exists() for p in stale)
    assert lake_io.remove_stale_tmp_all(seeded) == [live]  # the lock is free now
    assert snapshot(seeded) == visible
    assert lake_io.remove_stale_tmp_all(tmp_path / "no-lake") == []


# --- Privacy ---------------------------------------------------------------------------------------


def test_no_clear_personal_code_anywhere(tmp_path: Path, lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # DuckDB would spill to ./.tmp if spilling were on
    texts = []
    for source in ("learners", "enrolments", "staff", "out_of_school", "grades"):
        assert run(source, write_csv(tmp_path / f"{source}.csv", VALID[source]), lake).status == "imported"
    for source in ("absences", "learners"):
        rows = [dict(r) for r in VALID[source]]
        rows[0]["personal_code"] = rows[0]["personal_code"][:-1] + "9"
        rows.append(dict(rows[1]))
        report = run(source, write_csv(tmp_path / f"bad-{source}.csv", rows), lake)
        assert report.status == "rejected"
        report_csv = tmp_path / f"report-{source}.csv"
        report.to_csv(report_csv)
        texts += [report_csv.read_text(encoding="utf-8"), "\n".join(report.summary_lines()), repr(report)]
    assert_no_clear_codes(lake, *texts)
    assert not (tmp_path / ".tmp").exists()


# --- Benchmark smoke test --------------------------------------------------------------------------


def test_bench_import_runs(tmp_path: Path) -> None:
    result = bench_import(20_000, tmp_path)
    assert result["rows"] == 20_000
    assert set(result) == {"rows", "import_s", "import_rows_per_s", "csv_to_parquet_s", "csv_to_parquet_rows_per_s",
                           "ratio"}


def test_streaming_mode_for_large_files(tmp_path: Path, lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files too large to hold in memory are read from the file on each pass: same results."""
    from analytics.imports import importer

    monkeypatch.setattr(importer, "_memory_budget", lambda: 0)
    rows = [dict(r) for r in VALID["absences"]]
    rows.append(dict(rows[0], lessons="0"))
    rows.append(dict(rows[1]))
    report = run("absences", write_csv(tmp_path / "bad.csv", rows), lake)
    assert codes(report) == {(4, "lessons", "out_of_range"), (4, "personal_code", "duplicate_in_file"),
                             (5, "personal_code", "duplicate_in_file")}
    report = run("absences", write_csv(tmp_path / "good.csv", VALID["absences"]), lake, progress=True)
    assert report.status == "imported"
    table = pq.read_table(lake / report.part)  # type: ignore[operator]
    assert [(f.name, f.type) for f in table.schema] == [(f.name, f.type) for f in DATASETS["absences"].schema]
    assert table.column("lessons").to_pylist() == [2, 10, 1]


def test_graduates_with_programme_and_field_of_study(tmp_path: Path, lake: Path) -> None:
    """Issue 15: a graduates file may carry the programme completed and the ISCED-F field of further study
    (optional columns); an empty field is null; a field outside 00–10 and an unknown programme are row errors."""
    rows = [{**VALID["graduates"][0], "programme_code": P2, "field": "00"},
            {**VALID["graduates"][1], "programme_code": "", "field": ""}]
    report = run("graduates", write_csv(tmp_path / "g.csv", rows), lake)
    assert report.status == "imported", report.summary_lines()
    got = pq.read_table(lake / report.part).to_pylist()  # type: ignore[operator]
    assert sorted((r["programme_code"], r["field"]) for r in got if r["field"]) == [(P2, "00")]
    assert [(r["programme_code"], r["field"]) for r in got if not r["field"]] == [(None, None)]
    bad = [{**rows[0], "field": "11", "programme_code": "21019999"}]
    rejected = run("graduates", write_csv(tmp_path / "bad.csv", bad), lake)
    assert rejected.status == "rejected"
    assert {(e.column, e.code) for e in rejected.errors} >= {("field", "not_allowed")}
