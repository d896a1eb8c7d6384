"""Each check on small hand-made data."""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from ikms.crosschecks import checks, services
from ikms.crosschecks.choices import Check, Problem
from ikms.psychologists.choices import WorkArea
from ikms.psychologists.models import Certificate, Psychologist
from ikms.registry.choices import DecisionKind
from ikms.registry.models import ImplementationPlace, Municipality
from ikms.registry.services import accreditation_decide
from ikms.registry.testing import decision_input, license_programme


def _problems(found) -> list[tuple[str, str | None]]:
    return sorted((str(f.problem), f.institution.registration_number if f.institution else None) for f in found)


def _staff_lake(root, rows):
    part = root / "staff" / "school_year=2024-2025"
    part.mkdir(parents=True)
    table = pa.table({
        "staff_id": [r[0] for r in rows], "institution": [r[1] for r in rows], "position": [r[2] for r in rows],
        "fte": pa.array([1.0] * len(rows), pa.float32()),
        "start_date": pa.array([dt.date(2024, 9, 1)] * len(rows), pa.date32()),
        "end_date": pa.array([None] * len(rows), pa.date32()),
    })
    pq.write_table(table, part / "part-0.parquet")


def _psychologist(n: int, *, area=WorkArea.EDUCATIONAL, valid_until=dt.date(2028, 1, 1)) -> None:
    p = Psychologist.objects.create(registration_number=f"P-{n}", first_name="Anna", last_name=f"Ozola {n}",
                                    personal_code_digest=f"d{n}", registered_on=dt.date(2020, 1, 1))
    Certificate.objects.create(psychologist=p, number=f"C-{n}", area=area, issued_on=dt.date(2023, 1, 1),
                               valid_until=valid_until)


@pytest.mark.django_db
def test_psychologists_compared_at_the_level_the_data_allow(world, tmp_path, settings):
    settings.IKMS_LAKE_DIR = tmp_path
    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    # a1: two psychologists (one also works at a2); b1: teachers only
    _staff_lake(tmp_path, [("s1", a1, "psychologist"), ("s2", a1, "psychologist"), ("s1",
                            world["a2"].registration_number, "psychologist"), ("s3", a1, "teacher"),
                           ("s4", b1, "teacher"), ("s5", b1, "head")])
    _psychologist(1)
    _psychologist(2, area=WorkArea.CLINICAL)  # not certified for schools
    _psychologist(3, valid_until=dt.date(2024, 6, 1))  # expired
    today = dt.date(2025, 3, 1)
    found, year = checks.psychologists(today)
    assert year == "2024/2025"
    assert _problems(found) == sorted([("psychologists_over_register", None), ("no_support_staff", b1)])
    national = next(f for f in found if f.institution is None)
    assert "2 " in national.evidence_en and "1 active" in national.evidence_en  # s1 counted once
    _psychologist(4)
    found, _ = checks.psychologists(today)
    assert _problems(found) == [("no_support_staff", b1)]


@pytest.mark.django_db
def test_psychologists_without_staff_data(world, tmp_path, settings):
    settings.IKMS_LAKE_DIR = tmp_path / "none"
    assert checks.psychologists(dt.date(2025, 3, 1)) == ([], "no_staff_data")


@pytest.mark.django_db
def test_places_against_the_institution(world, officer):
    a1, b1 = world["a1"], world["b1"]
    assert checks.places(dt.date(2025, 1, 1)) == []  # each programme is at its institution's address
    riga = Municipality.objects.get(code="LV-RIX")
    # b1 (Ogre): its only place moved to Riga; a1: a second programme without any place
    ImplementationPlace.objects.filter(programme=world["programme_b"]).update(address="Brīvības iela 1, Rīga",
                                                                              municipality=riga)
    second = license_programme(actor=officer, institution=a1, code="31011111")
    second.places.all().delete()
    found = checks.places(dt.date(2025, 1, 1))
    assert _problems(found) == sorted([
        ("place_other_municipality", b1.registration_number),
        ("no_place_at_institution", b1.registration_number),
        ("programme_without_place", a1.registration_number),
    ])


@pytest.mark.django_db
def test_accreditation_ending_with_and_without_an_open_case(world):
    from ikms.accreditation.models import Case

    admin = world["users"]["ikvd_admin"]
    today = timezone.localdate()
    for institution, months in ((world["a1"], 3), (world["b1"], 5), (world["a2"], 8)):
        accreditation_decide(actor=admin, decision=decision_input(dt.date(2020, 1, 1)), institution=institution,
                             kind=DecisionKind.ACCREDITATION_GRANT,
                             valid_until=today + dt.timedelta(days=30 * months))
    Case.objects.create(institution=world["b1"], kind="accreditation", version="2023", state="registered",
                        applied_on=today)
    found = checks.accreditation(today)
    assert _problems(found) == sorted([("accreditation_ending", world["a1"].registration_number),
                                       ("accreditation_ending_case_open", world["b1"].registration_number)])
    assert "/akreditacija/lietas/" in next(f for f in found if f.problem == Problem.ACCREDITATION_ENDING_CASE_OPEN).link


@pytest.mark.django_db
def test_a_run_stores_every_check(world, tmp_path, settings):
    settings.IKMS_LAKE_DIR = tmp_path
    world["programme_a"].places.all().delete()
    run = services.checks_run(actor=world["users"]["analyst"])
    assert set(run.counts) == set(Check.values)
    assert run.counts[Check.PLACES] == 1 and run.findings.get().municipality == world["a1"].municipality
    assert run.notes[Check.PSYCHOLOGISTS] == "no_staff_data"
    from ikms.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="crosschecks.run").count() == 1
    with pytest.raises(Exception, match="IKVD"):
        services.checks_run(actor=world["users"]["founder_riga"])


@pytest.mark.django_db
def test_the_command_and_the_task_store_a_run(world, tmp_path, settings):
    import io

    from django.core.management import call_command

    from ikms.crosschecks.models import CheckRun
    from ikms.crosschecks.tasks import run_checks_task

    settings.IKMS_LAKE_DIR = tmp_path
    out = io.StringIO()
    call_command("crosschecks_run", stdout=out)
    assert "places: 0" in out.getvalue()
    call_command("crosschecks_run", enqueue=True, stdout=io.StringIO())  # the immediate backend in tests
    result = run_checks_task.enqueue()
    assert CheckRun.objects.count() == 3 and CheckRun.objects.filter(pk=result.return_value).exists()
    assert not CheckRun.objects.exclude(started_by=None).exists()  # the system's runs
