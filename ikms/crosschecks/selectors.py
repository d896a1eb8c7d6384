"""Reads of the cross-register checks: the latest run, its findings as a user may see them, and the offer-list
reports per provider."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from ikms.crosschecks.choices import LineResult
from ikms.crosschecks.models import CheckRun, Finding, OfferLine, OfferListImport
from ikms.crosschecks.permissions import FINDING


def latest_run() -> CheckRun | None:
    return CheckRun.objects.filter(finished_at__isnull=False).order_by("-started_at", "-id").first()


def findings_visible_to(user, run: CheckRun | None, *, check: str = "", municipality: str = "") -> QuerySet[Finding]:
    if run is None:
        return Finding.objects.none()
    qs = FINDING.scope(user, run.findings.select_related("institution", "municipality"))
    if check:
        qs = qs.filter(kind=check)
    if municipality:
        qs = qs.filter(municipality__code=municipality)
    return qs.order_by("kind", "municipality__name_lv", "institution__name", "id")


def counts_visible_to(user, run: CheckRun | None, *, municipality: str = "") -> dict[str, int]:
    """Each check's findings that the user sees (after the municipality filter)."""
    qs = findings_visible_to(user, run, municipality=municipality)
    return dict(qs.order_by().values_list("kind").annotate(n=Count("id")))


def provider_reports() -> QuerySet:
    """Per provider (registration number as written in the lists): imports, lines, mismatches, the latest check."""
    return (
        OfferLine.objects.values("provider_number")
        .annotate(
            imports=Count("offer_list", distinct=True),
            lines=Count("id"),
            mismatches=Count("id", filter=~Q(result=LineResult.OK)),
            last_checked=Max("offer_list__checked_on"),
            name=Max("provider__name"),
        )
        .order_by("-mismatches", "provider_number")
    )


def provider_lines(number: str) -> QuerySet[OfferLine]:
    qs = OfferLine.objects.filter(provider_number=number).select_related("offer_list", "programme")
    if not qs.exists():
        raise Http404
    return qs.order_by("-offer_list__checked_on", "offer_list_id", "row")


def provider_result_counts(number: str) -> dict[str, int]:
    return dict(OfferLine.objects.filter(provider_number=number).order_by().values_list("result")
                .annotate(n=Count("id")))


def recent_imports(limit: int = 20) -> QuerySet[OfferListImport]:
    return OfferListImport.objects.select_related("provider", "imported_by").order_by("-created_at", "-id")[:limit]
