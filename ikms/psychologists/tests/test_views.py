"""The register's pages: the public search shows and exports only the public fields (never the personal code or its
hash) in Latvian and English; the secretariat records through forms whose refusals name the field and write
nothing; IKVD staff read; other users are refused."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.core.models import AuditEvent
from ikms.psychologists import services
from ikms.psychologists.choices import ApplicationKind, DecisionKind, ExamKind, PsychologistStatus, WorkArea
from ikms.psychologists.models import Application, BoardMeeting, Decision, ExamResult, ExamSession, Psychologist
from ikms.psychologists.testing import certified, decision_input, meeting, passed, registered
from ikms.registry.services import DecisionInput

CODE = "180565-05610"


@pytest.fixture(autouse=True)
def _lv():
    with translation.override("lv"):
        yield


@pytest.fixture
def users(db):
    return {
        "officer": make_user(Role.REGISTRY_OFFICER, username="psy-officer"),
        "analyst": make_user(Role.ANALYST, username="psy-analyst"),
        "head": make_user(Role.ACCREDITATION_EXPERT, username="psy-expert"),
    }


@pytest.fixture
def register(users):
    """Ābele (supervisor, educational psychology), Bērziņa (certified, clinical), Kalniņš (registered only,
    suspended with a justification the public does not see)."""
    officer = users["officer"]
    abele = registered(actor=officer, first_name="Ērika", last_name="Ābele", code=CODE, day=dt.date(2019, 3, 4))
    certificate = certified(actor=officer, psychologist=abele, day=dt.date(2022, 5, 10), area=WorkArea.EDUCATIONAL)
    result = passed(
        actor=officer, psychologist=abele, day=dt.date(2023, 4, 3), kind=ExamKind.SUPERVISOR, area=WorkArea.EDUCATIONAL
    )
    sitting = meeting(actor=officer, day=dt.date(2023, 4, 20))
    services.supervisor_rights_grant(
        actor=officer, decision=decision_input(sitting.date), meeting=sitting, exam_result=result
    )
    berzina = registered(actor=officer, first_name="Līga", last_name="Bērziņa", day=dt.date(2020, 3, 2))
    certified(actor=officer, psychologist=berzina, day=dt.date(2023, 6, 1), area=WorkArea.CLINICAL)
    kalnins = registered(actor=officer, first_name="Jānis", last_name="Kalniņš", day=dt.date(2021, 3, 2))
    later = meeting(actor=officer, day=dt.date(2024, 2, 2))
    services.psychologist_status_change(
        actor=officer,
        meeting=later,
        psychologist=kalnins,
        kind=DecisionKind.SUSPEND,
        decision=DecisionInput(
            number="SUSP-1", date=later.date, legal_basis="Psihologu likums", justification="Slepens iemesls"
        ),
    )
    return {"abele": abele, "certificate": certificate, "berzina": berzina, "kalnins": kalnins}


def _digests() -> list[str]:
    return list(Psychologist.objects.values_list("personal_code_digest", flat=True))


def _no_secrets(text: str) -> None:
    for digest in _digests():
        assert digest not in text
    assert CODE not in text and CODE.replace("-", "") not in text


def test_the_public_register_searches_and_shows_only_public_fields(client, register):
    url = reverse("public-psychologists:list")
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Psihologu reģistrs" in text and "Ābele" in text and "Kalniņš" in text
    _no_secrets(text)
    # diacritics and case ignored; certificate number; area of a certificate in force; supervisors only
    assert "Bērziņa" in client.get(url, {"q": "berzina"}).content.decode()
    assert "Ābele" not in client.get(url, {"q": "berzina"}).content.decode()
    by_number = client.get(url, {"q": register["certificate"].number.lower()}).content.decode()
    assert "Ābele" in by_number and "Bērziņa" not in by_number
    clinical = client.get(url, {"area": WorkArea.CLINICAL}).content.decode()
    assert "Bērziņa" in clinical and "Ābele" not in clinical
    supervisors = client.get(url, {"supervisor": "on"}).content.decode()
    assert "Ābele" in supervisors and "Bērziņa" not in supervisors
    suspended = client.get(url, {"status": PsychologistStatus.SUSPENDED}).content.decode()
    assert "Kalniņš" in suspended and "Ābele" not in suspended
    english = client.get("/en" + url).content.decode()
    assert "Register of psychologists" in english and "Educational and school psychology" in english
    assert "Psihologu reģistrs" not in english


def test_the_public_entry_shows_certificates_and_decisions_without_justifications(client, register):
    kalnins = client.get(reverse("public-psychologists:detail", args=[register["kalnins"].registration_number]))
    text = kalnins.content.decode()
    assert kalnins.status_code == 200 and "Darbība apturēta" in text and "SUSP-1" in text
    assert "Slepens iemesls" not in text
    abele = client.get(reverse("public-psychologists:detail", args=[register["abele"].registration_number]))
    text = abele.content.decode()
    assert register["certificate"].number in text and "Izglītības un skolu psiholoģija" in text
    assert "Ir, kopš 20.04.2023." in text
    _no_secrets(text)
    assert client.get(reverse("public-psychologists:detail", args=["P-999"])).status_code == 404


@pytest.mark.parametrize("language", ["lv", "en"])
def test_the_public_exports_carry_public_fields_only(client, register, language):
    prefix = "/en" if language == "en" else ""
    url = prefix + reverse("public-psychologists:list")
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("Reģistrācijas numurs" if language == "lv" else "Registration number")
    assert register["certificate"].number in text and "Ērika Ābele" in text
    assert ("04.03.2019." if language == "lv" else "2019-03-04") in text
    _no_secrets(text)
    xlsx = client.get(url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert len(rows) == 4
    assert any(isinstance(v, dt.datetime) for v in rows[1])  # dates stay dates
    _no_secrets(str(rows))


def test_staff_read_and_the_secretariat_records(client, register, users):
    client.force_login(users["analyst"])
    for name, args in (
        ("psychologists:register", []),
        ("psychologists:detail", [register["abele"].pk]),
        ("psychologists:applications", []),
        ("psychologists:meetings", []),
        ("psychologists:exams", []),
        ("psychologists:statistics", []),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        _no_secrets(response.content.decode())
    assert client.get(reverse("psychologists:meeting-new")).status_code == 403
    assert client.post(reverse("psychologists:meeting-new"), {"number": "Z1"}).status_code == 403
    assert client.get(reverse("psychologists:decide", args=[register["abele"].pk])).status_code == 403
    client.force_login(users["head"])  # not IKVD staff
    assert client.get(reverse("psychologists:register")).status_code == 403
    assert client.get(reverse("psychologists:detail", args=[register["abele"].pk])).status_code == 404


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_a_meeting_with_a_future_date_is_refused_on_the_form_and_nothing_is_written(client, users):
    client.force_login(users["officer"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    before = (BoardMeeting.objects.count(), AuditEvent.objects.count())
    response = client.post(
        reverse("psychologists:meeting-new"), {"number": "2024/1", "agenda": "Iesniegumi", **_date("date", tomorrow)}
    )
    assert response.status_code == 200
    assert "Sēdes datums nevar būt nākotnē." in response.content.decode()
    english = client.post(
        "/en" + reverse("psychologists:meeting-new"),
        {"number": "2024/1", "agenda": "Iesniegumi", **_date("date", tomorrow)},
    )
    assert "The meeting date cannot be in the future." in english.content.decode()
    assert (BoardMeeting.objects.count(), AuditEvent.objects.count()) == before
    response = client.post(
        reverse("psychologists:meeting-new"),
        {"number": "2024/1", "agenda": "Iesniegumi", "remote": "on", **_date("date", dt.date(2024, 3, 5))},
    )
    sitting = BoardMeeting.objects.get(number="2024/1")
    assert response.status_code == 302 and response["Location"] == reverse("psychologists:meeting", args=[sitting.pk])
    assert sitting.remote


def test_an_application_is_recorded_and_decided_through_the_forms(client, users):
    client.force_login(users["officer"])
    sitting = meeting(actor=users["officer"], day=dt.date(2024, 3, 5))
    response = client.post(
        reverse("psychologists:application-new"),
        {
            "kind": ApplicationKind.REGISTRATION,
            **_date("received_on", dt.date(2024, 2, 20)),
            "first_name": "Anna",
            "last_name": "Liepiņa",
            "personal_code": "12345",
            "education": "LU",
        },
    )
    assert "Tas nav derīgs personas kods" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(
        reverse("psychologists:application-new"),
        {
            "kind": ApplicationKind.REGISTRATION,
            **_date("received_on", dt.date(2024, 2, 20)),
            "first_name": "Anna",
            "last_name": "Liepiņa",
            "personal_code": CODE,
            "education": "LU",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("psychologists:application", args=[application.pk])).content.decode()
    assert "Iesniegums ir izskatīšanā." in page
    _no_secrets(page)
    decide = reverse("psychologists:application-decide", args=[application.pk])
    wrong_day = client.post(
        decide,
        {
            "kind": DecisionKind.REGISTER,
            "meeting": sitting.pk,
            "number": "1/1",
            "legal_basis": "Psihologu likums",
            **_date("date", dt.date(2024, 3, 6)),
        },
    )
    assert "Padomes lēmuma datums ir tās sēdes diena (05.03.2024.)." in wrong_day.content.decode()
    assert not Psychologist.objects.exists()
    done = client.post(
        decide,
        {
            "kind": DecisionKind.REGISTER,
            "meeting": sitting.pk,
            "number": "1/1",
            "legal_basis": "Psihologu likums",
            **_date("date", sitting.date),
        },
    )
    assert done.status_code == 302
    psychologist = Psychologist.objects.get()
    assert (psychologist.full_name, psychologist.registered_on) == ("Anna Liepiņa", sitting.date)
    # decided: the decision page sends back to the application
    assert client.get(decide).status_code == 302


def test_exam_results_and_an_entry_decision_through_the_forms(client, users):
    officer = users["officer"]
    client.force_login(officer)
    psychologist = registered(actor=officer)
    session = services.exam_session_record(
        actor=officer, date=dt.date(2024, 4, 10), kind=ExamKind.CERTIFICATION, mode="remote"
    )
    url = reverse("psychologists:exam-result", args=[session.pk])
    unknown = client.post(url, {"registration_number": "P-404", "area": WorkArea.LEGAL, "score": 70})
    assert "Nevienam psihologam nav šāda reģistrācijas numura." in unknown.content.decode()
    response = client.post(
        url, {"registration_number": psychologist.registration_number, "area": WorkArea.LEGAL, "score": 70}
    )
    assert response.status_code == 302
    result = ExamResult.objects.get()
    assert result.passed
    sitting = meeting(actor=officer, day=dt.date(2024, 4, 25))
    decide = reverse("psychologists:decide", args=[psychologist.pk])
    missing = client.post(
        decide,
        {
            "kind": DecisionKind.CERTIFY,
            "meeting": sitting.pk,
            "number": "2/1",
            "legal_basis": "Psihologu likums",
            **_date("date", sitting.date),
        },
    )
    assert "Izvēlieties nokārtotā pārbaudījuma rezultātu" in missing.content.decode()
    done = client.post(
        decide,
        {
            "kind": DecisionKind.CERTIFY,
            "meeting": sitting.pk,
            "exam_result": result.pk,
            "number": "2/1",
            "legal_basis": "Psihologu likums",
            **_date("date", sitting.date),
        },
    )
    assert done.status_code == 302
    assert psychologist.certificates.get().area == WorkArea.LEGAL
    assert Decision.objects.get(number="2/1").exam_result == result
    assert ExamSession.objects.count() == 1


def test_the_figures_of_a_year_and_a_wrong_year(client, register, users):
    client.force_login(users["analyst"])
    page = client.get(reverse("psychologists:statistics"), {"year": 2023}).content.decode()
    assert "Psihologu reģistrs 2023. gadā" in page and "Aktīvie psihologi reģistrā gada beigās" in page
    assert client.get(reverse("psychologists:statistics"), {"year": "abc"}).status_code == 400
    export = client.get(reverse("psychologists:statistics"), {"year": 2023, "format": "csv"})
    assert "Reģistrētie psihologi" in export.content.decode("utf-8-sig")
    english = client.get("/en" + reverse("psychologists:statistics"), {"year": 2023}).content.decode()
    assert "Active psychologists in the register at the end of the year" in english
    assert "Aktīvie psihologi" not in english  # the figures' names follow the page's language
