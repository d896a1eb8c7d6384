"""Browser tests of the public school profiles in headless Chromium: the public searches, opens a profile and
compares three schools side by side; axe-core finds no WCAG 2.1 A/AA violation on the search, profile and compare
pages (charts drawn) in Latvian and English."""

import pytest

from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def _charts_drawn(page) -> int:
    """Wait until Plotly has drawn every chart of the page; the number of charts."""
    charts = page.locator("[data-plotly]")
    count = charts.count()
    for i in range(count):
        charts.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
    return count


def test_public_searches_opens_a_profile_and_compares_three_schools(page, monitored):
    a1, a2, b1 = (monitored[k] for k in ("a1", "a2", "b1"))
    page.goto("/")
    page.click("nav a[href='/profili/']")
    page.fill("#id_q", "Testa")
    page.click("form[role=search] button[type=submit]")
    results = page.locator("main table").inner_text()
    assert a1.name in results and b1.name in results and a2.name not in results

    page.get_by_role("link", name=a1.name, exact=True).click()
    page.wait_for_url(f"**/profili/{a1.registration_number}/")
    assert page.locator("h1").inner_text() == a1.name
    assert _charts_drawn(page) >= 3
    table = page.locator("table[data-block='chart-results']")
    assert table.is_visible()
    row = table.locator("tr[data-key='exam_mean_score:::MAT']").inner_text()
    assert "52,0" in row and "45,0" in row and "50,0" in row  # 2022/23, 2023/24, national (Latvian commas)
    chart = page.locator("#chart-results")
    assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label")

    page.goto("/profili/")
    for school in (a1, a2, b1):
        page.click(f"label[for=compare-{school.registration_number}]")  # the label draws the box
    for school in (a1, a2, b1):
        assert page.is_checked(f"#compare-{school.registration_number}")
    page.click("form[action='/profili/salidzinat/'] button[type=submit]")
    page.wait_for_url("**/profili/salidzinat/?**")
    header = page.locator("table[data-block='chart-school'] thead").inner_text()
    for school in (a1, a2, b1):
        assert school.name in header
    learners = page.locator("table[data-block='chart-school'] tr[data-key='learners_enrolled:::']").inner_text()
    assert "120" in learners and "60" in learners
    assert "mazāk nekā 5 izglītojamie" in learners  # a2 has 4 learners
    assert _charts_drawn(page) >= 3

    page.click("a.govuk-language-navigation__link[lang=en]")
    page.wait_for_url("**/en/profili/salidzinat/?**")
    assert "fewer than 5 learners" in page.locator(
        "table[data-block='chart-school'] tr[data-key='learners_enrolled:::']").inner_text()


def test_compare_more_than_three_shows_the_message(page, monitored):
    numbers = [monitored[k].registration_number for k in ("a1", "a2", "b1")] + ["9999999999"]
    page.goto("/en/profili/salidzinat/?" + "&".join(f"i={n}" for n in numbers))
    assert "You can compare at most three schools at a time; you chose 4." in page.locator(
        ".govuk-error-summary").inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_profile_pages_have_no_axe_violations(page, monitored, prefix):
    numbers = [monitored[k].registration_number for k in ("a1", "a2", "b1")]
    compare = "&".join(f"i={n}" for n in numbers)
    for url in [f"{prefix}/profili/", f"{prefix}/profili/?q=Testa&municipality=LV-RIX",
                f"{prefix}/profili/{numbers[0]}/", f"{prefix}/profili/{numbers[1]}/",
                f"{prefix}/profili/salidzinat/", f"{prefix}/profili/salidzinat/?{compare}",
                f"{prefix}/profili/salidzinat/?i=9999999999"]:
        page.goto(url)
        _charts_drawn(page)
        assert axe_violations(page) == [], url
