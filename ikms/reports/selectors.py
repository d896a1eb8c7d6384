"""Reads of the report runs: the cached run of some inputs, a user's recent runs, the kinds a user may make."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from ikms.reports import kinds
from ikms.reports.models import ReportRun
from ikms.reports.permissions import may_run_some

#: A run being made that has not moved for this long is taken as lost (its process ended): it is not reused.
STALE_AFTER = timedelta(minutes=15)


def cached_run(*, kind: str, inputs_key: str, language: str) -> ReportRun | None:
    """The run that serves these inputs: a finished one, or one being made that is still moving."""
    runs = ReportRun.objects.filter(kind=kind, inputs_key=inputs_key, language=language)
    moving = Q(status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING],
               updated_at__gte=timezone.now() - STALE_AFTER)
    return runs.filter(status=ReportRun.Status.DONE).first() or runs.filter(moving).first()


def recent_runs(user, limit: int = 20) -> QuerySet[ReportRun]:
    """The runs the user asked for, newest first."""
    return ReportRun.objects.filter(requested_by=user)[:limit]


def kinds_for(user) -> list[kinds.ReportKind]:
    """The kinds of report the user may make with some parameters."""
    return [k for k in kinds.registered() if may_run_some(user, k)]
