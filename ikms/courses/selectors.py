"""Reads of IKVD's courses and events, scoped by ikms.courses.permissions: which events a user sees, one event or
registration (Http404 for missing and forbidden alike), a user's own training, and the completed training the
experts register shows (`completed_training`, `completed_training_hours`: accreditation reads them, courses never
imports accreditation)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ikms.accounts.selectors import user_roles
from ikms.courses import permissions
from ikms.courses.choices import AUDIENCE_ROLES, Attendance
from ikms.courses.models import Course, Event, Registration


def _audiences_of(user) -> list[str]:
    held = user_roles(user)
    return [str(a) for a, role in AUDIENCE_ROLES.items() if role in held]


def event_visible_to(user) -> QuerySet[Event]:
    """IKVD's staff every event; a head, founder or expert the events of courses meant for them and those they are
    registered in; nobody else any."""
    qs = Event.objects.select_related("course").annotate(registered=Count("registrations"))
    if not permissions.can_use_courses(user):
        return qs.none()
    if permissions.can_manage(user):
        return qs
    # audiences are a JSON list; courses are few, so the match is made here (SQLite has no JSON `contains`)
    audiences = set(_audiences_of(user))
    meant = [c.pk for c in Course.objects.only("pk", "audiences") if audiences & set(c.audiences)]
    q = Q(registrations__user=user) | Q(course_id__in=meant)
    return qs.filter(pk__in=Event.objects.filter(q).values("pk"))


def event_list(user, *, upcoming_only: bool) -> list[Event]:
    """The events a user sees, the coming ones first in date order (or only those)."""
    today = timezone.localdate()
    qs = event_visible_to(user)
    if upcoming_only:
        return list(qs.filter(ends_on__gte=today).order_by("starts_on", "pk"))
    return list(qs.order_by("-starts_on", "pk"))


def event_get_for_user(*, user, pk: int) -> Event:
    try:
        return event_visible_to(user).get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def course_get_for_user(*, user, pk: int) -> Course:
    """A course whose events the user sees (IKVD's staff: every course)."""
    if permissions.can_manage(user):
        found = Course.objects.filter(pk=pk).first()
    else:
        found = Course.objects.filter(pk=pk, events__in=event_visible_to(user)).distinct().first()
    if found is None:
        raise Http404
    return found


def course_list(user) -> QuerySet[Course]:
    if permissions.can_manage(user):
        return Course.objects.annotate(event_count=Count("events"))
    return Course.objects.none()


def event_registrations(event: Event) -> list[Registration]:
    return list(event.registrations.select_related("user").order_by("person_name", "pk"))


def places_left(event: Event) -> int:
    return max(event.capacity - event.registrations.count(), 0)


def registration_get_for_user(*, user, pk: int) -> Registration:
    """One registration: IKVD's staff any; a participant their own (Http404 otherwise)."""
    found = Registration.objects.select_related("event__course", "user").filter(pk=pk).first()
    if found is None or not permissions.can_view_registration(user, found):
        raise Http404
    return found


def my_training(user) -> list[Registration]:
    """A user's own registrations, the latest event first."""
    return list(
        Registration.objects.filter(user=user).select_related("event__course").order_by("-event__starts_on", "-pk")
    )


@dataclass(frozen=True)
class CompletedCourse:
    """A course the user completed in IKMS: its title, hours, last day, and certificate number if issued."""

    course: str
    hours: int
    completed_on: datetime.date
    certificate_number: str
    registration_id: int
    course_lv: str = ""


def _completed(users: Iterable) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user__in=list(users), attendance=Attendance.COMPLETED)
        .select_related("event__course")
        .order_by("-event__ends_on", "-pk")
    )


def completed_training(user) -> list[CompletedCourse]:
    """The IKMS courses the user completed (the experts register shows them beside the training recorded by hand)."""
    return [_row(r) for r in _completed([user])]


def _row(r: Registration) -> CompletedCourse:
    return CompletedCourse(
        course=r.event.course.name,
        hours=r.event.course.hours,
        completed_on=r.event.ends_on,
        certificate_number=r.certificate_number,
        registration_id=r.pk,
        course_lv=r.event.course.name_lv,
    )


def completed_training_by_user(users: Iterable) -> dict[int, list[CompletedCourse]]:
    """The IKMS courses completed, per user id, in one query (users without any are left out)."""
    out: dict[int, list[CompletedCourse]] = defaultdict(list)
    for r in _completed(users):
        out[r.user_id].append(_row(r))
    return dict(out)


def completed_training_hours(users: Iterable) -> dict[int, int]:
    """Hours of IKMS courses completed, per user id (users without any are left out)."""
    return {pk: sum(c.hours for c in rows) for pk, rows in completed_training_by_user(users).items()}
