"""The monitoring tools of issue 15 in headless Chromium: each tool's main page as IKVD and as a founder (scoped),
Latvian and English at 1280 px and Latvian at 375 px (tests/browser/conftest.py `Pages`): one h1, axe-clean,
nothing wider than the screen, no text in the other language. One test per tool; other tools append theirs."""

import pytest
from django.core.cache import cache

from ikms.monitoring.international import DEMO_FILE, import_international_results
from ikms.monitoring.testing import store_run
from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser

YEAR = "2023/2024"


def _diagnostic_values(world) -> list[dict]:
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    riga, ogre = world["a1"].municipality.code, world["b1"].municipality.code
    rows = []
    for grain, unit, n in (("institution", a1, 20), ("institution", a2, 3), ("institution", b1, 10),
                           ("municipality", riga, 23), ("municipality", ogre, 10), ("nation", "LV", 33)):
        for domain, value in (("numeracy", 60.5), ("literacy", 66.0)):
            rows.append({"indicator": "diagnostic_mean_score_grade3", "grain": grain, "unit": unit,
                         "category": domain, "value": value, "numerator": value * n, "denominator": n})
        rows.append({"indicator": "wellbeing_pupil_index", "grain": grain, "unit": unit, "value": 3.8,
                     "numerator": 3.8 * n, "denominator": n})
        rows.append({"indicator": "learners_enrolled", "grain": grain, "unit": unit, "value": n * 10,
                     "numerator": n * 10, "denominator": n * 10})
    return rows


def test_pupil_diagnostics_and_wellbeing_page(page, world):
    store_run(YEAR, _diagnostic_values(world))
    cache.clear()
    pages = Pages(page)
    names = [world[k].name for k in ("a1", "a2", "b1")]
    as_user(page, "admin")
    pages.open("/monitoring/diagnostika/", *names)
    pages.open("/monitoring/diagnostika/?municipality=LV-RIX&grade=grade6", *names)
    as_user(page, "founder-riga")
    pages.open("/monitoring/diagnostika/", *names)
    assert "[c]" in page.locator("#diagnostics-table").inner_text()  # a2's 3 pupils, and a1 beside them
    pages.assert_clean()


def test_general_overview_page(page, world):
    store_run("2022/2023", _diagnostic_values(world), minutes_ago=30)
    store_run(YEAR, _diagnostic_values(world))
    import_international_results(DEMO_FILE)
    cache.clear()
    pages = Pages(page)
    as_user(page, "admin")
    pages.open("/monitoring/parskats/", "IKMS demo data", "PISA", "TIMSS", "PIRLS", "ICCS")
    as_user(page, "founder-riga")
    pages.open("/monitoring/parskats/", "IKMS demo data")
    assert page.locator("#international-table").count() == 1
    pages.assert_clean()
