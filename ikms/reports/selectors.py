"""Reading the municipal report's narratives: each section's history, its latest draft and its latest published
version (the one the report prints)."""

from __future__ import annotations

from django.db.models import QuerySet

from ikms.registry.models import Municipality
from ikms.reports.models import Narrative, NarrativeStatus


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
