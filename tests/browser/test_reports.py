"""Reports in the browser (issue 16 item 6): an IKVD analyst starts the test kind of report, watches the progress
bar move while the report is made on a background thread of the live server, gets the links to the web view and
the files, reads the report on the web; asking again is served from the cache (finished at once). The pages in
Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of tests/browser/conftest.py)."""

import pytest

from ikms.reports.models import ReportRun
from ikms.reports.testing import Builds, register_test_kind
from tests.browser.conftest import DESKTOP, PHONE, Pages, as_user

pytestmark = pytest.mark.browser


def _start(page, year: str, prefix: str = "") -> None:
    page.goto(f"{prefix}/zinojumi/test/")
    page.fill("#id_year", year)
    with page.expect_navigation():
        page.click("#report-start button[type=submit]")


def test_report_runs_in_the_background_with_progress_and_is_served_from_the_cache(page, world, settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path
    register_test_kind(formats=("xlsx",))
    Builds.pause = 0.8  # the build takes a few seconds: the bar has time to move
    pages = Pages(page, name="reports")
    as_user(page, "analyst")
    pages.open("/zinojumi/", "Testa ziņojums")
    pages.open("/zinojumi/test/")

    _start(page, "2024")
    assert "/zinojumi/darbi/" in page.url
    seen = set()
    while page.locator("#run-outputs").count() == 0:  # htmx asks for the progress every second
        assert page.locator("#run-error").count() == 0, page.inner_text("#run-error")
        bar = page.locator("#run-bar")
        if bar.count():
            seen.add(int(bar.get_attribute("value")))
        page.wait_for_timeout(200)
    assert len(seen) >= 2 and max(seen) < 100, seen  # the bar moved before the report was ready
    run = ReportRun.objects.get()
    assert run.status == "done" and Builds.count == 1
    assert page.locator(f"a[href='/zinojumi/darbi/{run.pk}/xlsx/']").count() == 1
    pages.check()

    with page.expect_navigation():
        page.click(f"a[href='/zinojumi/darbi/{run.pk}/skats/']")
    assert "3. tabula. Iestādes pēc veida, 2024" in page.inner_text("main")
    assert page.locator("#t-institutions details").count() == 1
    for width in (DESKTOP, PHONE):  # the report is Latvian: checked in its own language (the English run below)
        pages._view(f"/zinojumi/darbi/{run.pk}/skats/", width)

    _start(page, "2024")  # the same inputs: the same run, finished at once
    assert page.url.endswith(f"/zinojumi/darbi/{run.pk}/") and page.locator("#run-outputs").count() == 1
    assert Builds.count == 1

    Builds.pause = 0.0
    _start(page, "2024", prefix="/en")  # English: a run of its own
    page.locator("#run-outputs").wait_for()
    english = ReportRun.objects.get(language="en")
    page.goto(f"/en/zinojumi/darbi/{english.pk}/skats/")
    assert "3. tabula. Institutions by type, 2024" in page.inner_text("main")
    pages._view(f"/en/zinojumi/darbi/{english.pk}/skats/", DESKTOP)
    pages.assert_clean()
