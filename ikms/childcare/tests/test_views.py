"""Pages of the register of child supervision providers: the public register (no sign-in, public fields only, in
Latvian and English, CSV/XLSX), the staff pages (IKVD staff read, registry officers write) and their refusals."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from ikms.childcare import services
from ikms.childcare.choices import ProviderKind, ProviderStatus, RefusalReason, RemovalReason
from ikms.childcare.models import Provider, ProviderDecision
from ikms.childcare.testing import apply, decision, personal_code, registered
from ikms.core.personal_codes import personal_code_digits


@pytest.fixture(autouse=True)
def _lv():
    """Addresses are reversed in Latvian (the language a request activates stays active after it)."""
    with translation.override("lv"):
        yield


@pytest.fixture
def register(world, officer):
    """A registered nanny (with her code), a registered company later removed, an application and a refusal."""
    code = personal_code()
    nanny = registered(actor=officer, code=code, name="Līga Ozola")
    company = registered(
        actor=officer,
        kind=ProviderKind.LEGAL,
        name="SIA “Pūcīte”",
        municipality="LV-067",
        day=datetime.date(2024, 3, 5),
    )
    services.provider_remove(
        actor=officer, decision=decision(datetime.date(2024, 10, 1)), provider=company, reason=RemovalReason.LIQUIDATED
    )
    waiting = apply(actor=officer, name="Inese Vītola")
    refused = apply(actor=officer, name="Dace Krūmiņa")
    services.provider_refuse(actor=officer, decision=decision(), provider=refused, reason=RefusalReason.DOCUMENTS)
    return {"nanny": nanny, "code": code, "company": company, "waiting": waiting, "refused": refused}


def test_the_public_register_shows_registered_and_removed_providers_in_both_languages(client, register):
    lv = client.get("/registrs/bernu-uzraudziba/").content.decode()
    assert '<html lang="lv"' in lv and "Bērnu uzraudzības pakalpojuma sniedzēju reģistrs" in lv
    assert "Līga Ozola" in lv and "SIA “Pūcīte”" in lv and "Izslēgts no reģistra" in lv
    assert "Inese Vītola" not in lv and "Dace Krūmiņa" not in lv  # applications and refusals are not public
    en = client.get("/en/registrs/bernu-uzraudziba/").content.decode()
    assert "Register of child supervision providers" in en and "Removed from the register" in en
    assert "Bērnu uzraudzības pakalpojuma sniedzēju reģistrs" not in en
    nanny = register["nanny"]
    page = client.get(f"/registrs/bernu-uzraudziba/{nanny.registration_number}/").content.decode()
    assert nanny.addresses.get().address in page and "01.03.2024." in page
    for p in (lv, en, page):
        assert personal_code_digits(register["code"]) not in p and nanny.personal_code_digest not in p
    assert client.get("/registrs/bernu-uzraudziba/BU-1999-0001/").status_code == 404


def test_the_public_search_filters_by_public_fields(client, register):
    def names(query: str) -> str:
        return client.get(f"/registrs/bernu-uzraudziba/?{query}").content.decode()

    assert "SIA “Pūcīte”" in names("municipality=LV-067") and "Līga Ozola" not in names("municipality=LV-067")
    assert "Līga Ozola" in names("q=ozola") and "SIA “Pūcīte”" not in names("q=ozola")
    assert "SIA “Pūcīte”" not in names("status=registered")
    assert "Līga Ozola" in names(f"q={register['nanny'].registration_number}")
    assert "Līga Ozola" not in names("registered_from=2024-03-02")
    # a personal code is no public search field: the parameter is ignored
    assert "SIA “Pūcīte”" in names(f"personal_code={register['code']}")


def test_the_public_export_has_only_public_fields(client, register):
    csv = client.get("/registrs/bernu-uzraudziba/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "BU-2024-0001" in text and "Līga Ozola" in text and "01.03.2024." in text
    assert register["nanny"].personal_code_digest not in text and "Inese Vītola" not in text
    xlsx = client.get("/en/registrs/bernu-uzraudziba/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Registration number" and len(rows) == 3


def test_ikvd_staff_read_and_others_do_not(client, world, register):
    nanny = register["nanny"]
    detail = reverse("childcare:detail", args=[nanny.pk])
    client.force_login(world["users"]["analyst"])
    page = client.get(detail).content.decode()
    assert "Līga Ozola" in page and nanny.decisions.get().number in page and "Reģistrēts" in page
    assert nanny.personal_code_digest not in page
    assert "Reģistrēt iesniegumu" not in client.get(reverse("childcare:list")).content.decode()
    assert client.get(reverse("childcare:apply")).status_code == 403
    assert client.get(reverse("childcare:decide", args=[nanny.pk, "amend"])).status_code == 403
    client.force_login(world["users"]["founder_riga"])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("childcare:list")).status_code == 403
    client.logout()
    assert client.get(detail).status_code == 302


def test_staff_find_a_person_by_the_personal_code(client, world, register):
    client.force_login(world["users"]["quality_expert"])
    found = client.get(reverse("childcare:list"), {"personal_code": register["code"]}).content.decode()
    assert "Līga Ozola" in found and "Atrasts 1 sniedzējs" in found
    wrong = client.get(reverse("childcare:list"), {"personal_code": "12345"}).content.decode()
    assert "Ievadiet personas kodu" in wrong


def test_an_officer_records_an_application_and_registers_it(client, world, officer):
    client.force_login(officer)
    code = personal_code()
    response = client.post(
        reverse("childcare:apply"),
        {
            "kind": "natural",
            "name": "Zane Liepa",
            "personal_code": code,
            "service_type": "full_time",
            "address": "Ezera iela 3, Jūrmala",
            "municipality": world["a1"].municipality.pk,
            "application_number": "2-7/1043",
            "applied_on_day": "4",
            "applied_on_month": "3",
            "applied_on_year": "2024",
        },
    )
    provider = Provider.objects.get(name="Zane Liepa")
    assert response.status_code == 302 and response["Location"] == reverse("childcare:detail", args=[provider.pk])
    assert provider.applied_on == datetime.date(2024, 3, 4)
    page = client.get(response["Location"]).content.decode()
    assert personal_code_digits(code) not in page and code not in page
    url = reverse("childcare:decide", args=[provider.pk, "register"])
    form = client.get(url).content.decode()
    assert "MK 16.07.2013. noteikumi Nr. 404" in form  # the legal basis is pre-filled
    response = client.post(
        url,
        {
            "number": "2-7/1100",
            "date": "2024-03-20",
            "legal_basis": "MK 404, 20. punkts",
            "justification": "Atbilst prasībām.",
        },
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.REGISTERED and provider.registration_number == "BU-2024-0001"
    assert client.get(url).status_code == 404  # a registered entry has no "register" decision any more


def test_a_decision_in_the_future_or_without_justification_is_refused_on_the_form(client, world, officer):
    provider = apply(actor=officer)
    client.force_login(officer)
    url = reverse("childcare:decide", args=[provider.pk, "register"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page = client.post(
        url, {"number": "1/1", "date": tomorrow.isoformat(), "legal_basis": "MK 404", "justification": ""}
    ).content.decode()
    assert "Lēmuma datums nevar būt nākotnē." in page and "govuk-error-summary" in page
    en = client.post(
        "/en" + url, {"number": "1/1", "date": tomorrow.isoformat(), "legal_basis": "MK 404", "justification": ""}
    ).content.decode()
    assert "The decision date cannot be in the future." in en
    assert not ProviderDecision.objects.exists()
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.APPLICATION


def test_a_removal_needs_a_reason(client, world, officer):
    provider = registered(actor=officer)
    client.force_login(world["users"]["ikvd_admin"])
    url = reverse("childcare:decide", args=[provider.pk, "remove"])
    page = client.post(
        url,
        {
            "number": "1/2",
            "date": "2024-05-01",
            "legal_basis": "MK 404",
            "justification": "Pakalpojums netiek sniegts.",
        },
    ).content.decode()
    assert "govuk-error-summary" in page
    assert (
        client.post(
            url,
            {
                "number": "1/2",
                "date": "2024-05-01",
                "legal_basis": "MK 404",
                "reason": "ceased",
                "justification": "Pakalpojums netiek sniegts.",
            },
        ).status_code
        == 302
    )
    provider.refresh_from_db()
    assert provider.status == ProviderStatus.REMOVED


def test_the_statistics_count_the_year_as_table_4(client, world, register):
    client.force_login(world["users"]["analyst"])
    page = client.get(reverse("childcare:statistics"), {"year": 2024}).content.decode()
    assert "Bērnu uzraudzības pakalpojuma sniedzēji: lēmumi 2024. gadā" in page
    csv = client.get(reverse("childcare:statistics"), {"year": 2024, "format": "csv"}).content.decode("utf-8-sig")
    lines = csv.splitlines()
    # the columns of table 4, in the report's order
    assert lines[1:] == [
        "Izslēgti no reģistra,0,1,1",
        "Ieraksti grozīti vai papildināti,0,0,0",
        "Reģistrēti,1,1,2",
        "Reģistrācija atteikta,1,0,1",
    ]
    assert client.get(reverse("childcare:statistics"), {"year": "divi"}).status_code == 400
