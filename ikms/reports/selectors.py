"""Reads of the report runs: the cached run of some inputs, a user's recent runs, the kinds a user may make.

Reading the municipal report's narratives: each section's history, its latest draft and its latest published
version (the one the report prints)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from ikms.registry.models import Municipality
from ikms.reports import kinds
from ikms.reports.models import Narrative, NarrativeStatus, ReportRun
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


def narrative_history(*, municipality: Municipality, period: str) -> QuerySet[Narrative]:
    """Every saved version of the municipality's narratives for the period, newest first per section."""
    return (Narrative.objects.filter(municipality=municipality, period=period).select_related("author")
            .order_by("section", "-version"))


def published_narratives(*, municipality: Municipality, period: str) -> dict[str, Narrative]:
    """The latest published version of each section."""
    out: dict[str, Narrative] = {}
    for n in narrative_history(municipality=municipality, period=period).filter(status=NarrativeStatus.PUBLISHED):
        out.setdefault(n.section, n)
    return out


def latest_narratives(*, municipality: Municipality, period: str) -> dict[str, Narrative]:
    """The latest version of each section, draft or published (the text the form starts from)."""
    out: dict[str, Narrative] = {}
    for n in narrative_history(municipality=municipality, period=period):
        out.setdefault(n.section, n)
    return out
