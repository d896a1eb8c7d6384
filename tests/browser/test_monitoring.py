"""Monitoring pages in headless Chromium: a founder sees only its municipality; every monitoring page has zero
axe-core WCAG 2.1 A/AA violations in Latvian and English. The analyst's and the municipal board's journeys (risk
list to visit plan; the three riskiest schools exported) are in test_journeys.py."""


import pytest

from ikms.monitoring.models import VisitPlanEntry
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_founder_sees_only_its_municipality(page, monitored):
    login(page, "founder-riga")
    page.goto("/monitoring/")
    page.wait_for_url("**/monitoring/pasvaldibas/LV-RIX/")
    text = page.locator("main").inner_text()
    assert monitored["a1"].name in text and monitored["b1"].name not in text
    response = page.goto(f"/monitoring/iestades/{monitored['b1'].registration_number}/")
    assert response.status == 404
    response = page.goto("/monitoring/pasvaldibas/LV-067/")
    assert response.status == 404


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_monitoring_pages_have_no_axe_violations(page, monitored, prefix):
    a1 = monitored["a1"].registration_number
    login(page, "admin")
    urls = ["/monitoring/valsts/", "/monitoring/pasvaldibas/LV-RIX/",
            "/monitoring/pasvaldibas/LV-RIX/?sort=name&order=asc&at_risk=on", f"/monitoring/iestades/{a1}/",
            f"/monitoring/iestades/{a1}/lieta/", f"/monitoring/raditaji/learners_enrolled/?grain=institution&unit={a1}",
            "/monitoring/raditaji/learners_enrolled/?grain=nation&unit=LV", "/monitoring/riski/",
            f"/monitoring/iestades/{a1}/apmeklejums/", "/monitoring/apmeklejumi/", "/monitoring/kavejumi/",
            "/monitoring/kavejumi/iestades/"]
    for url in urls:
        page.goto(prefix + url)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], prefix + url
    # a form with errors
    page.goto(f"{prefix}/monitoring/iestades/{a1}/apmeklejums/")
    page.fill("#id_planned_date", "2000-01-01")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert axe_violations(page) == []
    assert not VisitPlanEntry.objects.exists()
