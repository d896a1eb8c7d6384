"""Writes to the register of child supervision providers. An application is recorded as a non-public entry; every
change after it is a recorded `ProviderDecision` (number, date, legal basis, justification, who decided), written
with its audit events and row history in one transaction (ikms.registry.services.RegisterRevision). A decision
dated in the future, without its legal basis, justification or reason, or that changes nothing, is refused with a
message and nothing is written."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.permissions import require_role
from ikms.childcare import permissions
from ikms.childcare.choices import (
    OPEN_STATUSES,
    REASONS,
    DecisionKind,
    ProviderKind,
    ProviderStatus,
    ServiceType,
)
from ikms.childcare.models import Provider, ProviderDecision, ServiceAddress
from ikms.childcare.validators import validate_registration_code
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError
from ikms.core.numbering import next_in_series
from ikms.core.personal_codes import personal_code_digest, validate_personal_code
from ikms.registry.services import DecisionInput, PlaceInput, RegisterRevision

#: A decision after the application checks the entry's fields but not its constraints again (each conditional
#: constraint costs a query): the one open entry per person or company was checked when the application was
#: recorded, a registration number is the year's next, and the database keeps every constraint in any case.
_CONSTRAINTS = "checked on application"
#: Fields of an entry an amendment may change (besides its service addresses).
AMENDABLE_FIELDS = ("name", "service_type")


def _check_decision(data: DecisionInput, *, kind: DecisionKind, reason: str, provider: Provider) -> None:
    """Refuse an incomplete decision before anything is written (every message names its field)."""
    errors: dict[str, str] = {}
    number = data.number.strip()
    if not number:
        errors["number"] = _("Enter the decision number.")
    elif ProviderDecision.objects.filter(number=number).exists():
        errors["number"] = _("A decision with this number is already recorded.")
    if data.date > timezone.localdate():
        errors["date"] = _("The decision date cannot be in the future.")
    elif data.date < provider.applied_on:
        errors["date"] = _("The decision date cannot be before the application was received.")
    elif (
        provider.registered_on
        and kind in (DecisionKind.AMEND, DecisionKind.REMOVE)
        and data.date < provider.registered_on
    ):
        errors["date"] = _("The decision date cannot be before the registration.")
    if not data.legal_basis.strip():
        errors["legal_basis"] = _("Enter the legal basis of the decision.")
    if not data.justification.strip():
        errors["justification"] = _("Enter the justification of the decision.")
    reasons = REASONS.get(kind)
    if reasons is not None and reason not in reasons.values:
        errors["reason"] = _("Choose the reason for the decision.")
    if errors:
        raise ValidationError(errors)


def _decision_record(
    *, actor, data: DecisionInput, kind: DecisionKind, provider: Provider, reason: str = "", changes: dict[str, Any]
) -> ProviderDecision:
    decision = ProviderDecision(
        number=data.number.strip(),
        date=data.date,
        kind=kind,
        reason=reason,
        legal_basis=data.legal_basis.strip(),
        justification=data.justification.strip(),
        decided_by=actor,
        provider=provider,
        changes=changes,
    )
    decision.full_clean()
    decision.save()
    audit_log(
        actor=actor,
        action=f"childcare.{kind}",
        target=provider,
        data={"decision": decision.number, "date": decision.date, "reason": reason, "changes": changes},
    )
    audit_log(actor=actor, action="childcare.decision", target=decision, data={"kind": kind, "provider": provider.pk})
    return decision


def _locked(provider: Provider) -> Provider:
    return Provider.objects.select_for_update().get(pk=provider.pk)


def _places(places: Iterable[PlaceInput]) -> list[PlaceInput]:
    cleaned = [PlaceInput(address=p.address.strip(), municipality=p.municipality) for p in places if p.address.strip()]
    if not cleaned:
        raise ValidationError({"address": _("Give at least one address where the service is provided.")})
    return cleaned


def _address_list(provider: Provider) -> list[dict[str, Any]]:
    return [
        {"address": a.address, "municipality": a.municipality.code}
        for a in provider.addresses.select_related("municipality")
    ]


def _write_addresses(provider: Provider, places: list[PlaceInput]) -> None:
    provider.addresses.all().delete()
    for place in places:
        row = ServiceAddress(provider=provider, address=place.address, municipality=place.municipality)
        row.full_clean()
        row.save()


def next_registration_number(year: int) -> str:
    """The next registration number of a year: BU-2024-0001, BU-2024-0002, …"""
    return next_in_series(Provider, "registration_number", f"BU-{year}-", 4)


# --- the application ------------------------------------------------------------------------------------------


@transaction.atomic
def provider_apply(
    *,
    actor,
    kind: str,
    name: str,
    service_type: str,
    places: Iterable[PlaceInput],
    application_number: str,
    applied_on: datetime.date,
    personal_code: str = "",
    registration_code: str = "",
) -> Provider:
    """Record an application for registration (MK 404): a non-public entry waiting for the decision. A natural
    person gives a personal code (kept only as its keyed hash), a legal person its registration code; one person or
    company has at most one open entry (an application or a registration)."""
    require_role(actor, permissions.DECIDE.roles)
    errors: dict[str, Any] = {}
    if kind not in ProviderKind.values:
        errors["kind"] = _("Choose whether the provider is a natural or a legal person.")
    if service_type not in ServiceType.values:
        errors["service_type"] = _("Choose the kind of service.")
    if not name.strip():
        errors["name"] = _("Enter the provider's name.")
    if not application_number.strip():
        errors["application_number"] = _("Enter the application's registration number.")
    if applied_on > timezone.localdate():
        errors["applied_on"] = _("The date received cannot be in the future.")
    digest = code = ""
    if kind == ProviderKind.NATURAL:
        try:
            validate_personal_code(personal_code)
            digest = personal_code_digest(personal_code)
        except ValidationError as exc:
            errors["personal_code"] = exc.messages
        if digest and Provider.objects.filter(personal_code_digest=digest, status__in=OPEN_STATUSES).exists():
            errors["personal_code"] = _("This person already has an application or a registration in the register.")
    elif kind == ProviderKind.LEGAL:
        code = registration_code.strip()
        try:
            validate_registration_code(code)
        except ValidationError as exc:
            errors["registration_code"] = exc.messages
        if code and Provider.objects.filter(registration_code=code, status__in=OPEN_STATUSES).exists():
            errors["registration_code"] = _(
                "This company already has an application or a registration in the register."
            )
    try:
        places = _places(places)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with RegisterRevision(actor, application_number.strip()):
        provider = Provider(
            kind=kind,
            name=name.strip(),
            service_type=service_type,
            registration_code=code,
            personal_code_digest=digest,
            application_number=application_number.strip(),
            applied_on=applied_on,
            status=ProviderStatus.APPLICATION,
        )
        provider.full_clean()
        provider.save()
        _write_addresses(provider, places)
        audit_log(
            actor=actor,
            action="childcare.apply",
            target=provider,
            data={"application": provider.application_number, "applied_on": applied_on, "kind": kind},
        )
    return provider


# --- decisions ------------------------------------------------------------------------------------------------


@transaction.atomic
def provider_register(*, actor, decision: DecisionInput, provider: Provider) -> Provider:
    """Register an applicant (MK 404): the entry gets its registration number and becomes public."""
    require_role(actor, permissions.DECIDE.roles)
    provider = _locked(provider)
    if provider.status != ProviderStatus.APPLICATION:
        raise ApplicationError(_("Only an application under consideration can be registered."))
    _check_decision(decision, kind=DecisionKind.REGISTER, reason="", provider=provider)
    with RegisterRevision(actor, decision.number.strip()):
        provider.registration_number = next_registration_number(decision.date.year)
        provider.status = ProviderStatus.REGISTERED
        provider.registered_on = decision.date
        provider.full_clean(validate_constraints=False)  # see _CONSTRAINTS
        provider.save(update_fields=["registration_number", "status", "registered_on", "updated_at"])
        _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.REGISTER,
            provider=provider,
            changes={
                "status": {"old": ProviderStatus.APPLICATION, "new": ProviderStatus.REGISTERED},
                "registration_number": {"old": "", "new": provider.registration_number},
            },
        )
    return provider


@transaction.atomic
def provider_refuse(*, actor, decision: DecisionInput, provider: Provider, reason: str) -> ProviderDecision:
    """Refuse to register an applicant, with the reason; the entry stays out of the public register."""
    require_role(actor, permissions.DECIDE.roles)
    provider = _locked(provider)
    if provider.status != ProviderStatus.APPLICATION:
        raise ApplicationError(_("Only an application under consideration can be refused."))
    _check_decision(decision, kind=DecisionKind.REFUSE, reason=reason, provider=provider)
    with RegisterRevision(actor, decision.number.strip()):
        provider.status = ProviderStatus.REFUSED
        provider.full_clean(validate_constraints=False)  # see _CONSTRAINTS
        provider.save(update_fields=["status", "updated_at"])
        return _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.REFUSE,
            provider=provider,
            reason=reason,
            changes={"status": {"old": ProviderStatus.APPLICATION, "new": ProviderStatus.REFUSED}},
        )


@transaction.atomic
def provider_amend(
    *,
    actor,
    decision: DecisionInput,
    provider: Provider,
    name: str | None = None,
    service_type: str | None = None,
    places: Iterable[PlaceInput] | None = None,
) -> ProviderDecision:
    """Amend a registered entry (name, kind of service, service addresses); a decision that changes nothing is
    refused."""
    require_role(actor, permissions.DECIDE.roles)
    provider = _locked(provider)
    if provider.status != ProviderStatus.REGISTERED:
        raise ApplicationError(_("Only a registered provider's entry can be amended."))
    _check_decision(decision, kind=DecisionKind.AMEND, reason="", provider=provider)
    if service_type is not None and service_type not in ServiceType.values:
        raise ValidationError({"service_type": _("Choose the kind of service.")})
    if name is not None and not name.strip():
        raise ValidationError({"name": _("Enter the provider's name.")})
    changes: dict[str, Any] = {}
    for field, new in (("name", name.strip() if name is not None else None), ("service_type", service_type)):
        if new is not None and getattr(provider, field) != new:
            changes[field] = {"old": getattr(provider, field), "new": new}
    new_places = _places(places) if places is not None else None
    old_addresses = _address_list(provider)
    if new_places is not None:
        new_addresses = [{"address": p.address, "municipality": p.municipality.code} for p in new_places]
        if new_addresses != old_addresses:
            changes["addresses"] = {"old": old_addresses, "new": new_addresses}
    if not changes:
        raise ApplicationError(_("The decision changes nothing in the entry."))
    with RegisterRevision(actor, decision.number.strip()):
        for field in AMENDABLE_FIELDS:
            if field in changes:
                setattr(provider, field, changes[field]["new"])
        provider.full_clean(validate_constraints=False)  # see _CONSTRAINTS
        provider.save(update_fields=[*[f for f in AMENDABLE_FIELDS if f in changes], "updated_at"])
        if "addresses" in changes and new_places is not None:
            _write_addresses(provider, new_places)
        return _decision_record(actor=actor, data=decision, kind=DecisionKind.AMEND, provider=provider, changes=changes)


@transaction.atomic
def provider_remove(*, actor, decision: DecisionInput, provider: Provider, reason: str) -> ProviderDecision:
    """Remove a provider from the register, with the reason; the entry stays public as removed."""
    require_role(actor, permissions.DECIDE.roles)
    provider = _locked(provider)
    if provider.status != ProviderStatus.REGISTERED:
        raise ApplicationError(_("Only a registered provider can be removed from the register."))
    _check_decision(decision, kind=DecisionKind.REMOVE, reason=reason, provider=provider)
    with RegisterRevision(actor, decision.number.strip()):
        provider.status = ProviderStatus.REMOVED
        provider.removed_on = decision.date
        provider.full_clean(validate_constraints=False)  # see _CONSTRAINTS
        provider.save(update_fields=["status", "removed_on", "updated_at"])
        return _decision_record(
            actor=actor,
            data=decision,
            kind=DecisionKind.REMOVE,
            provider=provider,
            reason=reason,
            changes={"status": {"old": ProviderStatus.REGISTERED, "new": ProviderStatus.REMOVED}},
        )
