"""The inspection workflow as one transition table (ADR 0003). A row: action, the states it leaves from, the state it
goes to, the parties that may take it. Only services.inspection_transition executes it (the steps that also write
rows — the act, orders, evidence — call it); permissions.can_transition reads it; the tests iterate over it.

plan → visited (record_visit) → act (write_act; findings and orders are added while the act is open) →
follow_up (send_act, when it gives orders) → closed (close, when every order is met; straight from `act` when the
act gives none). A planned inspection can be cancelled. The institution submits evidence during follow-up; the
inspector accepts or rejects it (loops on follow_up)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ikms.inspections.choices import InspectionState as S

IKVD = "ikvd"  # supervision inspectors and IKVD administrators
INSTITUTION = "institution"  # the inspected institution's head or its founder
PARTIES = (IKVD, INSTITUTION)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]  # empty: creates the inspection
    target: str
    parties: tuple[str, ...]
    label: object = ""


TRANSITIONS: tuple[Transition, ...] = (
    Transition("plan", (), S.PLANNED, (IKVD,), _("Plan the inspection")),
    Transition("cancel", (S.PLANNED,), S.CANCELLED, (IKVD,), _("Cancel the inspection")),
    Transition("record_visit", (S.PLANNED,), S.VISITED, (IKVD,), _("Record the visit")),
    Transition("write_act", (S.VISITED,), S.ACT, (IKVD,), _("Write the act")),
    Transition("add_finding", (S.ACT,), S.ACT, (IKVD,), _("Add a finding")),
    Transition("issue_order", (S.ACT,), S.ACT, (IKVD,), _("Give a recommendation or an order")),
    Transition("send_act", (S.ACT,), S.FOLLOW_UP, (IKVD,), _("Send the act and start the follow-up")),
    Transition("submit_evidence", (S.FOLLOW_UP,), S.FOLLOW_UP, (INSTITUTION,), _("Submit evidence")),
    Transition("review_evidence", (S.FOLLOW_UP,), S.FOLLOW_UP, (IKVD,), _("Review evidence")),
    Transition("close", (S.ACT, S.FOLLOW_UP), S.CLOSED, (IKVD,), _("Close the inspection")),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition:
    return BY_ACTION[action]


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]


def validate_table() -> None:
    """Start-up check: known states and parties, unique actions, every state reachable."""
    states = set(S.values)
    seen = set()
    for t in TRANSITIONS:
        if t.action in seen:
            raise ValueError(f"workflow: action {t.action} repeated")
        seen.add(t.action)
        if t.target not in states or not set(t.sources) <= states:
            raise ValueError(f"workflow: unknown state in {t.action}")
        if not t.parties or not set(t.parties) <= set(PARTIES):
            raise ValueError(f"workflow: unknown party in {t.action}")
    if {t.target for t in TRANSITIONS} != states:
        raise ValueError(f"workflow: unreachable states {states - {t.target for t in TRANSITIONS}}")
