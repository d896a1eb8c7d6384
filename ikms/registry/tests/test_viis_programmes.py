"""The VIIS import of licensed programmes: each licence recorded by a decision, all or nothing, a
re-import changes nothing, XLSX reads like CSV, and afterwards the lake's enrolment import accepts the
programme code."""

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from reversion.models import Version

from analytics.imports.personal_code import legacy_code
from ikms.core.exceptions import PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.registry import services
from ikms.registry.choices import AmendmentReason, DecisionKind, LicenceStatus, ProgrammeForm
from ikms.registry.models import Decision, ImplementationPlace, Municipality, Programme
from ikms.registry.services import DecisionInput
from ikms.registry.testing import decision_input, register_institution
from ikms.registry.viis_programmes import (
    COL_CODE,
    COL_DATE,
    COL_FORM,
    COL_INSTITUTION,
    COL_LICENCE,
    COL_NAME,
    COL_PLACE,
    COL_STATUS,
    ViisProgrammeImportError,
    import_viis_programmes,
)

HEADER = [COL_INSTITUTION, COL_CODE, COL_NAME, COL_LICENCE, COL_DATE, COL_STATUS, COL_PLACE]
AS_OF = datetime.date(2024, 6, 30)
OGRE_PLACE = "SKOLAS IELA 2, OGRE, OGRES NOVADS, LV-5001"


def _write(path: Path, rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ";") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _state() -> tuple[int, int, int, int, int]:
    return (Programme.objects.count(), ImplementationPlace.objects.count(), Decision.objects.count(),
            AuditEvent.objects.count(), Version.objects.count())


@pytest.fixture
def good_rows(world) -> list[list[str]]:
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    return [
        [a1, "31011011", "Vispārējās vidējās izglītības programma", "P-17001", "01.09.2017", "Licencēta", ""],
        [a1, "21011111", "Pamatizglītības programma", "P-17002", "15.05.2019", "Licencēta",
         "BRĪVĪBAS IELA 1, RĪGA, LV-1010"],
        [a1, "21011111", "Pamatizglītības programma", "P-17002", "15.05.2019", "Licencēta", OGRE_PLACE],
        [a2, "01011111", "Pirmsskolas izglītības programma", "P-18003", "2018-03-01", "Zaudējusi spēku", ""],
        [b1, "21015611", "Speciālās pamatizglītības programma", "P-16004", "10.10.2016.", "Anulēta", ""],
    ]


def test_happy_path_records_each_licence_by_a_decision(world, officer, good_rows, tmp_path):
    path = _write(tmp_path / "programmes.csv", good_rows)
    before = Programme.objects.count()
    report = import_viis_programmes(path, actor=officer, as_of=AS_OF)

    assert (report.rows, report.licences, report.created, report.skipped, report.status_changed) == (5, 4, 4, 0, 0)
    assert report.places == 5
    assert report.by_status == {LicenceStatus.LICENSED: 2, LicenceStatus.LAPSED: 1, LicenceStatus.ANNULLED: 1}
    assert Programme.objects.count() == before + 4

    secondary = Programme.objects.get(licence_number="P-17001")
    assert (secondary.institution, secondary.code, secondary.status, secondary.form) == (
        world["a1"], "31011011", LicenceStatus.LICENSED, ProgrammeForm.FULL_TIME)
    assert secondary.licence_date == datetime.date(2017, 9, 1)
    assert [(p.address, p.municipality.code) for p in secondary.places.all()] == [
        (world["a1"].address, world["a1"].municipality.code)]  # no place given: the institution's address
    issue = secondary.decisions.get()
    assert (issue.number, issue.kind, issue.date, issue.decided_by) == (
        "VIIS-P-2024/P-17001", DecisionKind.LICENCE_ISSUE, datetime.date(2017, 9, 1), officer)
    assert issue.legal_basis == "Licencēto izglītības programmu reģistrs (VIIS eksports, 2024)"
    assert "2. rinda" in issue.justification

    two_places = Programme.objects.get(licence_number="P-17002")
    assert [(p.address, p.municipality.code) for p in two_places.places.all()] == [
        ("BRĪVĪBAS IELA 1, RĪGA, LV-1010", "LV-RIX"), (OGRE_PLACE, "LV-067")]
    assert "3, 4. rinda" in two_places.decisions.get().justification

    lapsed = Programme.objects.get(licence_number="P-18003")
    assert (lapsed.status, lapsed.status_changed_on, lapsed.licence_date) == (
        LicenceStatus.LAPSED, AS_OF, datetime.date(2018, 3, 1))
    assert list(lapsed.decisions.order_by("id").values_list("number", "kind", "date")) == [
        ("VIIS-P-2024/P-18003", DecisionKind.LICENCE_ISSUE, datetime.date(2018, 3, 1)),
        ("VIIS-P-2024/P-18003/lapse", DecisionKind.LICENCE_LAPSE, AS_OF)]
    annulled = Programme.objects.get(licence_number="P-16004")
    assert annulled.status == LicenceStatus.ANNULLED
    assert list(annulled.decisions.order_by("id").values_list("kind", flat=True)) == [
        DecisionKind.LICENCE_ISSUE, DecisionKind.LICENCE_ANNUL]

    assert AuditEvent.objects.filter(action="decision.licence_issue").count() >= 4
    assert Version.objects.filter(revision__comment="VIIS-P-2024/P-17002").exists()
    assert any("4" in line and "ierakstītas" in line for line in report.summary_lines())


def test_reimport_changes_nothing_and_a_later_export_records_a_lapse(world, officer, good_rows, tmp_path):
    path = _write(tmp_path / "programmes.csv", good_rows)
    import_viis_programmes(path, actor=officer, as_of=AS_OF)
    state = _state()
    again = import_viis_programmes(path, actor=officer, as_of=AS_OF)
    assert (again.created, again.skipped, again.status_changed) == (0, 4, 0)
    assert _state() == state
    assert import_viis_programmes(path, actor=officer, as_of=datetime.date(2025, 1, 15)).skipped == 4
    assert _state() == state

    later = [list(r) for r in good_rows]
    later[0][5] = "Zaudējusi spēku"
    report = import_viis_programmes(_write(tmp_path / "later.csv", later, delimiter=","), actor=officer,
                                    as_of=datetime.date(2025, 1, 15))
    assert (report.created, report.skipped, report.status_changed) == (0, 3, 1)
    programme = Programme.objects.get(licence_number="P-17001")
    assert (programme.status, programme.status_changed_on) == (LicenceStatus.LAPSED, datetime.date(2025, 1, 15))
    assert programme.decisions.filter(number="VIIS-P-2025/P-17001/lapse", kind=DecisionKind.LICENCE_LAPSE).exists()


def test_dry_run_counts_and_writes_nothing(world, officer, good_rows, tmp_path):
    state = _state()
    report = import_viis_programmes(_write(tmp_path / "p.csv", good_rows), actor=officer, as_of=AS_OF,
                                    dry_run=True)
    assert (report.created, report.places) == (4, 5)
    assert _state() == state
    assert "tiktu ierakstītas / would be recorded: 4" in "\n".join(report.summary_lines())


def test_every_kind_of_bad_row_is_reported_and_nothing_is_written(world, officer, tmp_path):
    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    closed = register_institution(actor=officer, founder=world["riga"], name="Slēgtā skola")
    services.institution_strike_off(actor=officer, decision=decision_input(datetime.date(2022, 6, 1)),
                                    institution=closed)
    lapsed = world["programme_b"]
    services.programme_licence_change(actor=officer, decision=decision_input(datetime.date(2023, 1, 1)),
                                      programme=lapsed, kind=DecisionKind.LICENCE_LAPSE)
    services.institution_amend(  # a decision that already holds the number the import would give P-99
        actor=officer, decision=DecisionInput(number="VIIS-P-2024/P-99", date=datetime.date(2024, 1, 2),
                                              legal_basis="Izglītības likuma 24. pants"),
        institution=world["a2"], reason=AmendmentReason.HEAD, values={"head_name": "Cits"})
    taken = world["programme_a"]
    ok = [a1, "31011011", "Vispārējās vidējās izglītības programma", "P-1", "01.09.2017", "Licencēta", "", ""]
    rows = [
        ok,                                                                                     # row 2: valid
        ["123", "31011011", "Programma", "P-2", "01.09.2017", "Licencēta", "", ""],           # 3
        ["4999999999", "31011011", "Programma", "P-3", "01.09.2017", "Licencēta", "", ""],    # 4
        [closed.registration_number, "31011011", "Programma", "P-4", "01.09.2017", "Licencēta", "", ""],  # 5
        [a1, "3101101", "Programma", "P-5", "01.09.2017", "Licencēta", "", ""],               # 6
        [a1, "99011011", "Programma", "P-6", "01.09.2017", "Licencēta", "", ""],              # 7
        [a1, "31011011", "", "P-7", "01.09.2017", "Licencēta", "", ""],                        # 8
        [a1, "31011011", "Programma", "", "01.09.2017", "Licencēta", "", ""],                  # 9
        [a1, "31011011", "Programma", "P-10", "31.02.2017", "Licencēta", "", ""],              # 10
        [a1, "31011011", "Programma", "P-11", "01.01.2999", "Licencēta", "", ""],              # 11
        [a1, "31011011", "Programma", "P-12", "01.07.2024", "Licencēta", "", ""],              # 12
        [a1, "31011011", "Programma", "P-13", "01.09.2017", "Apturēta", "", ""],               # 13
        [a1, "31011011", "Programma", "P-14", "01.09.2017", "Licencēta", "", "vakara"],        # 14
        ok,                                                                                     # 15: duplicate
        [a1, "21011111", "Vispārējās vidējās izglītības programma", "P-1", "01.09.2017", "Licencēta", "", ""],  # 16
        [taken.institution.registration_number, taken.code, "Cits nosaukums", taken.licence_number,
         f"{taken.licence_date:%d.%m.%Y}", "Licencēta", "", ""],                                # 17
        [b1, lapsed.code, lapsed.name, lapsed.licence_number, f"{lapsed.licence_date:%d.%m.%Y}", "Licencēta",
         "", ""],                                                                               # 18
        [a1, "31011011", "Programma", "P-99", "01.09.2017", "Licencēta", "", ""],              # 19
        [a1, "31011011", "Programma", "P-20", "01.09.2017", "Licencēta", "", "", "lieks"],     # 20
    ]
    path = _write(tmp_path / "bad.csv", rows, header=[*HEADER, COL_FORM])
    state = _state()
    with pytest.raises(ViisProgrammeImportError) as exc:
        import_viis_programmes(path, actor=officer, as_of=AS_OF)
    found = {(e.row, e.column, e.code) for e in exc.value.report.errors}
    assert found == {
        (3, COL_INSTITUTION, "registration_number"),
        (4, COL_INSTITUTION, "unknown_institution"),
        (5, COL_INSTITUTION, "institution_not_registered"),
        (6, COL_CODE, "programme_code"),
        (7, COL_CODE, "programme_code"),
        (8, COL_NAME, "empty"),
        (9, COL_LICENCE, "empty"),
        (10, COL_DATE, "date"),
        (11, COL_DATE, "future_date"),
        (12, COL_DATE, "after_as_of"),
        (13, COL_STATUS, "unknown_status"),
        (14, COL_FORM, "unknown_form"),
        (15, COL_LICENCE, "duplicate_row"),
        (16, COL_LICENCE, "licence_conflict"),
        (17, COL_LICENCE, "exists_different"),
        (18, COL_STATUS, "status_conflict"),
        (19, COL_LICENCE, "decision_exists"),
        (20, "—", "extra_cells"),
    }
    assert all(e.message_lv and e.message_en and e.message_lv != e.message_en for e in exc.value.report.errors)
    by_row = {e.row: e for e in exc.value.report.errors}
    assert "8 characters" in by_row[6].message_en and "8 rakstzīmēm" in by_row[6].message_lv
    assert "2. rindā" in by_row[16].message_lv and COL_CODE in by_row[16].message_en
    assert COL_NAME in by_row[17].message_en
    assert "Liquidated" in by_row[5].message_en and "Likvidēta" in by_row[5].message_lv
    assert "“Lapsed”" in by_row[18].message_en and "„Zaudējusi spēku”" in by_row[18].message_lv
    assert _state() == state
    assert not Programme.objects.filter(licence_number="P-1").exists()
    assert "nothing was written" in exc.value.report.summary_lines()[2]


def test_future_as_of_is_refused(world, officer, good_rows, tmp_path):
    state = _state()
    with pytest.raises(ViisProgrammeImportError) as exc:
        import_viis_programmes(_write(tmp_path / "p.csv", good_rows), actor=officer,
                               as_of=timezone.localdate() + datetime.timedelta(days=30))
    assert {e.code for e in exc.value.report.errors} == {"future_date"}
    assert _state() == state


def test_column_mismatch_lists_missing_and_unexpected_columns(world, officer, tmp_path):
    header = [c for c in HEADER if c != COL_STATUS] + ["Kaut kas"]
    path = _write(tmp_path / "cols.csv", [[world["a1"].registration_number, "31011011", "P", "P-1",
                                           "01.09.2017", "", "x"]], header=header)
    with pytest.raises(ViisProgrammeImportError) as exc:
        import_viis_programmes(path, actor=officer, as_of=AS_OF)
    [error] = exc.value.report.errors
    assert error.code == "columns" and error.row == 1
    for message in (error.message_lv, error.message_en):
        assert COL_STATUS in message and "Kaut kas" in message
    assert "Trūkst: Licences statuss" in error.message_lv and "Unexpected: Kaut kas" in error.message_en

    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_data", "viis_programmes", str(path), "--actor", officer.username, stderr=err)
    assert "Licences statuss" in err.getvalue() and "Kaut kas" in err.getvalue()


def test_xlsx_reads_like_csv(world, officer, tmp_path):
    a2 = world["a2"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f" {COL_INSTITUTION} ", COL_CODE.upper(), COL_NAME, COL_LICENCE, COL_DATE, COL_STATUS])
    # a registration number and a code typed as numbers (the code's leading zero lost), a date cell
    ws.append([int(a2.registration_number), 1011111, "Pirmsskolas izglītības programma", "X-1",
               datetime.datetime(2019, 4, 2), "licencēta"])  # noqa: DTZ001 -- Excel cells have no time zone
    ws.append([None] * 6)
    ws.append([a2.registration_number, "01011112", "Vispārējās pirmsskolas programma", "X-2", "02.04.2019.",
               "Licencēta"])
    path = tmp_path / "programmes.xlsx"
    wb.save(path)
    report = import_viis_programmes(path, actor=officer, as_of=AS_OF)
    assert (report.rows, report.created) == (2, 2)
    first = Programme.objects.get(licence_number="X-1")
    assert (first.code, first.institution, first.licence_date) == ("01011111", a2, datetime.date(2019, 4, 2))
    assert first.decisions.get().number == "VIIS-P-2024/X-1"
    assert import_viis_programmes(path, actor=officer, as_of=AS_OF).skipped == 2


def test_unsupported_and_unreadable_files(world, officer, tmp_path):
    text = tmp_path / "p.txt"
    text.write_text("x", encoding="utf-8")
    broken = tmp_path / "p.xlsx"
    broken.write_bytes(b"not a zip")
    latin = tmp_path / "p.csv"
    latin.write_bytes(";".join(HEADER).encode() + b"\n4000000001;31011011;Programma \xe2;P;01.01.2020;L;\n")
    for path, code in ((text, "unsupported_format"), (broken, "unreadable_xlsx"), (latin, "encoding")):
        with pytest.raises(ViisProgrammeImportError) as exc:
            import_viis_programmes(path, actor=officer, as_of=AS_OF)
        assert [e.code for e in exc.value.report.errors] == [code]


def test_only_register_deciders_may_import(world, good_rows, tmp_path):
    path = _write(tmp_path / "p.csv", good_rows)
    for who in ("analyst", "founder_riga", "no_role"):
        with pytest.raises(PermissionDeniedError):
            import_viis_programmes(path, actor=world["users"][who], as_of=AS_OF)
    assert import_viis_programmes(path, actor=world["users"]["ikvd_admin"], as_of=AS_OF).created == 4


def test_place_municipality_falls_back_to_the_institution_with_a_note(world, officer, tmp_path):
    b1 = world["b1"]
    path = _write(tmp_path / "p.csv", [[b1.registration_number, "31011011", "Programma", "N-1", "01.09.2020",
                                        "Licencēta", "Meža iela 3"]])
    report = import_viis_programmes(path, actor=officer, as_of=AS_OF)
    assert [n.code for n in report.notes] == ["place_municipality"]
    place = Programme.objects.get(licence_number="N-1").places.get()
    assert (place.address, place.municipality) == ("Meža iela 3", Municipality.objects.get(code="LV-067"))


# --- Through the command, then the lake's enrolment import --------------------------------------

ENROLMENT_HEADER = ["personal_code", "institution", "programme_code", "level", "special", "grade", "class_id",
                    "start_date", "end_date"]


def test_command_then_enrolments_accept_the_programme_code(world, officer, good_rows, settings, tmp_path):
    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    a1 = world["a1"].registration_number
    enrolments = tmp_path / "enrolments.csv"
    with enrolments.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ENROLMENT_HEADER)
        writer.writerow([legacy_code(datetime.date(2007, 3, 14), 101), a1, "31011011", "secondary", "false", "11",
                         "11.a", "2023-09-01", ""])
        writer.writerow([legacy_code(datetime.date(2007, 5, 2), 202), a1, "31011011", "secondary", "false", "11",
                         "11.a", "2023-09-01", ""])
    refused = tmp_path / "refused.csv"
    with pytest.raises(CommandError):
        call_command("import_data", "enrolments", str(enrolments), "--year", "2023/2024", "--report", str(refused),
                     stderr=io.StringIO())
    assert {r["code"] for r in csv.DictReader(refused.open(encoding="utf-8"))} == {"unknown_programme"}

    path = _write(tmp_path / "programmes.csv", good_rows)
    with pytest.raises(CommandError, match="--actor"):
        call_command("import_data", "viis_programmes", str(path))
    dry = io.StringIO()
    call_command("import_data", "viis_programmes", str(path), "--actor", officer.username, "--as-of",
                 AS_OF.isoformat(), "--dry-run", stdout=dry)
    assert "would be recorded: 4" in dry.getvalue()
    assert not Programme.objects.filter(licence_number="P-17001").exists()
    out = io.StringIO()
    call_command("import_data", "viis_programmes", str(path), "--actor", officer.username, "--as-of",
                 AS_OF.isoformat(), stdout=out)
    assert "ierakstītas / recorded: 4" in out.getvalue()
    assert Programme.objects.get(licence_number="P-17001").code == "31011011"

    accepted = io.StringIO()
    call_command("import_data", "enrolments", str(enrolments), "--year", "2023/2024", stdout=accepted)
    assert "importētas" in accepted.getvalue()
    assert list((Path(settings.IKMS_LAKE_DIR) / "enrolments").rglob("part-*.parquet"))
