"""Reminders of case deadlines (e-mail through Django's mail backend): an open deadline of an open case is reminded
when it is due within settings.IKMS_DEADLINE_DUE_SOON_WORKING_DAYS working days or overdue, to the case's assignee,
or to its team's members while nobody is assigned (only those the case type's policy lets see the case), at most
once every REPEAT_DAYS days. Run daily by `manage.py send_reminders` (with accreditation's reminders)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q

from ikms.cases.deadlines import working_calendar
from ikms.cases.models import Deadline
from ikms.cases.permissions import can_view_case_file

#: A deadline is reminded at most once a week (the same rhythm as accreditation's tasks).
REPEAT_DAYS = 7


def _recipients(deadline: Deadline) -> list[str]:
    case_file = deadline.case_file
    if case_file.assignee_id:
        people = [case_file.assignee]
    elif case_file.team_id:
        people = list(case_file.team.members.all())
    else:
        people = []
    # only people who may see the case (its type's policy): a team may hold members who do not
    return sorted({p.email for p in people if p.is_active and p.email and can_view_case_file(p, case_file)})


def send_deadline_reminders(*, today: dt.date) -> dict[str, int]:
    """Remind the people working on each case of its deadlines due soon or overdue; returns the counts."""
    horizon = working_calendar().add_working_days(today, settings.IKMS_DEADLINE_DUE_SOON_WORKING_DAYS)
    due = (
        Deadline.objects.filter(met_on__isnull=True, case_file__closed_on__isnull=True, due_on__lte=horizon)
        .filter(Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - dt.timedelta(days=REPEAT_DAYS)))
        .select_related("case_file__assignee", "case_file__team", "case_file__institution")
        .order_by("due_on")
    )
    sent = {"deadlines": 0, "emails": 0}
    for deadline in due:
        to = _recipients(deadline)
        if to:
            overdue = deadline.due_on < today
            when = f"{deadline.due_on:%d.%m.%Y}"
            send_mail(
                subject=(
                    f"{'Nokavēts termiņš' if overdue else 'Tuvojas termiņš'} {when} / "
                    f"{'Deadline passed' if overdue else 'Deadline near'}: {deadline.case_file.subject}"[:200]
                ),
                message=(
                    f"{deadline.case_file.subject}\n{deadline.label}: {when}.\n\n"
                    f"{'The deadline has passed' if overdue else 'The deadline is near'}: {when}."
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=to,
            )
            sent["emails"] += 1
        Deadline.objects.filter(pk=deadline.pk).update(reminded_on=today)  # bookkeeping only, not a state change
        sent["deadlines"] += 1
    return sent
