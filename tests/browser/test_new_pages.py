"""Four staff features, each in one journey as its users walk it in Chromium: courses and events (staff create a
course and an event, an expert enrols, staff mark completion and issue the certificate, the expert downloads it from
"My training"); statements for other authorities (a registry officer records a request, reviews the history found,
issues the statement and downloads the PDF); the cross-register checks (staff run them and read the findings, an
inspector imports an offer list and opens the provider report); the licensing figures (figure 1 and table 8).

Each key page is checked in Latvian at 1280 and 375 px and in English at 1280 px (tests.browser.conftest.Pages): no
axe-core WCAG 2.1 A/AA violation, nothing of the other language, the page no wider than the window."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import Pages, as_user, fill_date, submit

pytestmark = pytest.mark.browser


def _download(page, selector: str) -> bytes:
    with page.expect_download() as info:
        page.click(selector)
    with open(info.value.path(), "rb") as f:
        return f.read()


def test_a_course_from_its_creation_to_the_participants_certificate(page, world, screenshots):
    from ikms.courses.models import Course, Event, Registration

    pages = Pages(page, screenshots, "courses")
    # The expert's user name and the organiser (the form's Latvian default) are shown as they are stored.
    pages.names.update({"expert", "Izglītības kvalitātes valsts dienests"})
    as_user(page, "quality")
    pages.open("/kursi/")
    page.click("main a[href='/kursi/jauns/']")
    pages.check()
    page.fill("#id_name_lv", "Ārējās vērtēšanas metodika")
    page.fill("#id_programme_lv", "Kritēriji un intervijas.")
    page.check("input[name=audiences][value=experts]")
    page.fill("#id_hours", "8")
    submit(page)
    course = Course.objects.get()
    page.wait_for_url(f"**/kursi/{course.pk}/")
    pages.check("Ārējās vērtēšanas metodika", "Kritēriji un intervijas.")
    page.click(f"main a[href='/kursi/{course.pk}/jauns-pasakums/']")
    pages.check("Ārējās vērtēšanas metodika")
    fill_date(page, "starts_on", timezone.localdate() + dt.timedelta(days=7))
    page.fill("#id_place", "Rīga, Vaļņu iela 2")
    page.fill("#id_capacity", "20")
    submit(page)
    event = Event.objects.get()
    page.wait_for_url(f"**/kursi/pasakumi/{event.pk}/")
    pages.check("Ārējās vērtēšanas metodika", "Rīga, Vaļņu iela 2")
    # The expert finds the course meant for experts and enrols.
    as_user(page, "expert")
    pages.open("/kursi/manas-macibas/", "Ārējās vērtēšanas metodika", "Rīga, Vaļņu iela 2")
    page.goto(f"/kursi/pasakumi/{event.pk}/")
    page.click(f"main a[href='/kursi/pasakumi/{event.pk}/pieteikties/']")
    pages.check()
    submit(page)
    registration = Registration.objects.get()
    assert registration.user.username == "expert"
    # The event takes place; staff mark the expert as completed and issue the certificate.
    Event.objects.filter(pk=event.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=2), ends_on=timezone.localdate() - dt.timedelta(days=2)
    )
    as_user(page, "quality")
    page.goto(f"/kursi/pasakumi/{event.pk}/")
    page.click(f"main a[href='/kursi/pasakumi/{event.pk}/apmeklejums/']")
    pages.check()
    page.select_option(f"#id_mark_{registration.pk}", "completed")
    submit(page)
    page.goto(f"/kursi/pasakumi/{event.pk}/")
    page.click(f"main a[href='/kursi/pasakumi/{event.pk}/apliecibas/']")
    pages.check()
    submit(page)
    registration.refresh_from_db()
    assert registration.certificate_number
    page.goto(f"/kursi/pasakumi/{event.pk}/")
    pages.check()
    # The participant downloads the certificate from "My training".
    as_user(page, "expert")
    pages.open("/kursi/manas-macibas/")
    pdf = _download(page, f"main a[href='/kursi/apliecibas/{registration.pk}/']")
    assert pdf.startswith(b"%PDF")
    pages.assert_clean()


def test_a_statement_recorded_reviewed_issued_and_downloaded(page, world, settings, tmp_path, screenshots):
    from ikms.statements.models import Statement, StatementRequest
    from ikms.statements.testing import CODE, tiny_lake

    settings.IKMS_LAKE_DIR = tiny_lake(
        tmp_path / "lake", institution=world["a1"].registration_number, programme=world["programme_a"].code
    )
    pages = Pages(page, screenshots, "statements")
    as_user(page, "officer")
    pages.open("/izzinas/")
    page.click("main a[href='/izzinas/jauns/']")
    pages.check()
    page.fill("#id_authority", "Pilsonības un migrācijas lietu pārvalde")
    page.fill("#id_authority_reference", "PMLP/2025/77")
    fill_date(page, "authority_date", dt.date(2025, 3, 3))
    fill_date(page, "received_on", timezone.localdate())
    page.fill("#id_purpose", "Naturalizācija")
    page.fill("#id_person_name", "Anna Bērziņa")
    page.fill("#id_personal_code", CODE)
    submit(page)
    request = StatementRequest.objects.get()
    page.wait_for_url(f"**/izzinas/{request.pk}/")
    assert world["a1"].name in page.inner_text("main") and CODE not in page.content()
    names = (
        "Anna Bērziņa",
        "Pilsonības un migrācijas lietu pārvalde",
        "Naturalizācija",
        world["a1"].name,
        world["programme_a"].name,
    )
    pages.check(*names)
    submit(page)
    statement = Statement.objects.get()
    assert statement.reference in page.inner_text("main")
    pages.check(*names)
    pdf = _download(page, "#statement-pdf")
    assert pdf.startswith(b"%PDF")
    pages.assert_clean()


def test_cross_register_findings_and_an_offer_list_report(page, world, settings, tmp_path, screenshots):
    from ikms.crosschecks.models import CheckRun, OfferListImport
    from ikms.crosschecks.testing import offer_csv

    settings.IKMS_LAKE_DIR = tmp_path
    world["programme_b"].places.all().delete()  # a licensed programme without a place: a finding in Ogre
    a1, b1 = world["a1"], world["b1"]
    pages = Pages(page, screenshots, "crosschecks")
    as_user(page, "officer")
    pages.open("/savstarpejas-parbaudes/")
    with page.expect_navigation():
        page.click("main form[action='/savstarpejas-parbaudes/izpildit/'] button")
    assert CheckRun.objects.count() == 1
    assert b1.name in page.inner_text("main")
    assert ".." not in page.inner_text("main")  # a Latvian date ends with its own full stop
    pages.check(b1.name, world["programme_b"].name)
    # The inspector imports an offer list: one address is not a place of implementation.
    as_user(page, "inspector")
    pages.open("/savstarpejas-parbaudes/piedavajumi/")
    content = offer_csv(
        [
            (a1.registration_number, "21011111", "Pamatizglītība", a1.address),
            (a1.registration_number, "21011111", "Pamatizglītība", "Cita iela 2"),
        ]
    )
    page.set_input_files("#id_file", {"name": "saraksts.csv", "mimeType": "text/csv", "buffer": content})
    fill_date(page, "checked_on", dt.date(2024, 6, 3))
    submit(page)
    assert OfferListImport.objects.get().mismatches == 1
    pages.check("saraksts.csv", a1.name)
    page.click(f"main a[href='/savstarpejas-parbaudes/piedavajumi/{a1.registration_number}/']")
    assert "Cita iela 2" in page.inner_text("main")
    pages.check(a1.name, a1.address, "Cita iela 2", "Pamatizglītība")
    pages.assert_clean()


def test_the_licensing_figures(page, world, screenshots):
    from ikms.registry import services
    from ikms.registry.choices import LicenceEntryKind
    from ikms.registry.services import PlaceInput
    from ikms.registry.testing import decision_input, register_institution

    officer = world["users"]["registry_officer"]
    day = dt.date(2024, 4, 2)
    for type_code, code in (("preschool", "01015611"), ("music_art_school", "20V21201")):
        school = register_institution(actor=officer, founder=world["riga"], type_code=type_code)
        services.programme_license(
            actor=officer,
            decision=decision_input(day),
            institution=school,
            code=code,
            name="Programma",
            form="full_time",
            places=[PlaceInput(address=school.address, municipality=school.municipality)],
            entry_kind=LicenceEntryKind.NEW_PROGRAMME,
        )
    pages = Pages(page, screenshots, "licensing-figures")
    as_user(page, "analyst")
    pages.open("/staff/statistics/licensing/?year=2024")
    assert page.locator("[data-chart='licensing-figure-1']").count() == 1
    # Whole counts on the value axis, each once (not 0, 0, 0, 1, 1, 1 for ticks at 0.2, 0.4...).
    ticks = page.locator("[data-chart='licensing-figure-1'] .ytick text").evaluate_all(
        "ts => ts.map(t => t.textContent)"
    )
    assert ticks and len(ticks) == len(set(ticks)), ticks
    assert page.locator("#licensing-general").count() == 1 and page.locator("#licensing-vocational").count() == 1
    pages.assert_clean()
