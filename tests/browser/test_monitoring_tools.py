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
    # the public part: the school profile with its graduates' destinations and fields of further study
    a1 = tools["a1"]  # the profile shows register data as stored: its founder, head and programme names
    pages.open(f"/profili/{a1.registration_number}/", *names, a1.founder.name, a1.head_name, tools["programme_a"].name)
    assert page.locator("#chart-graduate-fields-basic-heading").count() == 1
    pages.assert_clean()
