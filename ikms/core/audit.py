"""Writing and reading the domain event log (audit trail layer 1, ADR 0004)."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet

from ikms.core.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def audit_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    institution_id: int | None = None,
) -> AuditEvent:
    """An unsaved event: what `audit_log` writes, for `audit_log_many` to write many at once."""
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        institution_id_ref=institution_id,
        data=_jsonable(data or {}),
    )


def _in_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must be called inside the service transaction")


def audit_log(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    institution_id: int | None = None,
) -> AuditEvent:
    """Record a business event; must run inside the service's transaction."""
    _in_transaction("audit_log")
    event = audit_event(actor=actor, action=action, target=target, data=data, institution_id=institution_id)
    event.save(force_insert=True)
    return event


def audit_log_many(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Record many business events (built with `audit_event`) in one insert: a batch service's log is the same as
    its one-by-one calls would write. Must run inside the service's transaction."""
    _in_transaction("audit_log_many")
    return AuditEvent.objects.bulk_create(list(events))


def audit_events_for(*, target: models.Model) -> QuerySet[AuditEvent]:
    """The event log of one object, newest first."""
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        target_id=str(target.pk),
    ).select_related("actor")


def audit_events_for_institution(*, institution_id: int) -> QuerySet[AuditEvent]:
    """Every event that concerns an institution (its entry, programmes, decisions), newest first."""
    return AuditEvent.objects.filter(institution_id_ref=institution_id).select_related(
        "actor", "target_type"
    )


def with_target_names(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events, each with `target_name`: its object as it reads now, in the active language (a decision's kind
    and date), read with one query per model; for an object since deleted, the text stored with the event (in the
    language of whoever wrote it)."""
    events = list(events)
    wanted: dict[int, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.target_type_id].add(event.target_id)
    found: dict[tuple[int, str], models.Model] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            found.update({(type_id, str(obj.pk)): obj for obj in model._default_manager.filter(pk__in=ids)})
    for event in events:
        obj = found.get((event.target_type_id, event.target_id))
        event.target_name = str(obj)[:300] if obj is not None else event.target_repr
    return events
