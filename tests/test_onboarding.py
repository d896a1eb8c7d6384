"""From an empty system to risk flags by the documented commands alone (docs/howto/load-real-data.md).

A fresh database; the real 2020 VIIS register export from ../shared; small source files written here in the
formats of docs/data/imports.md and docs/data/viis-programmes.md (never through the demo generator). The
test then computes, from its own files, which schools each rule must flag, pass or leave "not evaluated",
and compares that with what the system stored and shows."""

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client

from analytics.imports.personal_code import legacy_code
from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag, RuleNotEvaluated

VIIS = Path(django_settings.IKMS_SHARED_DIR) / "data/real/lv-viis-register-2020/viis_institutions_2020.csv"
# Three real schools of Ogre municipality in the VIIS export.
S = "4313900189"  # Ogres 1. vidusskola: secondary school
G = "4319901137"  # Ogres Valsts ģimnāzija: state gymnasium
B = "4312900194"  # Ogresgala pamatskola: basic school
CURRENT, PREVIOUS = "2023/2024", "2022/2023"


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def code(serial: int) -> str:
    return legacy_code(datetime.date(2006 + serial % 10, 1 + serial % 12, 1 + serial % 27), serial)


#: learners per school: (institution, programme, level, grade by year, class by year)
LEARNERS = {
    S: [code(100 + i) for i in range(6)],
    G: [code(200 + i) for i in range(6)],
    B: [code(300 + i) for i in range(5)],
}


def enrolment_rows(year: str) -> list[list[object]]:
    start = "2023-09-01" if year == CURRENT else "2022-09-01"
    rows = []
    for inst, learners in LEARNERS.items():
        for i, person in enumerate(learners):
            if inst == B:
                rows.append([person, inst, "21011111", "basic", "false", 5 + i % 2, "5-6", start, ""])
            else:
                grade = 12 if year == CURRENT else 11
                rows.append([person, inst, "31011011", "secondary", "false", grade, f"{grade}a", start, ""])
    return rows


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_from_an_empty_system_to_flags(tmp_path, settings, monkeypatch):
    settings.IKMS_LAKE_DIR = tmp_path / "lake"
    # 2. The first administrator and a registry officer.
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-admin-password-2024")
    run("createsuperuser", "--username", "admin", "--email", "admin@example.lv", "--noinput")
    run("grant_role", "admin", "ikvd_admin")
    monkeypatch.setenv("IKMS_USER_PASSWORD", "a-registry-password-2024")
    run("create_user", "registrs", "--email", "registrs@example.lv", "--actor", "admin")
    run("grant_role", "registrs", "registry_officer", "--actor", "admin")

    # 3. The register: the real VIIS export.
    out = run("import_data", "viis_register", str(VIIS), "--actor", "registrs", "--as-of", "2024-06-30")
    assert "2713" in out.replace(" ", "").replace("\u00a0", "") or "2 713" in out

    # 4. The licensed programmes of the three schools.
    programmes = write_csv(tmp_path / "viis_programmes.csv", [
        "Iestādes reģistrācijas numurs", "Programmas kods", "Programmas nosaukums", "Licences numurs",
        "Licences datums", "Licences statuss"], [
        [S, "31011011", "Vispārējās vidējās izglītības programma", "V-9001", "01.09.2019", "Licencēta"],
        [G, "31011011", "Vispārējās vidējās izglītības programma", "V-9002", "01.09.2019", "Licencēta"],
        [B, "21011111", "Pamatizglītības programma", "V-9003", "01.09.2019", "Licencēta"],
    ])
    run("import_data", "viis_programmes", str(programmes), "--actor", "registrs", "--as-of", "2024-06-30")

    # 5. The source files. Enrolments, classes and absences are complete national extracts (--covers all);
    # staff lists came from S and G only (the default: the schools with rows), and no vacancies or exams.
    for year in (PREVIOUS, CURRENT):
        path = write_csv(tmp_path / f"enrolments-{year[:4]}.csv",
                         ["personal_code", "institution", "programme_code", "level", "special", "grade", "class_id",
                          "start_date", "end_date"], enrolment_rows(year))
        run("import_data", "enrolments", str(path), "--year", year, "--covers", "all")
    classes = write_csv(tmp_path / "classes.csv", ["institution", "class_id", "grades", "combined", "learners"], [
        [S, "12a", "12", "false", 6], [G, "12a", "12", "false", 6], [B, "5-6", "5,6", "true", 5]])
    run("import_data", "classes", str(classes), "--year", CURRENT, "--covers", "all")
    truant = LEARNERS[S][0]
    absences = write_csv(tmp_path / "absences.csv",
                         ["personal_code", "institution", "date", "semester", "lessons", "reason"], [
        [truant, S, "2023-10-02", 1, 7, "unjustified"], [truant, S, "2023-10-03", 1, 7, "unjustified"],
        [truant, S, "2023-10-04", 1, 7, "unjustified"], [LEARNERS[G][0], G, "2023-10-02", 1, 2, "illness"]])
    run("import_data", "absences", str(absences), "--year", CURRENT, "--covers", "all")
    staff_header = ["staff_personal_code", "institution", "position", "fte", "start_date", "end_date"]
    for year, fte in ((PREVIOUS, "1.0"), (CURRENT, "0.9")):
        staff = write_csv(tmp_path / f"staff-{year[:4]}.csv", staff_header, [
            [code(400), S, "teacher", "1.0", "2010-09-01", ""], [code(401), S, "psychologist", fte, "2015-09-01", ""],
            [code(402), G, "teacher", fte, "2012-09-01", ""]])
        run("import_data", "staff", str(staff), "--year", year)

    # Last year's centralised exam results as a ministry publishes them: per school, named by name.
    # National mean of MAT_12 = (45 × 20 + 55 × 20) / 40 = 50: S is 10 % below (R5's range is 10–30 %),
    # G 10 % above. The Ogre school resting on 3 takers is suppressed and cannot fire R5.
    exams = write_csv(tmp_path / "exam-results-2022.csv",
                      ["institution_name", "municipality", "exam", "mandatory", "grade", "takers", "mean_score_pct"], [
        ["Ogres 1. vidusskola", "LV-067", "MAT_12", "true", 12, 20, "45"],
        ["Ogres Valsts ģimnāzija", "", "MAT_12", "true", 12, 20, "55"],
        ["Ogres Valsts ģimnāzija", "", "LAT_12", "true", 12, 3, "20"]])
    run("import_data", "exam_results", str(exams), "--year", PREVIOUS)

    # 6. Compute.
    out = run("compute_indicators", "--year", CURRENT)
    assert "R3" in out and "nav novērtētas" in out and "not evaluated" in out

    # What the files say each rule must do (worked out from the rows written above):
    combined = {B}  # R1: at least one combined class
    long_unexcused = {S}  # R2: 21 unexcused lessons > 20 in semester 1, of 6 learners (>= 5)
    no_support_both_years = {G}  # R3: staff received for S and G both years; only S has a psychologist
    exam_shortfall = {S}  # R5: 10 % below the national mean of MAT_12 in 2022/23 (G's LAT_12 rests on 3 takers)
    run_ = ComputationRun.objects.get(school_year=CURRENT, status=ComputationRun.Status.DONE, scope=[])
    flags = {(f.rule, f.institution) for f in RiskFlag.objects.filter(run=run_, institution__in=[S, G, B])}
    assert {i for r, i in flags if r == "R1"} == combined
    assert {i for r, i in flags if r == "R2"} == long_unexcused
    assert {i for r, i in flags if r == "R3"} == no_support_both_years
    assert {i for r, i in flags if r == "R5"} == exam_shortfall
    assert not {i for r, i in flags if r in ("R4", "R6")}  # no vacancies, per-learner exams or marks received
    not_evaluated = {(n.rule, n.institution): n.missing for n in RuleNotEvaluated.objects.filter(
        run=run_, institution__in=[S, G, B])}
    # B sent no staff list: R3 is not evaluated for it (not a pass, not a flag).
    assert not_evaluated[("R3", B)] == [["staff", PREVIOUS], ["staff", CURRENT]]
    # No vacancies were received from anybody: R4 is not evaluated for the three schools.
    assert {i for r, i in not_evaluated if r == "R4"} == {S, G, B}
    # R5 was decided for S and G from the published results; R6 needs per-learner exams and marks.
    assert not {i for r, i in not_evaluated if r == "R5"}
    assert {i for r, i in not_evaluated if r == "R6"} == {S, G, B}
    # Missing is not zero: B's support staff is "no data" (no row), S's is counted.
    support = {v.unit: v.value for v in IndicatorValue.objects.filter(run=run_, indicator="support_staff_active",
                                                                       grain="institution", unit__in=[S, G, B])}
    assert support.get(S) == 1 and support.get(G) == 0 and B not in support
    assert IndicatorValue.objects.get(run=run_, indicator="learners_enrolled", grain="institution", unit=B).value == 5
    assert "vacancy_months" in {s["code"] for s in run_.skipped}  # vacancies were received for nobody

    # 7. The pages: the risk list shows the flags and, per rule, the schools not evaluated and why.
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("an-admin-password-2024")
    client = Client()
    client.force_login(admin)
    page = client.get("/monitoring/riski/", {"year": CURRENT})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ogres 1. vidusskola" in text and "Ogresgala pamatskola" in text
    assert 'id="not-evaluated"' in text and "Personāls" in text
    school = client.get(f"/monitoring/iestades/{B}/", {"year": CURRENT})
    assert school.status_code == 200 and "nav novērtēts" in school.content.decode()
    assert os.path.isdir(settings.IKMS_LAKE_DIR)
