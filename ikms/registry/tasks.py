"""Background jobs of the registers (Django's task API: immediate in the demo, a database queue
and `manage.py db_worker` in production)."""

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from ikms.accounts.models import RoleAssignment
from ikms.accounts.roles import Role
from ikms.core.formatting import date_text
from ikms.registry.models import Decision

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("ikms_notifications_suppressed", default=False)


@contextlib.contextmanager
def notifications_suppressed() -> Iterator[None]:
    """No decision e-mails inside this block (bulk data migrations, the demo generator)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def notifications_enabled() -> bool:
    return not _suppressed.get()


@task()
def notify_decision(decision_id: int) -> int:
    """E-mail the founder's and the head's users that a decision about their institution was recorded."""
    decision = Decision.objects.select_related("institution").filter(pk=decision_id).first()
    if decision is None or decision.institution is None:
        return 0
    today = timezone.localdate()
    institution = decision.institution
    recipients = sorted({
        a.user.email for a in RoleAssignment.objects.select_related("user").filter(
            Q(role=Role.FOUNDER, founder_id=institution.founder_id)
            | Q(role=Role.INSTITUTION_HEAD, institution_id=institution.pk),
            valid_from__lte=today).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        if a.user.email and a.user.is_active
    })
    if not recipients:
        return 0
    with override("lv"):
        subject_lv = _("IKVD decision %(number)s: %(event)s") % {"number": decision.number,
                                                                  "event": decision.event_label}
        day = date_text(decision.date)
    with override("en"):
        subject_en = _("IKVD decision %(number)s: %(event)s") % {"number": decision.number,
                                                                  "event": decision.event_label}
    body = f"{subject_lv}\n{institution.name} ({institution.registration_number}), {day}\n\n{subject_en}\n"
    send_mail(f"{subject_lv} / {subject_en}", body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
