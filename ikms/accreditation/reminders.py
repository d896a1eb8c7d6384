"""Reminders before task deadlines and before accreditation terms end (e-mail through Django's
mail backend; the console backend in the demo). Run daily by `manage.py send_reminders`."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import translation

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accreditation.choices import TaskStatus
from ikms.accreditation.models import Task
from ikms.core.formatting import date_text
from ikms.registry.choices import AccreditationState
from ikms.registry.models import Accreditation

#: Days before an accreditation term ends when its institution is reminded (the application is due
#: no later than 4 months before the term ends: domain.md §1.5).
TERM_MILESTONES = (180, 150, 130)
#: A task is reminded at most once a week while its deadline is near.
TASK_REPEAT_DAYS = 7


def _recipients(institution, on: datetime.date) -> list[str]:
    users = User.objects.filter(
        Q(role_assignments__role=Role.INSTITUTION_HEAD, role_assignments__institution=institution)
        | Q(role_assignments__role=Role.FOUNDER, role_assignments__founder_id=institution.founder_id),
        role_assignments__valid_from__lte=on, is_active=True,
    ).filter(Q(role_assignments__valid_to__isnull=True) | Q(role_assignments__valid_to__gte=on)).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _dates(day: datetime.date) -> tuple[str, str]:
    """The date as the Latvian and the English pages write it (27.03.2025. / 27 March 2025)."""
    with translation.override("lv"):
        lv = date_text(day)
    with translation.override("en"):
        return lv, date_text(day)


def send_reminders(*, today: datetime.date, task_days: int = 30) -> dict[str, int]:
    sent = {"tasks": 0, "terms": 0, "emails": 0}
    due = Task.objects.filter(status=TaskStatus.OPEN, deadline__gte=today,
                              deadline__lte=today + datetime.timedelta(days=task_days)).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - datetime.timedelta(days=TASK_REPEAT_DAYS))
    ).select_related("institution")
    for task in due:
        to = _recipients(task.institution, today)
        if to:
            lv, en = _dates(task.deadline)
            name = task.institution.name
            send_mail(
                subject=f"Uzdevuma termiņš {lv} / Task due {en}: {name}",
                message=(f"{name}: atgādinām, ka {lv} beidzas termiņš uzdevumam, ko noteicis IKVD:\n"
                         f"{task.description}\n\n"
                         f"{name}: a reminder that the task IKVD set is due on {en}."),
                from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=to)
            sent["emails"] += 1
        Task.objects.filter(pk=task.pk).update(reminded_on=today)  # bookkeeping only, not a state change
        sent["tasks"] += 1
    latest: dict[int, Accreditation] = {}
    for acc in Accreditation.objects.select_related("institution").order_by("institution_id", "valid_from", "id"):
        latest[acc.institution_id] = acc
    for acc in latest.values():
        if acc.state == AccreditationState.REFUSED or acc.valid_until is None:
            continue
        if (acc.valid_until - today).days in TERM_MILESTONES:
            to = _recipients(acc.institution, today)
            if to:
                lv, en = _dates(acc.valid_until)
                name = acc.institution.name
                send_mail(
                    subject=f"Akreditācija beidzas {lv} / Accreditation ends {en}: {name}",
                    message=(f"{name}: akreditācijas termiņš beidzas {lv}. Iesniegums nākamajai akreditācijai "
                             "jāiesniedz ne vēlāk kā 4 mēnešus pirms termiņa beigām.\n\n"
                             f"{name}: the accreditation ends on {en}. Apply for the next accreditation at least "
                             "4 months before it ends."),
                    from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=to)
                sent["emails"] += 1
            sent["terms"] += 1
    return sent
