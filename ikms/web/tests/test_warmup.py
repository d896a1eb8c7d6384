"""A server process is prepared before it takes its first request (ikms.web.warmup, called by config/wsgi.py): the
URL configuration, the indicator catalogue, the message catalogues, the templates and the school search's index
are ready, and no database connection is left open for a forked worker to share."""

from unittest import mock

import pytest
from django.template import engines

from ikms.monitoring import data_quality
from ikms.monitoring.selectors import definitions
from ikms.portal import search
from ikms.web.warmup import own_templates, prepare_process

pytestmark = pytest.mark.django_db(transaction=True)


def _template_cache() -> dict:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off)
    return loader.get_template_cache


def test_prepare_process_does_the_first_request_s_work(world):
    for cached in (definitions.catalogue, definitions.indicators, definitions.rules):
        cached.cache_clear()
    _template_cache().clear()
    search.forget_public_index()
    data_quality._last = None

    with mock.patch("ikms.web.warmup.connections") as connections:
        prepare_process()

    assert all(f.cache_info().currsize == 1 for f in (definitions.catalogue, definitions.indicators,
                                                      definitions.rules))
    compiled = _template_cache()
    for name in ("base.html", "monitoring/nation.html", "portal/profile_detail.html"):
        assert name in compiled, name
    assert "public" in search._cache
    assert data_quality._last is not None  # the lake's receipts
    connections.close_all.assert_called_once_with()  # nothing shared with a worker forked after this


def test_own_templates_are_the_project_s_not_the_packages():
    names = own_templates()
    assert "base.html" in names and "monitoring/nation.html" in names
    assert not any(n.startswith(("admin/", "rest_framework/", "drf_spectacular/")) for n in names)
