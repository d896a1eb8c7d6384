"""Pages of the register of teacher private-practice certificates: the public register (no sign-in, public fields
only, Latvian and English, CSV/XLSX), the staff pages (IKVD staff read, registry officers decide) and their
refusals, with nothing written."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ikms.core.personal_codes import personal_code_digits
from ikms.practice import services
from ikms.practice.choices import AnnulmentReason, EducationKind
from ikms.practice.models import Certificate, CertificateDecision
from ikms.practice.testing import decision, issue, personal_code


@pytest.fixture(autouse=True)
def _lv():
    """Addresses are reversed in Latvian (the language a request activates stays active after it)."""
    with translation.override("lv"):
        yield


@pytest.fixture
def certificates(world, officer):
    code = personal_code()
    valid = issue(actor=officer, code=code, name="Ilze Kalniņa", day=datetime.date(2024, 3, 1))
    adult = issue(
        actor=officer,
        name="Jānis Bērziņš",
        kind=EducationKind.NON_FORMAL,
        programme="Angļu valoda",
        day=datetime.date(2024, 4, 2),
    )
    annulled = issue(actor=officer, name="Dace Ozola", day=datetime.date(2023, 2, 1))
    services.certificate_annul(
        actor=officer,
        decision=decision(datetime.date(2024, 5, 6)),
        certificate=annulled,
        reason=AnnulmentReason.STATE_LANGUAGE,
    )
    return {"valid": valid, "adult": adult, "annulled": annulled, "code": code}


def test_the_public_register_in_both_languages_without_personal_codes(client, certificates):
    lv = client.get("/registrs/privatprakse/").content.decode()
    assert '<html lang="lv"' in lv and "Pedagogu privātprakses sertifikātu reģistrs" in lv
    assert "Ilze Kalniņa" in lv and certificates["valid"].number in lv and "Anulēts (06.05.2024.)" in lv
    en = client.get("/en/registrs/privatprakse/").content.decode()
    assert "Register of teacher private-practice certificates" in en and "Annulled" in en
    digest = certificates["valid"].teacher.personal_code_digest
    for page in (lv, en):
        assert personal_code_digits(certificates["code"]) not in page and digest not in page
    only_adult = client.get("/registrs/privatprakse/?education_kind=non_formal").content.decode()
    assert "Jānis Bērziņš" in only_adult and "Ilze Kalniņa" not in only_adult
    valid_only = client.get("/registrs/privatprakse/?status=valid").content.decode()
    assert "Dace Ozola" not in valid_only and "Ilze Kalniņa" in valid_only


def test_the_public_export(client, certificates):
    text = client.get("/registrs/privatprakse/?format=csv").content.decode("utf-8-sig")
    assert "Sertifikāta numurs" in text and "01.03.2027." in text and "Interešu izglītība" in text
    assert certificates["valid"].teacher.personal_code_digest not in text
    sheet = load_workbook(io.BytesIO(client.get("/en/registrs/privatprakse/?format=xlsx").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Certificate number" and len(rows) == 4


def test_staff_read_and_only_deciders_decide(client, world, certificates):
    valid = certificates["valid"]
    detail = reverse("practice:detail", args=[valid.pk])
    client.force_login(world["users"]["supervision_inspector"])
    page = client.get(detail).content.decode()
    assert "Ilze Kalniņa" in page and valid.decisions.get().number in page
    assert valid.teacher.personal_code_digest not in page
    assert client.get(reverse("practice:issue")).status_code == 403
    assert client.get(reverse("practice:decide", args=[valid.pk, "extend"])).status_code == 403
    client.force_login(world["users"]["head_a1"])
    assert client.get(detail).status_code == 404 and client.get(reverse("practice:list")).status_code == 403
    client.force_login(world["users"]["registry_officer"])
    annulled = certificates["annulled"]
    assert client.get(reverse("practice:decide", args=[annulled.pk, "extend"])).status_code == 404
    found = client.get(reverse("practice:list"), {"personal_code": certificates["code"]}).content.decode()
    assert "Ilze Kalniņa" in found and "Jānis Bērziņš" not in found


def test_an_officer_issues_extends_and_annuls(client, world, officer):
    client.force_login(officer)
    code = personal_code()
    response = client.post(
        reverse("practice:issue"),
        {
            "teacher_name": "Līga Zariņa",
            "personal_code": code,
            "education_kind": "interest",
            "programme_area": "sport",
            "programme_name": "Šahs",
            "number": "PP/2024/7",
            "date_day": "2",
            "date_month": "9",
            "date_year": "2024",
            "legal_basis": "MK 682, 2.1. apakšpunkts",
            "justification": "Atbilst prasībām.",
        },
    )
    certificate = Certificate.objects.get(teacher__name="Līga Zariņa")
    assert response.status_code == 302 and certificate.valid_until == datetime.date(2027, 9, 2)
    assert code not in client.get(response["Location"]).content.decode()
    url = reverse("practice:decide", args=[certificate.pk, "extend"])
    assert "MK 25.10.2016. noteikumi Nr. 682" in client.get(url).content.decode()
    assert (
        client.post(
            url,
            {
                "number": "PP/2024/8",
                "date": "2024-10-01",
                "legal_basis": "MK 682, 2.3.",
                "justification": "Pilnveide apliecināta.",
            },
        ).status_code
        == 302
    )
    certificate.refresh_from_db()
    assert certificate.valid_until == datetime.date(2030, 9, 2)
    url = reverse("practice:decide", args=[certificate.pk, "annul"])
    page = client.post(
        url,
        {"number": "PP/2024/9", "date": "2024-11-01", "legal_basis": "MK 682, 14.3.", "justification": "VVC pārbaude."},
    ).content.decode()
    assert "govuk-error-summary" in page  # no reason chosen
    assert (
        client.post(
            url,
            {
                "number": "PP/2024/9",
                "date": "2024-11-01",
                "legal_basis": "MK 682, 14.3.",
                "justification": "VVC pārbaude.",
                "reason": "state_language",
            },
        ).status_code
        == 302
    )
    certificate.refresh_from_db()
    assert certificate.annulled_on == datetime.date(2024, 11, 1)


def test_a_future_decision_is_refused_on_the_form_and_nothing_is_written(client, world, officer):
    certificate = issue(actor=officer)
    client.force_login(officer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    url = reverse("practice:decide", args=[certificate.pk, "extend"])
    before = CertificateDecision.objects.count()
    page = client.post(
        url, {"number": "X/1", "date": tomorrow.isoformat(), "legal_basis": "MK 682", "justification": ""}
    ).content.decode()
    assert "Lēmuma datums nevar būt nākotnē." in page and "govuk-error-summary" in page
    en = client.post(
        "/en" + url, {"number": "X/1", "date": tomorrow.isoformat(), "legal_basis": "MK 682", "justification": "x"}
    ).content.decode()
    assert "The decision date cannot be in the future." in en
    assert CertificateDecision.objects.count() == before
    certificate.refresh_from_db()
    assert certificate.valid_until == datetime.date(2027, 3, 1)


def test_the_statistics_count_the_year(client, world, certificates):
    client.force_login(world["users"]["analyst"])
    page = client.get("/privatprakse/statistika/?year=2024").content.decode()
    assert "Privātprakses sertifikāti: lēmumi 2024. gadā" in page
    csv = client.get("/privatprakse/statistika/?year=2024&format=csv").content.decode("utf-8-sig").splitlines()
    assert csv[1:] == [
        "Izsniegti sertifikāti (jauni un pagarināti),2",
        '"Pedagogi, kuriem tie izsniegti",2',
        "t. sk. interešu izglītībai,1",
        "t. sk. pieaugušo neformālajai izglītībai,1",
        "Izsniegti no jauna,2",
        "Derīguma termiņa pagarināšana,0",
        "Anulēti sertifikāti,1",
    ]
    assert client.get("/privatprakse/statistika/?year=3000").status_code == 400
