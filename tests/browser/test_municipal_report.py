"""The municipal education-quality report in the browser: a founder opens its municipality's report, writes a
section's narrative, saves a draft, publishes it and sees it in the report's preview; IKVD reads it without a form.
Each page in Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of tests/browser/conftest.py)."""

import pytest

from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser

TEXT = "Skolu rezultāti uzlabojas, kavējumu ir mazāk."


def _click(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_founder_writes_saves_and_publishes_a_narrative(page, monitored):
    names = [monitored[k].name for k in ("a1", "a2")]
    pages = Pages(page, name="municipal-report")
    as_user(page, "founder-riga")
    page.goto("/zinojumi/pasvaldiba/")  # a founder goes straight to its own municipality's report
    assert page.url.endswith("/zinojumi/pasvaldiba/LV-RIX/")
    pages.check(*names)
    assert "nav publicējusi" in page.inner_text("#preview-summary")  # the draft's placeholder
    page.fill("#id_summary-text", TEXT)
    _click(page, "#form-summary button[value=save]")
    assert "Pēdējā versija: 1 (Melnraksts)" in page.inner_text("#status-summary")
    assert TEXT not in page.inner_text("#preview-summary")  # a draft is not printed
    pages.check(*names, TEXT)
    _click(page, "#form-summary button[value=publish]")
    assert "Pēdējā versija: 2 (Publicēts)" in page.inner_text("#status-summary")
    assert TEXT in page.inner_text("#preview-summary")
    pages.check(*names, TEXT)
    as_user(page, "analyst")
    pages.open("/zinojumi/pasvaldiba/LV-RIX/", *names, TEXT)
    assert TEXT in page.inner_text("#preview-summary") and page.locator("#form-summary").count() == 0
    pages.assert_clean()
