"""Background recomputation (Django's task API): after an import, only the institutions it touched."""

from django_tasks import task

from ikms.monitoring.services import indicators_compute


@task()
def recompute_indicators(school_year: str, institutions: list[str] | None = None) -> int:
    """Recompute the indicators of some institutions (or the country) for a school year."""
    run = indicators_compute(school_year=school_year, institutions=institutions)
    return run.value_count
