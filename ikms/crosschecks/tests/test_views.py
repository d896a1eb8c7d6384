"""The report page (findings of the latest run, filters, export, run now), the offer-list page and the report per
provider, and who sees what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ikms.crosschecks import services
from ikms.crosschecks.models import CheckRun, OfferListImport
from ikms.crosschecks.testing import import_offer_list, offer_csv


def en(name: str, args=None) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def findings(world, tmp_path, settings):
    """A run with one finding in Riga (a1's programme has no place) and one in Ogre (b1's)."""
    settings.IKMS_LAKE_DIR = tmp_path
    world["programme_a"].places.all().delete()
    world["programme_b"].places.all().delete()
    services.checks_run(actor=None)
    return world


@pytest.mark.django_db
def test_staff_see_every_finding_and_filter_by_municipality(client, findings):
    client.force_login(findings["users"]["analyst"])
    page = client.get(reverse("crosschecks:report")).content.decode()
    assert findings["a1"].name in page and findings["b1"].name in page
    page = client.get(reverse("crosschecks:report"), {"municipality": "LV-067"}).content.decode()
    assert findings["a1"].name not in page and findings["b1"].name in page
    assert reverse("crosschecks:run") in page  # IKVD staff may run the checks now


@pytest.mark.django_db
def test_a_founder_sees_only_its_institutions(client, findings):
    client.force_login(findings["users"]["founder_ogre"])
    page = client.get(reverse("crosschecks:report")).content.decode()
    assert findings["b1"].name in page and findings["a1"].name not in page
    assert reverse("crosschecks:run") not in page
    assert client.post(reverse("crosschecks:run")).status_code == 403


@pytest.mark.django_db
def test_export_csv_and_xlsx(client, findings):
    client.force_login(findings["users"]["quality_expert"])
    response = client.get(en("crosschecks:report"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("Check,Municipality,Institution")
    assert findings["a1"].name in text and "Licensed programme without a place of implementation" in text
    response = client.get(reverse("crosschecks:report"), {"format": "xlsx"})
    assert response.content[:2] == b"PK"


@pytest.mark.django_db
def test_run_now(client, world, tmp_path, settings):
    settings.IKMS_LAKE_DIR = tmp_path
    client.force_login(world["users"]["registry_officer"])
    assert "No findings." in client.get(en("crosschecks:report")).content.decode()
    assert client.get(reverse("crosschecks:run")).status_code == 405
    response = client.post(reverse("crosschecks:run"))
    assert response.status_code == 302
    run = CheckRun.objects.get()
    assert run.started_by == world["users"]["registry_officer"]


@pytest.mark.django_db
def test_offer_list_upload_and_provider_report(client, world):
    inspector = world["users"]["supervision_inspector"]
    a1 = world["a1"]
    client.force_login(inspector)
    content = offer_csv([(a1.registration_number, "21011111", "Pamatizglītība", a1.address),
                         (a1.registration_number, "21011111", "Pamatizglītība", "Cita iela 2")])
    response = client.post(reverse("crosschecks:offer-lists"), {
        "file": SimpleUploadedFile("saraksts.csv", content, content_type="text/csv"),
        "checked_on_day": "3", "checked_on_month": "6", "checked_on_year": "2024"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OfferListImport.objects.get().mismatches == 1
    page = client.get(en("crosschecks:provider-report", args=[a1.registration_number])).content.decode()
    assert "Address is not a place of implementation" in page and "Cita iela 2" in page
    csv = client.get(reverse("crosschecks:provider-report", args=[a1.registration_number]), {"format": "csv"})
    assert "Cita iela 2" in csv.content.decode("utf-8-sig")
    assert client.get(reverse("crosschecks:provider-report", args=["0000000000"])).status_code == 404


@pytest.mark.django_db
def test_a_bad_file_is_shown_on_the_form(client, world):
    client.force_login(world["users"]["supervision_inspector"])
    response = client.post(en("crosschecks:offer-lists"), {
        "file": SimpleUploadedFile("saraksts.csv", b"Kods;Adrese\n1;2\n", content_type="text/csv"),
        "checked_on_day": "3", "checked_on_month": "6", "checked_on_year": "2024"})
    assert response.status_code == 200
    assert "The columns do not match the format" in response.content.decode()
    assert not OfferListImport.objects.exists()


@pytest.mark.django_db
def test_only_inspectors_see_the_import_form(client, world):
    import_offer_list(actor=world["users"]["supervision_inspector"], institution=world["a1"],
                      checked_on=dt.date(2024, 5, 6))
    client.force_login(world["users"]["analyst"])
    page = client.get(reverse("crosschecks:offer-lists")).content.decode()
    assert world["a1"].registration_number in page and 'enctype="multipart/form-data"' not in page
    assert client.post(reverse("crosschecks:offer-lists"), {}).status_code == 403
