"""Reads of case files, their documents and deadlines, and the work queue (ADR 0022). Every row comes through the
case types' policies (`types.visible_files_q`), so a list, a page and a download agree on who sees what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ikms.accounts.models import User
from ikms.accounts.roles import IKVD_STAFF_ROLES
from ikms.cases.choices import Urgency
from ikms.cases.deadlines import working_days_left
from ikms.cases.models import Attachment, CaseFile, Deadline, Team
from ikms.cases.types import CaseType, case_type, visible_files_q


def case_file_visible_to(user) -> QuerySet[CaseFile]:
    """The case files of every type the user may see."""
    return CaseFile.objects.filter(visible_files_q(user))


def case_file_get_for_user(*, user, pk) -> CaseFile:
    """One visible case file, or Http404 (the same for a missing and a forbidden one)."""
    try:
        found = CaseFile.objects.select_related("institution", "assignee", "team").get(pk=pk)
    except (CaseFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    t = case_type(found.kind)
    if t is None or not t.policy.allows(user, found):
        raise Http404
    return found


def attachment_get_for_user(*, user, pk) -> Attachment:
    """One document whose case file the user may see, or Http404."""
    try:
        found = Attachment.objects.select_related("case_file").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    t = case_type(found.case_file.kind)
    if t is None or not t.policy.allows(user, found.case_file):
        raise Http404
    return found


def deadline_get_for_user(*, user, pk) -> Deadline:
    """One deadline whose case file the user may see, or Http404."""
    try:
        found = Deadline.objects.select_related("case_file").get(pk=pk)
    except (Deadline.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    t = case_type(found.case_file.kind)
    if t is None or not t.policy.allows(user, found.case_file):
        raise Http404
    return found


def case_file_for(obj) -> CaseFile | None:
    """The case file a domain case points to (its `case_file` field), if any."""
    return getattr(obj, "case_file", None)


def next_open_deadline(case_file: CaseFile) -> Deadline | None:
    """The case's open deadline that falls due first."""
    return case_file.deadlines.filter(met_on__isnull=True).order_by("due_on", "id").first()


def case_file_documents(case_file: CaseFile) -> QuerySet[Attachment]:
    return case_file.attachments.select_related("uploaded_by").order_by("-dated_on", "-id")


def case_file_deadlines(case_file: CaseFile) -> QuerySet[Deadline]:
    return case_file.deadlines.prefetch_related("extensions__extended_by").order_by("due_on", "id")


# --- the work queue --------------------------------------------------------------------------------------------


def urgency(deadline: Deadline | None, today: dt.date) -> str:
    """Overdue once the day has passed; due soon within settings.IKMS_DEADLINE_DUE_SOON_WORKING_DAYS working days."""
    if deadline is None or deadline.met_on is not None:
        return Urgency.OPEN
    if deadline.due_on < today:
        return Urgency.OVERDUE
    if working_days_left(deadline.due_on, today) <= settings.IKMS_DEADLINE_DUE_SOON_WORKING_DAYS:
        return Urgency.DUE_SOON
    return Urgency.OPEN


@dataclass
class QueueItem:
    """One open case on a work queue, with its next open deadline."""

    case_file: CaseFile
    type: CaseType
    deadline: Deadline | None
    urgency: str
    days_left: int | None  # working days to the deadline (negative: past it)

    @property
    def url(self) -> str:
        return self.type.url(self.case_file)

    @property
    def urgency_label(self) -> str:
        return str(Urgency(self.urgency).label)


@dataclass
class WorkQueue:
    """A user's queue: the open cases assigned to them, and those of their teams assigned to nobody else."""

    mine: list[QueueItem]
    team: list[QueueItem]
    teams: list[Team]

    def count(self, which: str) -> int:
        return sum(1 for i in (*self.mine, *self.team) if i.urgency == which)

    @property
    def overdue(self) -> int:
        return self.count(Urgency.OVERDUE)

    @property
    def due_soon(self) -> int:
        return self.count(Urgency.DUE_SOON)


_ORDER = {Urgency.OVERDUE: 0, Urgency.DUE_SOON: 1, Urgency.OPEN: 2}


def _item(case_file: CaseFile, today: dt.date) -> QueueItem | None:
    t = case_type(case_file.kind)
    if t is None:
        return None
    deadline = next(iter(case_file.open_deadlines), None)
    days = working_days_left(deadline.due_on, today) if deadline is not None else None
    return QueueItem(case_file=case_file, type=t, deadline=deadline, urgency=urgency(deadline, today), days_left=days)


def _sorted(items: list[QueueItem]) -> list[QueueItem]:
    return sorted(
        items,
        key=lambda i: (
            _ORDER[Urgency(i.urgency)],
            i.deadline.due_on if i.deadline else dt.date.max,
            i.case_file.opened_on,
            i.case_file.pk,
        ),
    )


def work_queue(user, *, today: dt.date) -> WorkQueue:
    """What is the user's (assigned to them) and their teams' (assigned to a team of theirs and not to them), open
    cases only, each with its next open deadline: overdue first, then due soon, then by date. Only case files the
    user may see (a case type's policy) are listed."""
    teams = list(Team.objects.filter(members=user)) if getattr(user, "is_authenticated", False) else []
    files = (
        case_file_visible_to(user)
        .filter(closed_on__isnull=True)
        .select_related("institution", "assignee", "team")
        .prefetch_related(
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(met_on__isnull=True).order_by("due_on", "id"),
                to_attr="open_deadlines",
            )
        )
    )
    mine = files.filter(assignee=user) if getattr(user, "is_authenticated", False) else files.none()
    team = files.filter(team__in=teams).exclude(assignee=user) if teams else files.none()
    return WorkQueue(
        mine=_sorted([i for f in mine if (i := _item(f, today))]),
        team=_sorted([i for f in team if (i := _item(f, today))]),
        teams=teams,
    )


def assignable_people() -> QuerySet:
    """Who a case can be assigned to: active users holding an IKVD staff role today (the service then checks that
    the person sees the case)."""
    today = timezone.localdate()
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[r.value for r in IKVD_STAFF_ROLES],
            role_assignments__valid_from__lte=today,
        )
        .filter(Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=today))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
