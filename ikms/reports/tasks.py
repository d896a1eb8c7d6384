"""The background job of the report runs (Django's task API) and how a run is handed to it (ADR 0023).

A report never makes a request wait. With a queue (the database backend in production) `dispatch` enqueues the job
and a worker makes it. The embedded default backend (`ImmediateBackend`) would run the job inside `enqueue`, that
is inside the request, so there `dispatch` starts the job on a daemon thread of the web process instead: the
request returns at once and the run page follows the progress."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from ikms.reports.services import report_run_make


@task()
def make_report(run_id: int) -> str:
    """Make one report run (its status when done: "done" or "failed")."""
    return report_run_make(run_id).status


def _in_thread(run_id: int) -> None:
    try:
        report_run_make(run_id)
    finally:
        connections.close_all()  # the thread's own database connections


def start_thread(target: Callable[[int], None], run_id: int) -> None:
    """Start the job on a daemon thread (a test makes it run inline)."""
    threading.Thread(target=target, args=(run_id,), name=f"report-run-{run_id}", daemon=True).start()


def dispatch(run_id: int) -> None:
    """Hand a new run to the background: the queue's worker, or a thread where the backend runs jobs at once."""
    if isinstance(task_backends[make_report.backend], ImmediateBackend):
        start_thread(_in_thread, run_id)
    else:
        make_report.enqueue(run_id)
