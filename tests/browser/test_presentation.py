"""Presentation in headless Chromium (issue 12, item 7): at 375 px no page scrolls sideways (wide tables scroll in
their own focusable box), pages have no axe-core WCAG 2.1 A/AA violation, sortable tables sort (decimal commas and
Latvian dates understood, aria-sort set), sign-out works from the header, and printing leaves out the navigation."""

import pytest

from tests.browser.conftest import axe_violations, login, page_width, unreachable_scroll_boxes

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_fit_a_phone_and_pass_axe(page, monitored, prefix):
    a1 = monitored["a1"].registration_number
    page.set_viewport_size(PHONE)
    for url in ["/", "/registrs/iestades/", f"/registrs/iestades/{a1}/", "/registrs/programmas/", "/profili/",
                f"/profili/{a1}/", "/palidziba/", "/pieklustamiba/", "/accounts/login/"]:
        page.goto(prefix + url)
        assert page_width(page) <= 375, prefix + url
        assert unreachable_scroll_boxes(page) == [], prefix + url
        assert axe_violations(page) == [], prefix + url


def test_staff_pages_fit_a_phone(page, monitored):
    """Staff pages, the monitoring overviews with their wide tables included (tables.js puts a table the template
    left bare into a scroll box)."""
    a1 = monitored["a1"]
    login(page, "analyst")
    page.set_viewport_size(PHONE)
    for url in ["/staff/", "/staff/institutions/", "/staff/decisions/", "/accounts/profile/", "/monitoring/valsts/",
                f"/monitoring/pasvaldibas/{a1.municipality.code}/", f"/monitoring/iestades/{a1.registration_number}/",
                "/monitoring/apmeklejumi/", "/monitoring/riski/", "/akreditacija/"]:
        page.goto(url)
        assert page_width(page) <= 375, url
        assert unreachable_scroll_boxes(page) == [], url
    page.goto("/monitoring/apmeklejumi/")
    assert axe_violations(page) == []


def test_a_sortable_table_sorts_by_a_column(page, world):
    login(page, "officer")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/staff/institutions/")
    table = page.locator("main table[data-sortable]")
    header = table.locator("thead th").nth(0)
    names = lambda: table.locator("tbody tr td:first-child").all_inner_texts()  # noqa: E731
    before = names()
    assert len(before) == 3
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = names()
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert names() == list(reversed(ascending))
    assert "sakārtota pēc kolonnas “Nosaukums” dilstošā secībā" in page.locator(".ikms-sort-status").inner_text()
    assert axe_violations(page) == []


def test_sorting_understands_decimal_commas_and_latvian_dates(page, world):
    """The script on a page of the site, fed a table with figures and dates as the Latvian pages write them."""
    page.goto("/palidziba/")
    order = page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', `<table class="govuk-table" data-sortable id="t">
          <thead><tr><th>Skaitlis</th><th>Datums</th></tr></thead><tbody>
          <tr><td>12 345,5</td><td>02.01.2025.</td></tr><tr><td>9,75</td><td>–</td></tr>
          <tr><td>–</td><td>15.03.2024.</td></tr><tr><td>100</td><td>01.12.2024.</td></tr></tbody></table>`);
        document.body.dispatchEvent(new CustomEvent('htmx:afterSettle', {bubbles: true}));
        const table = document.getElementById('t');
        const column = i => [...table.tBodies[0].rows].map(r => r.cells[i].textContent);
        table.tHead.rows[0].cells[0].querySelector('button').click();
        const numbers = column(0);
        table.tHead.rows[0].cells[1].querySelector('button').click();
        table.tHead.rows[0].cells[1].querySelector('button').click();
        return [numbers, column(1), table.tHead.rows[0].cells[1].getAttribute('aria-sort')];
    }""")
    assert order == [["9,75", "100", "12 345,5", "–"], ["02.01.2025.", "01.12.2024.", "15.03.2024.", "–"],
                     "descending"]


def test_sign_out_from_the_header(page, world):
    login(page, "officer")
    page.set_viewport_size(PHONE)
    page.goto("/registrs/iestades/")
    if page.locator(".govuk-service-navigation__toggle").is_visible():
        page.click(".govuk-service-navigation__toggle")  # the menu is folded on a phone
    page.click("header + section button#sign-out, #sign-out")
    page.wait_for_url("**/")
    assert page.locator("#sign-out").count() == 0
    assert page.locator("a[href='/accounts/login/']").count() >= 1


def test_print_leaves_out_navigation_filters_and_pagination(page, world):
    page.goto("/registrs/iestades/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.govuk-service-navigation', '.govuk-footer', 'form[role=search]',
                                     '.govuk-skip-link'].map(s => {
        const el = document.querySelector(s); return el ? getComputedStyle(el).display : 'none'; })""")
    assert hidden == ["none", "none", "none", "none"]
    after = page.evaluate("""() => getComputedStyle(document.querySelector("main a.govuk-link[href^='/']"), '::after')
                                   .content""")
    assert after in ("none", "normal", "")
    assert page.evaluate("document.querySelector('main table').getBoundingClientRect().width") > 0
