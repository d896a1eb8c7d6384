"""Test helpers: an inspection driven to any state by the right parties (used by the workflow, view, URL-auth and
browser tests)."""

import datetime

from django.utils import timezone

from ikms.inspections import services
from ikms.inspections.choices import InspectionState, OrderKind, Severity


def drive(*, inspector, head, institution, state: str, visit=None) -> services.Inspection:
    """An inspection of `institution` in `state`, every step taken through the services."""
    today = timezone.localdate()
    inspection = services.inspection_plan(
        actor=inspector,
        institution=institution,
        visit=visit,
        planned_on=today - datetime.timedelta(days=20),
        subject="Mācību procesa organizācijas pārbaude",
    )
    if state == InspectionState.PLANNED:
        return inspection
    if state == InspectionState.CANCELLED:
        return services.inspection_cancel(actor=inspector, inspection=inspection, reason="Iestāde reorganizēta")
    services.visit_record(actor=inspector, inspection=inspection, visited_on=today - datetime.timedelta(days=10))
    if state == InspectionState.VISITED:
        return _fresh(inspection)
    services.act_write(
        actor=inspector,
        inspection=inspection,
        dated_on=today - datetime.timedelta(days=5),
        summary="Pārbaudē konstatētas nepilnības stundu sarakstā.",
    )
    finding = services.finding_add(
        actor=inspector,
        inspection=inspection,
        severity=Severity.MODERATE,
        text="Stundu saraksts neatbilst licencētajai programmai.",
        legal_basis="Izglītības likuma 30. pants",
    )
    services.order_issue(
        actor=inspector,
        inspection=inspection,
        kind=OrderKind.ORDER,
        finding=finding,
        text="Saskaņot stundu sarakstu ar programmu.",
        due_on=today + datetime.timedelta(days=30),
    )
    if state == InspectionState.ACT:
        return _fresh(inspection)
    services.act_send(actor=inspector, inspection=inspection)
    if state == InspectionState.FOLLOW_UP:
        return _fresh(inspection)
    order = inspection.orders.get()
    evidence = services.evidence_submit(actor=head, order=order, text="Stundu saraksts saskaņots.")
    services.evidence_review(actor=inspector, evidence=evidence, accept=True)
    return services.inspection_close(actor=inspector, inspection=_fresh(inspection))


def _fresh(inspection):
    inspection.refresh_from_db()
    return inspection
