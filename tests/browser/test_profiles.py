"""Browser tests of the public school profiles in headless Chromium: the public searches, opens a profile and
compares three schools side by side; axe-core finds no WCAG 2.1 A/AA violation on the search, profile and compare
pages (charts drawn) in Latvian and English."""

import pytest

from ikms.monitoring.testing import store_run
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser


def _charts_drawn(page) -> int:
    """Wait until Plotly has drawn every chart of the page; the number of charts."""
    charts = page.locator("[data-plotly]")
    count = charts.count()
    for i in range(count):
        charts.nth(i).locator("svg.main-svg").first.wait_for(state="attached")
    return count


def _clipped(page) -> list[str]:
    """The texts of chart labels, legends and axis titles that stick out of their chart (would be cut off)."""
    found = page.evaluate("""() => [...document.querySelectorAll("[data-plotly]")].map(chart => {
        const box = chart.querySelector("svg.main-svg").getBoundingClientRect();
        const labels = ".xtick text, .ytick text, .legendtext, .g-xtitle text, .g-ytitle text";
        const texts = [...chart.querySelectorAll(labels)];
        const out = t => { const r = t.getBoundingClientRect();
                           return r.width && (r.left < box.left - 1 || r.right > box.right + 1 ||
                                              r.top < box.top - 1 || r.bottom > box.bottom + 1); };
        return [texts.length, texts.filter(out).map(t => chart.id + ": " + t.textContent)]; })""")
    assert found and all(n for n, _out in found), "every chart has labels to check"
    return [text for _n, out in found for text in out]


def _national_column_shown(page, block: str) -> bool:
    """Whether the last column (national) of a block's table lies inside its scroll box, without scrolling."""
    return page.evaluate("""(block) => {
        const table = document.querySelector(`table[data-block='${block}']`);
        const box = table.closest(".ikms-table-scroll").getBoundingClientRect();
        const last = table.querySelector("thead th:last-child").getBoundingClientRect();
        return last.right <= box.right + 1 && last.left >= box.left - 1; }""", block)


def test_public_searches_opens_a_profile_and_compares_three_schools(page, monitored):
    """A parent: from the home page to the profiles, searches without diacritics, puts three schools found by
    two searches and on two pages into the comparison, and compares them."""
    a1, a2, b1 = (monitored[k] for k in ("a1", "a2", "b1"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.click("#school-profiles a[href='/profili/']")
    page.fill("#id_q", "testa")
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
    assert _clipped(page) == []
    assert _national_column_shown(page, "chart-results")
    page.click("#basket button[type=submit]")  # "Pievienot salīdzinājumam" on the profile
    page.wait_for_url(f"**/profili/{a1.registration_number}/")
    assert "Pievienots salīdzinājumam: Rīgas Testa vidusskola (1 no 3)." in page.locator("main").inner_text()

    # a second search, without diacritics, and the second page of a third
    page.goto("/profili/")
    page.fill("#id_q", "rigas saulite")
    page.click("form[role=search] button[type=submit]")
    page.locator(f"tr[data-number='{a2.registration_number}'] button[type=submit]").click()
    assert "(2 no 3)" in page.locator("main").inner_text()
    assert page.input_value("#id_q") == "rigas saulite"  # back on the same search
    page.goto("/profili/?q=vidusskola&type=secondary")
    page.locator(f"tr[data-number='{b1.registration_number}'] button[type=submit]").click()
    basket = page.locator("#basket").inner_text()
    for school in (a1, a2, b1):
        assert school.name in basket
    assert "3 no 3" in basket
    assert axe_violations(page) == []

    page.click("#basket a[href='/profili/salidzinat/']")
    page.wait_for_url("**/profili/salidzinat/")
    header = page.locator("table[data-block='chart-school'] thead").inner_text()
    for school in (a1, a2, b1):
        assert school.name in header
    learners = page.locator("table[data-block='chart-school'] tr[data-key='learners_enrolled:::']").inner_text()
    assert "120" in learners and "60" in learners
    assert "mazāk nekā 5 izglītojamie" in learners  # a2 has 4 learners
    assert _charts_drawn(page) >= 3
    assert _clipped(page) == []
    assert _national_column_shown(page, "chart-school")
    assert axe_violations(page) == []

    # on a phone the charts still fit and a wide table scrolls in its own box, which takes the keyboard focus
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    _charts_drawn(page)
    page.wait_for_timeout(300)  # Plotly redraws for the new width
    assert _clipped(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    region = page.locator("table[data-block='chart-school']").locator("xpath=..")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"

    page.click("a.govuk-language-navigation__link[lang=en]")
    page.wait_for_url("**/en/profili/salidzinat/")
    assert "fewer than 5 learners" in page.locator(
        "table[data-block='chart-school'] tr[data-key='learners_enrolled:::']").inner_text()


def test_five_school_years_and_the_national_column_fit_at_1280_px(page, monitored):
    """The issue's complaint: with five school years the national column was cut off at 1280 px."""
    a1 = monitored["a1"].registration_number
    for year in ("2019/2020", "2020/2021", "2021/2022"):
        rows = []
        for unit, grain in ((a1, "institution"), ("LV", "nation")):
            rows += [{"indicator": "learners_enrolled", "grain": grain, "unit": unit, "value": 100, "numerator": 100,
                      "denominator": 100},
                     {"indicator": "exam_mean_score", "grain": grain, "unit": unit, "category": "MAT", "value": 51.0,
                      "numerator": 510, "denominator": 10}]
        store_run(year, rows)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/profili/{a1}/")
    _charts_drawn(page)
    header = page.locator("table[data-block='chart-results'] thead").inner_text()
    assert "2019/2020" in header and "2023/2024" in header and "Valstī" in header
    for block in ("chart-school", "chart-results", "chart-absences"):
        assert _national_column_shown(page, block), block
    assert _clipped(page) == []


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
