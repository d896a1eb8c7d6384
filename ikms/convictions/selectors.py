"""Reads of the spent-conviction commission's records. Every row comes through the commission's policies
(`permissions.APPLICATION`, `MEETING`): for anyone outside the commission every scoper is empty and every getter a
404, so no page, export or count of theirs can hold a record. The read log is the data protection officer's
(`read_log_for`). Reading a record is logged by the pages (`reads.read_record`), not here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.cases.models import Deadline
from ikms.cases.selectors import urgency
from ikms.convictions import permissions
from ikms.convictions.case_type import KIND
from ikms.convictions.choices import PERMITS, ApplicationState, DecisionKind, TargetGroup
from ikms.convictions.models import Application, Decision, Meeting, Opinion, ReadLog
from ikms.core.models import AuditEvent

# --- applications ---------------------------------------------------------------------------------------------


def application_visible_to(user) -> QuerySet[Application]:
    """The applications the user sees: every one for the commission, none for anyone else."""
    return permissions.APPLICATION.scope(user, Application.objects.all())


def application_get_for_user(*, user, pk) -> Application:
    """One application, or Http404 (the same for a missing one and for anyone outside the commission)."""
    return permissions.APPLICATION.get(user, Application.objects.select_related("case_file", "registered_by"), pk=pk)


def filter_applications(qs: QuerySet[Application], *, state: str = "", year: int | None = None):
    """By state (waiting for a decision or decided) and the year received."""
    if state == ApplicationState.OPEN:
        qs = qs.filter(outcome="")
    elif state == ApplicationState.DECIDED:
        qs = qs.exclude(outcome="")
    if year:
        qs = qs.filter(received_on__year=year)
    return qs


def decision_deadline(application: Application) -> Deadline | None:
    return application.case_file.deadlines.order_by("id").first()


def application_rows(qs: QuerySet[Application], *, today: dt.date) -> list[tuple]:
    """(application, its deadline, the deadline's urgency) for a list page."""
    rows = []
    for a in qs.select_related("case_file").prefetch_related(
        Prefetch("case_file__deadlines", queryset=Deadline.objects.order_by("id"), to_attr="all_deadlines")
    ):
        deadline = next(iter(a.case_file.all_deadlines), None)
        rows.append((a, deadline, urgency(deadline, today) if a.is_open else ""))
    return rows


def decisions_of(application: Application) -> QuerySet[Decision]:
    return application.decisions.select_related("meeting", "decided_by", "annuls").order_by("date", "id")


def permit_in_force(application: Application) -> Decision | None:
    """The application's permit (limited or not) that no decision has annulled, if any."""
    return application.decisions.filter(kind__in=PERMITS, annulled_by__isnull=True).order_by("-date", "-id").first()


def opinions_of(application: Application) -> QuerySet[Opinion]:
    return application.opinions.select_related("member").order_by("created_at", "id")


def same_person(application: Application) -> QuerySet[Application]:
    """The person's other applications (the same personal-code hash), newest first."""
    return (
        Application.objects.filter(personal_code_digest=application.personal_code_digest)
        .exclude(pk=application.pk)
        .order_by("-received_on", "-id")
    )


def target_group_labels(codes: list[str]) -> list[str]:
    labels = dict(TargetGroup.choices)
    return [str(labels.get(c, c)) for c in codes]


# --- meetings -------------------------------------------------------------------------------------------------


def meeting_visible_to(user) -> QuerySet[Meeting]:
    return permissions.MEETING.scope(user, Meeting.objects.all())


def meeting_get_for_user(*, user, pk) -> Meeting:
    return permissions.MEETING.get(user, Meeting.objects.select_related("recorded_by"), pk=pk)


def meeting_rows(user, *, year: int | None = None) -> QuerySet[Meeting]:
    """The meetings the user sees, with how many members were present and how many decisions were taken."""
    qs = meeting_visible_to(user)
    if year:
        qs = qs.filter(held_on__year=year)
    return qs.annotate(
        present=Count("members_present", distinct=True), decided=Count("decisions", distinct=True)
    ).order_by("-held_on", "-id")


def meeting_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("application").order_by("number", "id")


def commission_members() -> QuerySet[User]:
    """Everyone who has ever held the commission member's role (the meeting form offers them; the service checks
    the role on the day)."""
    return (
        User.objects.filter(role_assignments__role=Role.CONVICTION_COMMISSION)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- export ---------------------------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [
        _("Reference"),
        _("Received on"),
        _("Intended work"),
        _("Decision"),
        _("Decision number"),
        _("Decision date"),
        _("Meeting"),
    ]


def export_rows(qs: QuerySet[Application]) -> list[list]:
    """The commission's own export: the applications and their decisions, without the person's name or code."""
    kinds = dict(DecisionKind.choices)
    rows = []
    for a in qs.prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("meeting").order_by("date", "id"))
    ):
        decisions = list(a.decisions.all()) or [None]
        for d in decisions:
            rows.append(
                [
                    a.reference,
                    a.received_on,
                    a.intended_work,
                    str(kinds[d.kind]) if d else "",
                    d.number if d else "",
                    d.date if d else None,
                    d.meeting.number if d else "",
                ]
            )
    return rows


# --- the year's figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigures:
    """What the commission did in a calendar year (the annual report's figures)."""

    year: int
    meetings: int
    permits: int  # permits granted, limited ones included
    limited: int  # of which limited to target groups
    refused: int
    annulled: int
    persons: int  # different persons with a decision that year
    received: int  # applications received that year

    @property
    def decisions(self) -> int:
        return self.permits + self.refused + self.annulled


def year_figures(user, year: int) -> YearFigures:
    """The year's figures, counted from the records the user sees (for anyone outside the commission: nothing,
    and the pages refuse them before asking)."""
    return _figures(year, permissions.APPLICATION.scope(user, Application.objects.all()), meeting_visible_to(user))


def _figures(year: int, applications: QuerySet[Application], meetings: QuerySet[Meeting]) -> YearFigures:
    dated = Decision.objects.filter(date__year=year, application__in=applications.values("pk"))
    by_kind = dict(dated.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return YearFigures(
        year=year,
        meetings=meetings.filter(held_on__year=year).count(),
        permits=sum(by_kind.get(k, 0) for k in PERMITS),
        limited=by_kind.get(DecisionKind.PERMIT_LIMITED, 0),
        refused=by_kind.get(DecisionKind.REFUSAL, 0),
        annulled=by_kind.get(DecisionKind.ANNULMENT, 0),
        persons=dated.values("application__personal_code_digest").distinct().count(),
        received=applications.filter(received_on__year=year).count(),
    )


def decision_years(user) -> list[int]:
    """The years in which the commission decided, newest first (none for anyone outside it)."""
    dates = Decision.objects.filter(application__in=application_visible_to(user).values("pk")).dates("date", "year")
    return sorted({d.year for d in dates}, reverse=True)


def calibration_counts(user, year: int) -> dict[str, int]:
    """The year's figures under calibration-2024.yaml's keys (`previously_convicted_persons`)."""
    return _published(year_figures(user, year))


def published_counts(year: int) -> dict[str, int]:
    """The year's figures as IKVD publishes them in its annual report (ikms.reports.annual), counted over every
    record: four counts of the commission's work leave, never a row, a name or a person."""
    return _published(_figures(year, Application.objects.all(), Meeting.objects.all()))


def _published(f: YearFigures) -> dict[str, int]:
    return {
        "commission_meetings": f.meetings,
        "permits_granted": f.permits,
        "refused": f.refused,
        "annulled": f.annulled,
    }


def open_count(user) -> int:
    """Applications waiting for a decision (for the commission's start page); 0 for anyone else."""
    return application_visible_to(user).filter(outcome="").count()


def overdue_count(user, *, today: dt.date) -> int:
    """Applications waiting for a decision past their deadline; 0 for anyone else."""
    return (
        application_visible_to(user)
        .filter(outcome="", case_file__deadlines__met_on__isnull=True, case_file__deadlines__due_on__lt=today)
        .distinct()
        .count()
    )


# --- the read log ---------------------------------------------------------------------------------------------


def read_log_for(user, *, reference: str = "") -> QuerySet[ReadLog]:
    """The read log, newest first, for the data protection officer (nobody else); `reference` keeps the reads that
    showed that application."""
    if not permissions.can_view_read_log(user):
        raise Http404
    qs = ReadLog.objects.select_related("reader", "meeting").prefetch_related(
        Prefetch("applications", queryset=Application.objects.only("id", "reference").order_by("reference"))
    )
    if reference.strip():
        qs = qs.filter(applications__reference=reference.strip().upper())
    return qs.order_by("-at", "-id")


# --- kept out of the admin ------------------------------------------------------------------------------------


def restricted_events_q() -> Q:
    """The audit events about the commission's records (its own actions, and the case core's on its case files):
    the admin's event log leaves them out, so an IKVD administrator learns nothing of them, not even a count."""
    return Q(action__startswith="convictions.") | (Q(action__startswith="cases.") & Q(data__kind=KIND))


def visible_events(qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
    """The events of `qs` other than the commission's."""
    return qs.exclude(restricted_events_q())
