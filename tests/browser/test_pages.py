"""Browser tests in headless Chromium: real user journeys, and zero axe-core WCAG 2.1 A/AA
violations on the public register, an institution page, the staff register and a decision form,
in Latvian and English."""

import pytest

from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_have_no_axe_violations(page, world, prefix):
    a1 = world["a1"]
    for url in [f"{prefix}/", f"{prefix}/registrs/iestades/", f"{prefix}/registrs/iestades/?municipality=LV-XXX",
                f"{prefix}/registrs/iestades/{a1.registration_number}/", f"{prefix}/registrs/programmas/",
                f"{prefix}/accounts/login/"]:
        page.goto(url)
        assert axe_violations(page) == [], url


def test_staff_pages_have_no_axe_violations(page, world):
    a1 = world["a1"]
    login(page, "officer")
    for url in ["/mani-darbi/", "/en/mani-darbi/", "/staff/", "/staff/institutions/", f"/staff/institutions/{a1.pk}/",
                f"/staff/institutions/{a1.pk}/decide/amend/", "/staff/institutions/new/", "/staff/decisions/",
                "/staff/statistics/", "/accounts/profile/", "/en/staff/institutions/",
                f"/en/staff/institutions/{a1.pk}/decide/amend/"]:
        page.goto(url)
        assert axe_violations(page) == [], url


@pytest.mark.parametrize("username", ["founder-riga", "head-a1", "inspector", "quality"])
def test_each_role_lands_on_my_work_without_axe_violations(page, monitored, username):
    login(page, username)  # waits for "Mani darbi", the start page after sign-in
    assert page.locator("h1").inner_text() == "Mani darbi"
    assert axe_violations(page) == []
    page.goto("/en/mani-darbi/")
    assert axe_violations(page) == []


def test_decision_form_with_errors_is_accessible_and_writes_nothing(page, world):
    a1 = world["a1"]
    login(page, "officer")
    page.goto(f"/staff/institutions/{a1.pk}/decide/amend/")
    page.fill("#id_number", "")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for(state="visible")
    assert "Lēmuma numurs" in summary.inner_text()
    assert axe_violations(page) == []
    from ikms.registry.models import Decision

    assert not Decision.objects.filter(kind="amend").exists()


def test_officer_amends_an_institution_and_sees_its_history(page, world):
    a1 = world["a1"]
    login(page, "officer")
    page.goto("/staff/institutions/?q=Rīgas Testa")
    page.click(f"text={a1.name}")
    page.click("text=Izdarīt grozījumus") if page.locator("text=Izdarīt grozījumus").count() else page.click(
        f"a[href='/staff/institutions/{a1.pk}/decide/amend/']")
    page.select_option("#id_reason", "head")
    page.fill("#id_head_name", "Jānis Ozols")
    page.fill("#id_number", "1-14/2024/77")
    page.fill("#id_date", "2024-09-02")
    page.fill("#id_legal_basis", "MK noteikumi Nr. 397")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/staff/institutions/{a1.pk}/")
    body = page.locator("main").inner_text()
    assert "Jānis Ozols" in body
    assert "1-14/2024/77" in body
    assert "Reģistra ierakstā izdarīti grozījumi" in body  # the event log shows the change in words
    assert "decision.amend" not in body
    a1.refresh_from_db()
    assert a1.head_name == "Jānis Ozols"


def test_anonymous_searches_and_switches_language(page, world):
    page.goto("/registrs/iestades/")
    page.fill("#id_q", "Ogres")
    page.click("main button[type=submit]")
    assert "Ogres Testa vidusskola" in page.locator("main").inner_text()
    assert "Rīgas Testa vidusskola" not in page.locator("main").inner_text()
    page.click("a.govuk-language-navigation__link[lang=en]")
    page.wait_for_url("**/en/registrs/iestades/**")
    assert "Register of educational institutions" in page.locator("h1").inner_text()
