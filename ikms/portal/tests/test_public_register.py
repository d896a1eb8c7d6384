"""Anonymous users search the registers, open public pages and export CSV/XLSX; nothing personal
leaks beyond the head's name."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_search_by_name_number_municipality_type_status(client, world):
    a1, b1 = world["a1"], world["b1"]
    page = client.get("/registrs/iestades/?q=Ogres").content.decode()
    assert "Ogres Testa vidusskola" in page and "Rīgas Testa vidusskola" not in page
    page = client.get(f"/registrs/iestades/?q={a1.registration_number}").content.decode()
    assert "Rīgas Testa vidusskola" in page and "Ogres Testa" not in page
    page = client.get("/registrs/iestades/?municipality=LV-067").content.decode()
    assert "Ogres Testa vidusskola" in page and "Rīgas Testa" not in page
    page = client.get("/registrs/iestades/?type=preschool").content.decode()
    assert "Saulīte" in page and "Testa vidusskola" not in page
    page = client.get("/registrs/iestades/?status=liquidated").content.decode()
    assert "Testa vidusskola" not in page
    assert b1.registration_number in client.get("/registrs/iestades/?kind=general").content.decode()


def test_invalid_filter_is_reported_not_crashing(client, world):
    response = client.get("/registrs/iestades/?municipality=LV-XXX")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_institution_public_page(client, world):
    a1 = world["a1"]
    page = client.get(f"/registrs/iestades/{a1.registration_number}/").content.decode()
    assert a1.name in page
    assert "Anna Bērziņa" in page  # the head's name is public register data
    assert world["programme_a"].code in page
    assert "officer" not in page  # who decided is not public
    assert client.get("/registrs/iestades/0000000000/").status_code == 404


def test_csv_export(client, world):
    response = client.get("/registrs/iestades/?municipality=LV-RIX&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Reģistrācijas numurs") or lines[0].startswith("Registration number")
    assert len(lines) == 3  # header + two Riga institutions
    assert "Ogres" not in text


def test_xlsx_export(client, world):
    response = client.get("/en/registrs/iestades/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Registration number"
    assert {r[0] for r in rows[1:]} == {world["a1"].registration_number, world["a2"].registration_number,
                                        world["b1"].registration_number}


def test_programme_search_and_export(client, world):
    page = client.get("/registrs/programmas/?municipality=LV-067").content.decode()
    assert "Ogres Testa vidusskola" in page and "Rīgas Testa vidusskola" not in page
    text = client.get("/registrs/programmas/?format=csv").content.decode("utf-8-sig")
    assert world["programme_a"].licence_number in text
    assert client.get("/registrs/programmas/?level=secondary").content.decode().count("21011111") == 0


def test_public_api_shows_only_public_fields(client, world):
    data = client.get("/api/v1/public/institutions/").json()
    assert data["count"] == 3
    row = data["results"][0]
    assert set(row) == {"registration_number", "name", "type", "municipality", "address", "founder", "status",
                        "head_name", "registered_on", "liquidated_on"}
    assert "id" not in row


def test_public_pages_hide_applications(client, world, officer):
    from ikms.registry import services
    from ikms.registry.choices import DecisionKind
    from ikms.registry.models import InstitutionType
    from ikms.registry.testing import decision_input

    services.institution_application_record(
        actor=officer, decision=decision_input(), kind=DecisionKind.POSTPONE, registration_number="4999999999",
        name="Topošā skola", type=InstitutionType.objects.get(code="basic"), founder=world["riga"],
        municipality=world["riga"].municipality, address="Iela 9")
    assert "Topošā skola" not in client.get("/registrs/iestades/").content.decode()
    assert client.get("/api/v1/public/institutions/?q=Topo").json()["count"] == 0
