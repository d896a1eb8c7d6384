"""A licensing application in the browser, from the head's application through a deficiency round to the licence:
the head applies (a wrong code is refused first); the officer records the checks with a deficiency and sends it
back with a deadline; the head answers; the officer checks again and grants the licence, which the register then
holds. Zero axe-core violations on every page on the way, in Latvian and in English."""

import datetime

import pytest
from django.utils import timezone

from ikms.licensing.models import LicenceApplication
from ikms.registry.models import Programme
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


def _submit(page) -> None:
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def test_from_the_application_through_deficiencies_to_the_licence(page, world, settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    today = timezone.localdate()
    a1 = world["a1"]
    _as(page, "head-a1")
    _check(page, "/mani-darbi/")
    _check(page, "/licencesana/jauns/")
    page.select_option("#id_institution", str(a1.pk))
    page.check("input[name=kind][value=new]")
    page.fill("#id_code", "99999999")
    page.fill("#id_name", "Pamatizglītības programma ar padziļinātu matemātiku")
    page.check("input[name=form][value=full_time]")
    page.fill("#id_address", a1.address)
    page.select_option("#id_municipality", str(a1.municipality.pk))
    _submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    assert axe_violations(page) == []
    page.fill("#id_code", "21011112")
    _submit(page)
    application = LicenceApplication.objects.get()
    base = f"/licencesana/{application.pk}"
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    # The officer finds a deficiency and sends it back.
    _as(page, "officer")
    _check(page, "/licencesana/")
    _check(page, f"{base}/parbaude/")
    for item in ("standards", "premises", "resources"):
        page.check(f"input[name={item}_result][value=meets]")
    page.check("input[name=programme_result][value=deficient]")
    page.fill("#id_programme_note", "Nav pievienots mācību priekšmetu stundu plāns.")
    _submit(page)
    _check(page, f"{base}/trukumi/")
    page.fill("#id_text", "Iesniedziet mācību priekšmetu stundu plānu.")
    due = today + datetime.timedelta(days=14)
    page.fill("#id_due_on_day", str(due.day))
    page.fill("#id_due_on_month", str(due.month))
    page.fill("#id_due_on_year", str(due.year))
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert "Iesniedziet mācību priekšmetu stundu plānu." in page.content()
    # The head answers.
    _as(page, "head-a1")
    _check(page, f"{base}/")
    _check(page, f"/en{base}/")
    _check(page, f"{base}/atbilde/")
    page.fill("#id_text", "Stundu plāns pievienots dokumentiem.")
    _submit(page)
    # The officer checks again and grants the licence.
    _as(page, "officer")
    _check(page, f"{base}/parbaude/")
    for item in ("standards", "programme", "premises", "resources"):
        page.check(f"input[name={item}_result][value=meets]")
    _submit(page)
    _check(page, f"{base}/lemums/")
    page.check("input[name=grant][value=yes]")
    page.fill("#id_number", "2026/L-501")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    application.refresh_from_db()
    assert application.state == "licensed"
    assert Programme.objects.filter(institution=a1, code="21011112", status="licensed").exists()
    _check(page, f"/en{base}/")
    _check(page, "/en/licencesana/")
