"""Issue 16's quarterly trends and EQAVET in the browser: an IKVD analyst opens the complaint trends (each quarter
against the year before) and the EQAVET indicators, in Latvian and English, at 1280 and 375 px, axe-clean (the
`Pages` checks of tests/browser/conftest.py)."""

import datetime as dt

import pytest

from ikms.complaints.tests.test_quarterly import _register
from ikms.monitoring.tests.test_eqavet_page import eqavet  # noqa: F401 (the fixture)
from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser


def test_complaint_quarters_and_eqavet(page, eqavet, settings, tmp_path):  # noqa: F811
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    for day in (dt.date(2023, 2, 1), dt.date(2024, 1, 10), dt.date(2024, 11, 5)):
        _register(eqavet, day)
    pages = Pages(page)
    as_user(page, "analyst")
    pages.open("/iesniegumi/tendences/?year=2024", eqavet["a1"].name)
    assert page.locator("#compare-total").is_visible() and page.locator("#compare-no-data").count() == 0
    pages.open("/monitoring/eqavet/?year=2023/2024")
    assert page.locator("#eqavet tbody tr").count() == 10
    pages.assert_clean()
