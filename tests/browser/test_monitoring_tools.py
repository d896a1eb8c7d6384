"""The monitoring tools of issue 15 in headless Chromium: each tool's main page as IKVD staff and as a founder
(scoped to its municipality), in Latvian at 1280 and 375 px and in English, axe-clean and no wider than the
screen. One test per tool."""

import pytest

from ikms.monitoring.tests.test_tools_graduates_support import tools  # noqa: F401 (the fixture)
from tests.browser.conftest import Pages, as_user

pytestmark = pytest.mark.browser


def test_graduates_and_support_pages(page, tools):  # noqa: F811
    names = [tools[k].name for k in ("a1", "a2", "b1")]
    pages = Pages(page)
    for user in ("admin", "founder-riga"):
        as_user(page, user)
        pages.open("/monitoring/absolventi/", *names)
        pages.open(f"/monitoring/absolventi/?institution={tools['a1'].registration_number}", *names)
        pages.open("/monitoring/atbalsts/", *names)
    pages.assert_clean()
