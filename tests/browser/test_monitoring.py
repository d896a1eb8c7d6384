"""Monitoring journeys in headless Chromium: an analyst finds the riskiest institution and puts it on the
visit plan; a founder sees only its municipality, and finds and exports its three riskiest schools; every
monitoring page has zero axe-core WCAG 2.1 A/AA violations in Latvian and English."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from ikms.monitoring.models import VisitPlanEntry
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def test_analyst_puts_the_riskiest_institution_on_the_visit_plan(page, monitored):
    a1 = monitored["a1"]
    login(page, "analyst")
    page.goto("/monitoring/riski/")
    first = page.locator("ol.ikms-risk-list > li").first
    assert first.get_attribute("data-institution") == a1.registration_number
    assert "R2" in first.inner_text() and "R4" in first.inner_text()
    first.get_by_role("link", name="Iekļaut apmeklējumu plānā").click()
    page.fill("#id_planned_date", (timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.select_option("#id_reason", "risk")
    page.fill("#id_note", "Ilgstoši neattaisnoti kavējumi pieaug")
    page.click("main button[type=submit]")
    page.wait_for_url("**/monitoring/apmeklejumi/")
    assert a1.name in page.locator("main table").inner_text()
    entry = VisitPlanEntry.objects.get(institution=a1)
    assert entry.rules == ["R2", "R4"] and entry.created_by.username == "analyst"
    page.goto("/monitoring/riski/")
    assert "Apmeklējumu plānā" in page.locator("ol.ikms-risk-list > li").first.inner_text()


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


def test_municipal_board_finds_and_exports_its_three_riskiest_schools(page, board):
    riskiest = [board[k] for k in ("a4", "a1", "a3")]
    login(page, "founder-riga")
    page.goto("/monitoring/")
    page.wait_for_url("**/monitoring/pasvaldibas/LV-RIX/")
    page.check("#id_at_risk")
    page.get_by_role("search").get_by_role("button").click()
    page.wait_for_url("**at_risk=on**")
    rows = page.locator("#institutions-table tbody tr")
    assert rows.count() == 3
    assert [rows.nth(i).get_attribute("data-institution") for i in range(3)] == [
        i.registration_number for i in riskiest]
    first = rows.first.inner_text()
    assert "Ilgstoši neattaisnoti kavējumi (R2)" in first and "Pamatojums" in first
    rows.first.locator("summary").click()
    assert "bez attaisnojoša iemesla kavēja" in rows.first.inner_text()
    with page.expect_download() as download:
        page.locator("#institutions-export").get_by_role("link", name="CSV").first.click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert lines[0][:5] == ["Vieta", "Izglītības iestāde", "Izglītības iestādes tips", "Izglītojamie", "Riska punkti"]
    assert [line[1] for line in lines[1:]] == [i.name for i in riskiest]
    assert [line[4] for line in lines[1:]] == ["8", "5", "3"]
    # sorted by a column header, the ranking keeps its ranks; the chart of the scores is drawn
    page.locator("#institutions-table thead").get_by_role("link", name="Izglītojamie").click()
    page.wait_for_url("**sort=learners**")
    assert page.locator("#institutions-table th[aria-sort]").inner_text().startswith("Izglītojamie")
    page.locator("[data-plotly='risk-scores'] svg.main-svg").first.wait_for(state="attached")


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
