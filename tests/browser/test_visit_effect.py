"""The effect of visits (issue 17, item 4) in the browser: IKVD's national page for inspections and Riga's
founder's page, in Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of
tests/browser/conftest.py), with the chart's table and the verdicts."""

import pytest

from ikms.monitoring.tests.test_visit_effect_views import visited  # noqa: F401 (the fixture)
from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser


def test_visit_effect_page(page, visited):  # noqa: F811
    pages = Pages(page, name="visit-effect")
    names = [visited[k].name for k in ("a1", "b1")]
    as_user(page, "analyst")
    pages.open("/monitoring/vizisu-ietekme/?kind=inspection", *names)
    table = page.locator("#effect").inner_text()
    assert "Uzlabojās vairāk nekā salīdzināmās iestādēs" in table and "Par maz, lai spriestu" in table
    assert page.locator("[data-chart=visit-effect]").count() == 1
    as_user(page, "founder-riga")
    pages.open("/monitoring/vizisu-ietekme/?kind=inspection", *names)
    assert "Šīs pašvaldības apmeklētās iestādes" in page.locator("main").inner_text()
    pages.assert_clean()
