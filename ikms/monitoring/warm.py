"""The first view after a computation is as fast as the next: when a run's results are committed, the task worker
renders the key pages into the shared cache (ADR 0021), so that no visitor, in any web worker, builds them.

What is warmed, in every language, for the latest school year with the pages' default filters: the national
dashboard and the national risk list (as IKVD staff see them: the list as one who may plan visits sees it and as
one who may not) and the dashboard of every municipality
(as IKVD staff see it, and as each founder sees their own). The pages are rendered through their own views, so the
cached fragments are exactly those a visitor's request looks up (`{% cache %}` keyed on the results state, the
filters and the language) and the aggregates under them (spreads, rankings) are cached on the way. A page is
rendered as a user who may see it; with no such user nobody can open it, and it is skipped. Other filters, other
years and the institutions' dashboards are built at their first view, as before (each costs tens of milliseconds).

Rendering is idempotent: a second warm-up of the same results finds everything in the cache. A run started by a
command or a page enqueues one warm-up when its transaction commits (`on_results_changed`); `warming_deferred()`
holds them back while several runs are stored in a row (the demo's three school years) and warms once at the end
(both in ikms.monitoring.tasks)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from ikms.accounts.roles import Role
from ikms.accounts.selectors import users_with_role
from ikms.monitoring import permissions, selectors
from ikms.monitoring.views import dashboards, risks

logger = logging.getLogger(__name__)

def _host() -> str:
    """A host name the settings allow (the pages build absolute links from it)."""
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def _render(view: Callable, path: str, user, **kwargs) -> int:
    """Render one page through its view as `user` (in the active language); its status code."""
    request = RequestFactory().get(path, HTTP_HOST=_host(), secure=True)
    request.user = user if user is not None else AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.LANGUAGE_CODE = translation.get_language()
    response = view(request, **kwargs)
    return response.status_code


def _first_allowed(check: Callable) -> object | None:
    """The oldest account of IKVD staff that `check` accepts (None: no such user)."""
    return next((u for u in users_with_role(permissions.NATION.roles) if check(u)), None)


def warm_result_pages() -> dict[str, int]:
    """Render the key pages of the current results into the cache (see the module's docstring). Returns how many
    pages of each kind were rendered (nothing without a complete run)."""
    done = {"nation": 0, "risks": 0, "municipality": 0}
    if not selectors.school_years():
        return done
    started = time.perf_counter()
    # the risk list differs for those who may plan visits (its buttons): one of each kind, as far as there is one
    staff = [u for planner in (True, False) if (u := _first_allowed(
        lambda u, planner=planner: permissions.can_view_nation(u) and permissions.can_view_risks(u)
        and permissions.can_plan_visits(u) == planner)) is not None]
    viewers = [*staff[:1], *users_with_role(Role.FOUNDER)]
    for code, _name in settings.LANGUAGES:
        with translation.override(code), selectors.results_memo():
            for user in staff[:1]:
                done["nation"] += _render(dashboards.nation, reverse("monitoring:nation"), user) == 200
            for user in staff:
                done["risks"] += _render(risks.risks, reverse("monitoring:risks"), user) == 200
            for user in viewers:
                for muni in selectors.municipalities_for_user(user).filter(institutions__isnull=False).distinct():
                    done["municipality"] += _render(dashboards.municipality, reverse(
                        "monitoring:municipality", args=[muni.code]), user, code=muni.code) == 200
    logger.info("Result pages warmed in %.1f s: %s", time.perf_counter() - started, done)
    return done
