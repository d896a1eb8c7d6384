"""Reads of the register of child supervision providers. `provider_visible_to` / `provider_get_for_user` own who sees
a staff entry (permissions.PROVIDER); the public register reads only registered and removed entries, and only their
public fields reach its pages and exports. `decision_counts` counts a year's decisions as the annual report's
table 4 does."""

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ikms.childcare import permissions
from ikms.childcare.choices import PUBLIC_STATUSES, DecisionKind, ProviderStatus
from ikms.childcare.models import Provider, ProviderDecision, ServiceAddress
from ikms.core.formatting import date_text
from ikms.core.personal_codes import personal_code_digest
from ikms.registry.history import EMPTY, Change
from ikms.registry.models import Municipality

#: Table 4 of the annual report: its keys (calibration-2024.yaml `child_supervision_providers`) and the decision
#: each counts.
TABLE_4 = {
    "removed": DecisionKind.REMOVE,
    "amended": DecisionKind.AMEND,
    "registered": DecisionKind.REGISTER,
    "refused": DecisionKind.REFUSE,
}


def _base() -> QuerySet[Provider]:
    return Provider.objects.prefetch_related(
        Prefetch("addresses", ServiceAddress.objects.select_related("municipality"))
    )


def provider_visible_to(user) -> QuerySet[Provider]:
    """The staff entries the user may see (permissions.PROVIDER: IKVD staff every entry, nobody else any)."""
    return permissions.PROVIDER.scope(user, _base())


def provider_get_for_user(*, user, pk: int) -> Provider:
    """One staff entry the user may see, or 404 (the same for a missing and a forbidden entry)."""
    return permissions.PROVIDER.get(user, _base(), pk=pk)


def provider_public_list() -> QuerySet[Provider]:
    """The public register: registered and removed providers."""
    return _base().filter(status__in=PUBLIC_STATUSES)


def provider_public_get(*, registration_number: str) -> Provider:
    """One provider of the public register by its registration number, or 404."""
    try:
        return provider_public_list().get(registration_number=registration_number)
    except Provider.DoesNotExist:
        raise Http404 from None


def provider_filter(
    qs: QuerySet[Provider],
    *,
    q: str = "",
    municipality: str = "",
    status: str = "",
    kind: str = "",
    service_type: str = "",
    registered_from: datetime.date | None = None,
    registered_to: datetime.date | None = None,
    personal_code: str = "",
) -> QuerySet[Provider]:
    """Search a queryset of providers: a name, registration number, company registration code or address (`q`),
    the municipality of a service address, status, kind of provider and service, registration dates; staff pages
    may also find a natural person by the personal code (matched through its keyed hash, never stored)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(registration_number__iexact=q)
            | Q(registration_number__istartswith=q)
            | Q(registration_code=q)
            | Q(addresses__address__icontains=q)
        )
    if municipality:
        qs = qs.filter(addresses__municipality__code=municipality)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if service_type:
        qs = qs.filter(service_type=service_type)
    if registered_from:
        qs = qs.filter(registered_on__gte=registered_from)
    if registered_to:
        qs = qs.filter(registered_on__lte=registered_to)
    if personal_code:
        qs = qs.filter(personal_code_digest=personal_code_digest(personal_code))
    return qs.distinct() if (q or municipality) else qs


def applications_awaiting_decision(user) -> QuerySet[Provider]:
    """Applications the user may see that wait for a decision, the longest waiting first."""
    return provider_visible_to(user).filter(status=ProviderStatus.APPLICATION).order_by("applied_on", "id")


def provider_decisions(provider: Provider) -> QuerySet[ProviderDecision]:
    """A provider's decisions, newest first."""
    return provider.decisions.select_related("decided_by").order_by("-date", "-id")


def decision_counts(*, year: int, provider_kind: str = "") -> dict[str, int]:
    """The year's decisions by the dates they were taken, in the shape of table 4 (removed, amended, registered,
    refused); `provider_kind` counts only natural or only legal persons."""
    qs = ProviderDecision.objects.filter(date__year=year)
    if provider_kind:
        qs = qs.filter(provider__kind=provider_kind)
    by_kind = dict(qs.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return {key: by_kind.get(kind, 0) for key, kind in TABLE_4.items()}


def decision_years() -> list[int]:
    """The years with at least one decision, newest first."""
    return sorted({d.year for d in ProviderDecision.objects.dates("date", "year")}, reverse=True)


# --- a decision's changes in words ---------------------------------------------------------------------------


def _addresses_text(rows: Any, names: dict[str, str]) -> str:
    if not rows:
        return EMPTY
    return "; ".join(f"{r['address']} ({names.get(r['municipality'], r['municipality'])})" for r in rows)


def _value_text(field_name: str, value: Any) -> str:
    if value in (None, ""):
        return EMPTY
    field = Provider._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_text(value)
    return str(value)


def decision_changes(decision: ProviderDecision) -> list[Change]:
    """What a decision changed in its entry: field label, old → new, choices by their labels and municipalities
    by name."""
    changes = decision.changes if isinstance(decision.changes, dict) else {}
    codes = {
        r["municipality"]
        for key in ("addresses",)
        for side in ("old", "new")
        for r in (changes.get(key) or {}).get(side) or []
    }
    names = {m.code: m.name for m in Municipality.objects.filter(code__in=codes)} if codes else {}
    out = []
    for key, change in changes.items():
        if not (isinstance(change, dict) and set(change) == {"old", "new"}):
            continue
        if key == "addresses":
            out.append(
                Change(
                    label=_("Service addresses"),
                    old=_addresses_text(change["old"], names),
                    new=_addresses_text(change["new"], names),
                )
            )
        else:
            label = capfirst(str(Provider._meta.get_field(key).verbose_name))
            out.append(Change(label=label, old=_value_text(key, change["old"]), new=_value_text(key, change["new"])))
    return out
