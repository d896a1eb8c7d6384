"""`manage.py import_data`: a good file lands in the lake; a bad one exits with a bilingual error,
writes nothing, and its report masks personal codes."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.imports import pseudonymise
from analytics.imports.personal_code import legacy_code
from ikms.monitoring.management.commands import import_data
from ikms.registry.testing import license_programme, municipal_founder, register_institution

CODE_A = legacy_code(datetime.date(2011, 3, 14), 101)
CODE_B = legacy_code(datetime.date(2009, 12, 1), 202)
HEADER = ["personal_code", "institution", "date", "semester", "lessons", "reason"]


@pytest.fixture
def school(db, officer, settings, tmp_path):
    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    return register_institution(actor=officer, founder=municipal_founder("LV-RIX"))


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def lake_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.django_db
def test_good_file_imports(school, settings, tmp_path):
    path = write(tmp_path / "absences.csv", [
        [CODE_A, school.registration_number, "2023-10-02", "1", "2", "illness"],
        [CODE_B, school.registration_number, "2024-03-04", "2", "6", "unjustified"],
    ])
    out = io.StringIO()
    call_command("import_data", "absences", str(path), "--year", "2023/2024", stdout=out)
    assert "2" in out.getvalue() and "importētas" in out.getvalue()
    lake = Path(settings.IKMS_LAKE_DIR)
    parts = list((lake / "absences" / "school_year=2023-2024").glob("part-*.parquet"))
    assert len(parts) == 1
    import pyarrow.parquet as pq

    key = str(settings.IKMS_PSEUDONYM_KEY).encode()
    assert pq.read_table(parts[0]).column("learner_id").to_pylist() == [pseudonymise(CODE_A, key),
                                                                        pseudonymise(CODE_B, key)]
    manifest = json.loads((lake / "absences" / "manifest.json").read_text())
    assert manifest["files"][0]["rows"] == 2
    again = io.StringIO()
    call_command("import_data", "absences", str(path), "--year", "2023/2024", stdout=again)
    assert "jau importēts" in again.getvalue()
    assert len(list(lake.rglob("*.parquet"))) == 1


@pytest.mark.django_db
def test_bad_file_exits_and_writes_nothing(school, settings, tmp_path):
    path = write(tmp_path / "bad.csv", [
        [CODE_A[:-1] + str((int(CODE_A[-1]) + 1) % 10), school.registration_number, "2023-10-02", "1", "2", "illness"],
        [CODE_B, "4999999999", "2023-10-02", "1", "11", "sick"],
    ])
    report = tmp_path / "report.csv"
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_data", "absences", str(path), "--year", "2023/2024", "--report", str(report),
                     stderr=err)
    assert "nekas netika ierakstīts" in str(exc.value) and "nothing was written" in str(exc.value)
    assert lake_files(Path(settings.IKMS_LAKE_DIR)) == []
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert {(r["row"], r["column"], r["code"]) for r in rows} == {
        ("1", "personal_code", "pc_checksum"), ("2", "institution", "unknown_institution"),
        ("2", "lessons", "out_of_range"), ("2", "reason", "not_allowed")}
    assert all(r["message_lv"] and r["message_en"] for r in rows)
    text = report.read_text(encoding="utf-8") + err.getvalue()
    for code in (CODE_A, CODE_B, CODE_A.replace("-", ""), CODE_B.replace("-", "")):
        assert code not in text
    assert "Reģistrā" in text or "reģistr" in text.lower()


@pytest.mark.django_db
def test_only_licensed_programmes_are_known(school, officer, tmp_path):
    license_programme(actor=officer, institution=school, code="21011111")
    institutions, programmes = import_data.known_registers()
    assert school.registration_number in institutions
    assert programmes == {"21011111"}


@pytest.mark.django_db
def test_year_is_required_and_viis_needs_an_actor(school, tmp_path):
    path = write(tmp_path / "a.csv", [[CODE_A, school.registration_number, "2023-10-02", "1", "2", "illness"]])
    with pytest.raises(CommandError, match="--year"):
        call_command("import_data", "absences", str(path))
    with pytest.raises(CommandError, match="--actor"):
        call_command("import_data", "viis_register", str(path))


def test_production_requires_a_real_key(settings, monkeypatch):
    settings.DEBUG = False
    settings.IKMS_PSEUDONYM_KEY = import_data.DEVELOPMENT_KEY
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.django.production")
    with pytest.raises(CommandError, match="IKMS_PSEUDONYM_KEY"):
        import_data.pseudonym_key()
    settings.IKMS_PSEUDONYM_KEY = "a-real-secret"
    assert import_data.pseudonym_key() == b"a-real-secret"
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.django.test")
    settings.IKMS_PSEUDONYM_KEY = ""
    assert import_data.pseudonym_key() == import_data.DEVELOPMENT_KEY.encode()


@pytest.mark.django_db
def test_viis_register_is_delegated(officer, tmp_path, monkeypatch):
    from ikms.registry import viis

    calls = []

    class Report:
        def summary_lines(self):
            return ["VIIS: ok"]

    def fake(path, *, actor, **kwargs):
        calls.append((path, actor, kwargs))
        return Report()

    monkeypatch.setattr(viis, "import_viis_register", fake)
    out = io.StringIO()
    path = tmp_path / "viis.csv"
    path.write_text("x\n", encoding="utf-8")
    call_command("import_data", "viis_register", str(path), "--actor", officer.username, "--dry-run", stdout=out)
    assert calls == [(path, officer, {"dry_run": True})]
    assert "VIIS: ok" in out.getvalue()


@pytest.mark.django_db
def test_recompute_after_import_covers_only_the_imported_institutions(school, settings, tmp_path, monkeypatch):
    queued = []
    from ikms.monitoring import tasks

    class FakeTask:
        @staticmethod
        def enqueue(year, institutions):
            queued.append((year, institutions))

    monkeypatch.setattr(tasks, "recompute_indicators", FakeTask)
    path = write(tmp_path / "absences.csv", [[CODE_A, school.registration_number, "2023-10-02", "1", "2", "illness"]])
    call_command("import_data", "absences", str(path), "--year", "2023/2024", "--recompute", stdout=io.StringIO())
    assert queued == [("2023/2024", [school.registration_number])]
    # Re-importing the same file changes nothing, so nothing is recomputed.
    call_command("import_data", "absences", str(path), "--year", "2023/2024", "--recompute", stdout=io.StringIO())
    assert len(queued) == 1


@pytest.mark.django_db
def test_published_exam_results_name_their_schools(school, officer, settings, tmp_path):
    """exam_results as published per school: institutions by name (+ municipality, as a name), matched against
    the register the command passes; an unknown name is a row error and nothing is written."""
    import pyarrow.parquet as pq

    header = ["institution_name", "municipality", "exam", "mandatory", "grade", "takers", "mean_score_pct"]
    path = tmp_path / "results.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, [f" {school.name.upper()} ", "Rīga", "LAT", "true", "12", "31", "54.8"]])
    call_command("import_data", "exam_results", str(path), "--year", "2023/2024", stdout=io.StringIO())
    parts = list((Path(settings.IKMS_LAKE_DIR) / "exam_results" / "school_year=2023-2024").glob("*.parquet"))
    assert pq.read_table(parts[0]).column("institution").to_pylist() == [school.registration_number]
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, ["Nav tādas skolas", "", "LAT", "true", "12", "31", "54.8"]])
    before = lake_files(Path(settings.IKMS_LAKE_DIR))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "exam_results", str(bad), "--year", "2023/2024", stderr=err)
    assert "no institution with this name" in err.getvalue()
    assert lake_files(Path(settings.IKMS_LAKE_DIR)) == before
