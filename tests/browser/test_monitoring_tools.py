"""The monitoring tools of issue 15 in headless Chromium: each tool's main page as IKVD and as a founder (scoped),
in Latvian and English, at 1280 and 375 px, axe-clean and no wider than the screen. One test per tool."""

import pytest

from tests.browser.conftest import PHONE, Pages, as_user

pytestmark = pytest.mark.browser


def test_teaching_profession(page, world, tmp_path):
    from django.core.cache import cache

    from ikms.monitoring.testing import store_teaching_runs

    store_teaching_runs(world, tmp_path)
    cache.clear()
    pages = Pages(page)
    as_user(page, "analyst")
    pages.open("/monitoring/skolotaji/", world["a1"].name, world["b1"].name)
    pages._view("/en/monitoring/skolotaji/", PHONE)
    assert page.locator("#teaching-subjects").count() == 1
    pages.open("/monitoring/skolotaji/?year=2023/2024")  # first-format files: no data, said so
    assert page.locator("#teaching-partial").count() == 1
    as_user(page, "founder-riga")
    pages.open("/monitoring/skolotaji/", world["a1"].name, world["a2"].name)
    pages._view("/en/monitoring/skolotaji/", PHONE)
    text = page.locator("#teaching-units").inner_text()
    assert world["a1"].name in text and world["b1"].name not in text
    assert page.goto(f"/monitoring/skolotaji/?municipality={world['b1'].municipality.code}").status == 404
    pages.assert_clean()
