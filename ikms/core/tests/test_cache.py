"""The shared cache (ADR 0021) is a table of the database, and `migrate` creates it: a deployment needs no
`createcachetable` step of its own."""

import pytest
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_cache_table_and_the_cache_works(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "ikms_test_cache"}}
    assert "ikms_test_cache" not in connection.introspection.table_names()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what `migrate` sends at its end

    assert "ikms_test_cache" in connection.introspection.table_names()
    cache.set("ikms:test", {"rows": [1, 2]}, 60)
    assert cache.get("ikms:test") == {"rows": [1, 2]}
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # a second migrate leaves it be
    assert cache.get("ikms:test") == {"rows": [1, 2]}
