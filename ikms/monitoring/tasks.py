"""Background recomputation (Django's task API): after an import, only the institutions it touched."""

from django_tasks import task

from ikms.monitoring.lake import lake_register_write
from ikms.monitoring.services import indicators_compute


@task()
def recompute_indicators(school_year: str, institutions: list[str] | None = None) -> int:
    """Recompute the indicators of some institutions (or the country) for a school year."""
    run = indicators_compute(school_year=school_year, institutions=institutions)
    return run.value_count


@task()
def refresh_register_snapshot() -> dict[str, int]:
    """Rewrite the lake's register snapshot for every school year it holds (after register decisions)."""
    return lake_register_write()


def on_register_changed(sender, decisions: int = 0, **kwargs) -> None:
    """Receiver of ikms.registry.signals.register_changed: the register snapshot follows the decisions."""
    refresh_register_snapshot.enqueue()
