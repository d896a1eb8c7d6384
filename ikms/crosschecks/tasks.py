"""The scheduled run of the cross-register checks as a background task (ADR 0007: immediate in the demo, the
database queue and `manage.py db_worker` in production). Cron enqueues it daily, or runs `crosschecks_run`:
docs/howto/run-cross-register-checks.md."""

from django_tasks import task

from ikms.crosschecks import services


@task()
def run_checks_task() -> int:
    """Run every check as the system; returns the run's id."""
    return services.checks_run(actor=None).pk
