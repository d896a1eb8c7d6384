"""The monitoring tools of issue 15 in the browser: each tool's main page as IKVD and as a founder (scoped), in
Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of tests/browser/conftest.py)."""

import pytest

from ikms.monitoring.testing import write_network_lake
from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser


def test_school_network_pages(page, world, tmp_path, settings):
    """The school network and the projection: IKVD nation-wide and for Riga; Ogre's founder its own municipality
    (no declared children received there: the projection says so)."""
    write_network_lake(tmp_path, world)
    settings.IKMS_LAKE_DIR = tmp_path
    names = (world["a1"].name, world["b1"].name)
    pages = Pages(page, name="network")
    as_user(page, "analyst")
    pages.open("/monitoring/skolu-tikls/", *names)
    assert world["b1"].name in page.locator("#network-institutions").inner_text()
    pages.open("/monitoring/skolu-tikls/prognoze/", *names)
    assert page.locator("#projection-municipalities").is_visible()
    pages.open("/monitoring/skolu-tikls/prognoze/?municipality=LV-RIX", *names)
    assert page.locator("#projection-bands").is_visible() and page.locator("#projection-schools").is_visible()
    as_user(page, "founder-ogre")
    pages.open("/monitoring/skolu-tikls/", *names)
    assert world["a1"].name not in page.locator("main").inner_text()
    pages.open("/monitoring/skolu-tikls/prognoze/", *names)
    assert page.locator("#projection-bands").count() == 0
    pages.assert_clean()
