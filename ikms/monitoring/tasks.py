"""Background jobs (Django's task API): recomputation after an import, the lake's register snapshot after register
decisions, and the warm-up of the result pages' cache after a computation is stored."""

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django_tasks import task

from ikms.monitoring.lake import lake_refresh
from ikms.monitoring.services import indicators_compute
from ikms.monitoring.warm import warm_result_pages

#: Set while warm-ups are deferred (`warming_deferred`): the warm-ups asked for meanwhile.
_deferred: ContextVar[list[bool] | None] = ContextVar("ikms_warm_deferred", default=None)


@task()
def recompute_indicators(school_year: str, institutions: list[str] | None = None) -> int:
    """Recompute the indicators of some institutions (or the country) for a school year."""
    run = indicators_compute(school_year=school_year, institutions=institutions)
    return run.value_count


@task()
def refresh_register_snapshot() -> dict[str, dict[str, int]]:
    """Rewrite the lake's register snapshot for every school year it holds (after register decisions), and the
    datasets written from other apps' records whose rows follow it (`lake_refresh`)."""
    return lake_refresh()


@task()
def warm_result_pages_task() -> dict[str, int]:
    """Render the key pages of the current results into the shared cache (ikms.monitoring.warm)."""
    return warm_result_pages()


def on_register_changed(sender, decisions: int = 0, **kwargs) -> None:
    """Receiver of ikms.registry.signals.register_changed: the register snapshot follows the decisions."""
    refresh_register_snapshot.enqueue()


def on_results_changed(sender, run=None, **kwargs) -> None:
    """Receiver of ikms.monitoring.signals.results_changed (after the run's transaction committed): enqueue the
    warm-up (`IKMS_WARM_RESULT_PAGES` on), or note it while warm-ups are deferred."""
    if not settings.IKMS_WARM_RESULT_PAGES:
        return
    asked = _deferred.get()
    if asked is not None:
        asked.append(True)
        return
    warm_result_pages_task.enqueue()


@contextlib.contextmanager
def warming_deferred() -> Iterator[None]:
    """Hold back the warm-ups that storing runs asks for until the block ends, then enqueue one (if any was asked
    for): several runs stored in a row are warmed once, for the results they leave."""
    asked: list[bool] = []
    token = _deferred.set(asked)
    try:
        yield
    finally:
        _deferred.reset(token)
    if asked:
        warm_result_pages_task.enqueue()
