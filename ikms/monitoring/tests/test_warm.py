"""The first view after a computation is as fast as the next (ikms.monitoring.warm, ADR 0021): a stored run
enqueues a warm-up that renders the key pages into the shared cache, so the next request of each finds its page
there and computes nothing."""

import contextlib
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

from ikms.monitoring import selectors, tasks
from ikms.monitoring.models import ComputationRun
from ikms.monitoring.selectors import risks as risk_selectors
from ikms.monitoring.signals import results_changed
from ikms.monitoring.warm import warm_result_pages

pytestmark = pytest.mark.django_db


def nation_fragment_key(language: str = "lv") -> str:
    """The key the national dashboard's template caches its body under, with the default filters."""
    dash_key = f"{selectors.state_key()}:{selectors.latest_year()}:::"
    return make_template_fragment_key("ikms_nation", [dash_key, language])


@contextlib.contextmanager
def _building_fails():
    """Make the builders of the dashboards' bodies and of the risk list (its ranking and its rows) fail: a page that
    still answers 200 was served from the cache."""
    failing = mock.Mock(side_effect=AssertionError("built, not read from the cache"))
    with mock.patch.multiple(selectors, area_dashboard=failing, risk_entries=failing), \
            mock.patch.object(risk_selectors, "_rank", failing):
        yield


def test_warming_fills_the_key_pages_so_the_next_views_compute_nothing(client, board):
    cache.clear()
    done = warm_result_pages()
    assert done["nation"] == 2  # Latvian and English
    assert done["risks"] == 2 * 2  # as one who may plan visits sees it and as one who may not
    assert done["municipality"] >= 2 * 2  # Riga and Ogre as IKVD staff see them, and as their founders do
    assert cache.get(nation_fragment_key("lv")) and cache.get(nation_fragment_key("en"))

    users = board["users"]
    with _building_fails():
        client.force_login(users["analyst"])
        for path in ("/monitoring/valsts/", "/en/monitoring/valsts/", "/monitoring/riski/",
                     "/monitoring/pasvaldibas/LV-RIX/", "/en/monitoring/pasvaldibas/LV-067/"):
            assert client.get(path).status_code == 200, path
        client.force_login(users["registry_officer"])  # IKVD staff who may not plan visits
        assert client.get("/monitoring/riski/").status_code == 200
        client.force_login(users["founder_riga"])
        assert client.get("/monitoring/pasvaldibas/LV-RIX/").status_code == 200


def test_without_warming_the_first_view_builds_the_page(client, board):
    cache.clear()
    client.force_login(board["users"]["analyst"])
    with _building_fails(), pytest.raises(AssertionError, match="built"):
        client.get("/monitoring/valsts/")


def test_a_second_warm_up_of_the_same_results_finds_everything_cached(board):
    cache.clear()
    warm_result_pages()
    with _building_fails():
        assert warm_result_pages()["nation"] == 2


def test_nothing_to_warm_before_the_first_computation(world):
    assert warm_result_pages() == {"nation": 0, "risks": 0, "municipality": 0}


def test_storing_results_enqueues_one_warm_up(settings, board):
    settings.IKMS_WARM_RESULT_PAGES = True
    run = ComputationRun.objects.filter(scope=[]).first()
    with mock.patch.object(tasks, "warm_result_pages", return_value={}) as warm:
        results_changed.send(sender=ComputationRun, run=run)
        assert warm.call_count == 1
        with tasks.warming_deferred():  # the demo stores three school years in a row: one warm-up at the end
            for _ in range(3):
                results_changed.send(sender=ComputationRun, run=run)
            assert warm.call_count == 1
        assert warm.call_count == 2
        settings.IKMS_WARM_RESULT_PAGES = False
        results_changed.send(sender=ComputationRun, run=run)
        assert warm.call_count == 2
