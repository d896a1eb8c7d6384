"""The case workflow as one transition table (ADR 0003). A row: action, the states it leaves from,
the state it goes to, the parties that may take it, and the data it needs. Only
services.case_apply and services.case_transition execute it; permissions.can_transition reads it;
the tests iterate over it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ikms.accreditation.choices import CaseState as S

#: Parties of a case. Which of them a user is, is worked out in permissions.parties().
IKVD = "ikvd"  # IKVD quality staff: Role.QUALITY_EXPERT, Role.IKVD_ADMIN
APPLICANT = "applicant"  # the institution's head or its founder (own institutions only)
MEMBER = "member"  # an appointed commission member (chair or expert)
CHAIR = "chair"  # the appointed chair
PARTIES = (IKVD, APPLICANT, MEMBER, CHAIR)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]  # empty: creates the case
    target: str
    parties: tuple[str, ...]
    required: tuple[str, ...]
    label: object = ""

    @property
    def is_loop(self) -> bool:
        return self.sources == (self.target,)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("apply", (), S.APPLIED, (APPLICANT,), ("kind", "version", "founder_agreed"), _("Apply")),
    Transition("self_rate", (S.APPLIED,), S.APPLIED, (APPLICANT,), ("self_ratings",),
               _("Self-rate the criteria")),
    Transition("register", (S.APPLIED,), S.REGISTERED, (IKVD,), (), _("Register the application")),
    Transition("withdraw", (S.APPLIED, S.REGISTERED), S.WITHDRAWN, (APPLICANT, IKVD), ("reason",),
               _("Withdraw the application")),
    Transition("appoint", (S.REGISTERED,), S.COMMISSION, (IKVD,), ("chair", "experts"), _("Appoint the commission")),
    Transition("declare", (S.COMMISSION,), S.COMMISSION, (MEMBER,), ("no_conflict",),
               _("Declare no conflict of interest")),
    Transition("plan", (S.COMMISSION,), S.PLANNED, (CHAIR, IKVD),
               ("mode", "methods", "visit_start", "visit_end", "day_plan"), _("Plan the evaluation")),
    Transition("rate", (S.PLANNED,), S.PLANNED, (MEMBER,), ("ratings",), _("Rate the criteria")),
    Transition("draft", (S.PLANNED,), S.DRAFT, (CHAIR,), ("draft_report",), _("Submit the draft report")),
    Transition("comment", (S.DRAFT,), S.COMMENTED, (APPLICANT,), ("institution_comments",),
               _("Comment on the draft report")),
    Transition("finalise", (S.COMMENTED,), S.FINAL, (CHAIR,), ("report_public", "report_private"),
               _("Submit the final report")),
    Transition("decide", (S.FINAL,), S.DECIDED, (IKVD,), ("date",), _("Decide")),
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
    reachable = {t.target for t in TRANSITIONS}
    if reachable != states:
        raise ValueError(f"workflow: unreachable states {states - reachable}")
