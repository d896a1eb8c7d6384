"""Prepare a server process before it takes its first request (config/wsgi.py and config/asgi.py call
`prepare_process` once the application is loaded; `IKMS_PREPARE_PROCESS=false` skips it).

A fresh process otherwise spends its first request on work that every later one reuses: importing every view
module (Django resolves the URL configuration on the first request), reading the indicator and rule catalogue
(YAML, compiled against the analytics package's measure builders), loading both languages' message catalogues,
compiling the templates, reading what the lake received (its manifests) and building the school search's index
of folded names. A server worker does it while it
starts, before it accepts a connection, so no visitor waits for it; with `gunicorn --preload` the master does it
once and the workers share it. Nothing here is a result of a computation: those are cached, shared by every
process, when a run completes (`ikms.monitoring.warm`)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.template import engines
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils.translation import trans_real

from ikms.monitoring import data_quality
from ikms.monitoring import selectors as monitoring
from ikms.portal.search import public_index

logger = logging.getLogger(__name__)


def own_templates() -> list[str]:
    """The names of the project's own templates (the templates folder and the apps'), not the packages'."""
    root = Path(settings.BASE_DIR).resolve()
    names: set[str] = set()
    for engine in engines.all():
        for listed in engine.template_dirs:
            folder = Path(listed).resolve()
            if folder.is_relative_to(root) and ".venv" not in folder.parts:
                names.update(str(p.relative_to(folder)) for p in folder.rglob("*.html"))
    return sorted(names)


def prepare_process() -> float:
    """Do the per-process work of a first request now; returns the seconds it took. A step that needs the
    database and fails (not migrated yet) is left to the first request; the process starts either way, with no
    database connection left open (it must not be shared with processes forked from this one)."""
    started = time.perf_counter()
    try:
        get_resolver().url_patterns  # noqa: B018 — imports every view module
        for code, _name in settings.LANGUAGES:
            trans_real.translation(code)
        monitoring.indicators()
        monitoring.rules()
        try:
            data_quality.lake_state()  # what the lake received (its manifests), shown on institution dashboards
        except (OSError, ValueError):
            logger.warning("The lake's receipts are read at the first page that shows them: the lake is not ready.")
        for name in own_templates():
            get_template(name)
        try:
            public_index()
        except DatabaseError:
            logger.warning("The school search index is built at the first search: the database is not ready.")
    finally:
        connections.close_all()
    return time.perf_counter() - started
