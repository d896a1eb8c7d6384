"""The data-quality page in headless Chromium: zero axe-core WCAG 2.1 A/AA violations in Latvian and English
(the page, an institution list and the coverage on a dossier), nothing wider than a 375 px screen, and a
founder following a count to the institution that has not sent its data."""

import pytest

from ikms.monitoring.testing import store_run, write_receipt, write_register_lake
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


@pytest.fixture
def dq_world(world, settings, tmp_path):
    """a1 sent its enrolments on time, b1 late, a2 not at all; a1's learners tripled from 2022/2023."""
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    root = write_register_lake(tmp_path / "lake", [
        (a1, world["a1"].name, "secondary", "general", "LV-RIX"),
        (a2, world["a2"].name, "preschool", "preschool", "LV-RIX"),
        (b1, world["b1"].name, "secondary", "general", "LV-067"),
    ])
    write_receipt(root, "enrolments", "2022/2023", [a1, a2, b1], "2022-09-20T08:00:00+00:00")
    write_receipt(root, "enrolments", "2023/2024", [a1], "2023-09-20T08:00:00+00:00", source_file="a1-uznemsana.csv")
    write_receipt(root, "enrolments", "2023/2024", [b1], "2023-11-15T08:00:00+00:00", source_file="b1-uznemsana.csv")
    write_receipt(root, "learners", "2023/2024", [], "2023-09-15T08:00:00+00:00", source_file="izglitojamie.csv")
    settings.IKMS_LAKE_DIR = root
    for year, learners in (("2022/2023", 100), ("2023/2024", 300)):
        store_run(year, [{"indicator": "learners_enrolled", "grain": "institution", "unit": u, "value": n,
                          "numerator": n, "denominator": n} for u, n in ((a1, learners), (a2, 30), (b1, 60))],
                  minutes_ago=30 if year == "2022/2023" else 20)
    return world


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_data_quality_pages_have_no_axe_violations(page, dq_world, prefix):
    a1 = dq_world["a1"].registration_number
    login(page, "admin")
    urls = ["/monitoring/datu-kvalitate/?year=2023/2024",
            "/monitoring/datu-kvalitate/?year=2023/2024&source=enrolments&show=late",
            "/monitoring/datu-kvalitate/?year=2023/2024&municipality=LV-RIX&show=all",
            f"/monitoring/iestades/{a1}/lieta/"]
    for url in urls:
        page.goto(prefix + url)
        page.wait_for_load_state("networkidle")
        assert axe_violations(page) == [], prefix + url
    assert page.locator("#coverage-caption").is_visible()
    page.goto(prefix + urls[0])
    outliers = page.locator("#outlier-table").inner_text()
    assert dq_world["a1"].name in outliers and "+200" in outliers
    # a phone: nothing sticks out of the page, the wide tables scroll inside their own box
    page.set_viewport_size({"width": 375, "height": 800})
    for url in (urls[0], urls[3]):
        page.goto(prefix + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, prefix + url
        assert axe_violations(page) == [], prefix + url


def test_founder_follows_a_count_to_the_institution_without_data(page, dq_world):
    a2 = dq_world["a2"]
    login(page, "founder-riga")
    page.goto("/monitoring/datu-kvalitate/?year=2023/2024")
    assert dq_world["b1"].name not in page.locator("main").inner_text()
    row = page.locator('#completeness-table tr[data-source="enrolments"]')
    assert row.locator('a[data-count="expected"]').inner_text().startswith("2")
    row.locator('a[data-count="missing"]').click()
    page.wait_for_url("**show=missing**")
    listing = page.locator("#institution-table")
    assert a2.name in listing.inner_text() and dq_world["a1"].name not in listing.inner_text()
    listing.get_by_role("link", name=a2.name, exact=True).click()
    page.wait_for_url(f"**/monitoring/iestades/{a2.registration_number}/**")
    coverage = page.locator("#coverage ~ div table").inner_text()
    assert "Nav datu" in coverage
