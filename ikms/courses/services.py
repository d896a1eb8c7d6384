"""Writes of IKVD's courses and events: every one atomic and audited (ADR 0002, 0004). Create a course and its
events; enrol a participant (oneself, or anyone by IKVD's staff); mark attendance and completion once the event has
taken place; issue the certificate of a participant who completed, and hand it out (each download is recorded).
Bad input is refused with a message and nothing is written."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ikms.accounts.permissions import require_role
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.formatting import date_text
from ikms.core.numbering import next_in_series
from ikms.courses import permissions
from ikms.courses.choices import Attendance, Audience
from ikms.courses.models import Course, Event, Registration
from ikms.courses.pdf import certificate_pdf


@dataclass(frozen=True)
class CourseInput:
    name_lv: str
    name_en: str
    programme_lv: str
    programme_en: str
    audiences: list[str]
    hours: int
    organiser: str


def next_course_code(year: int) -> str:
    """K-2024-01, K-2024-02, … (the course's year is the year it is created in)."""
    return next_in_series(Course, "code", f"K-{year}-", 2)


@transaction.atomic
def course_create(*, actor, data: CourseInput, code: str = "") -> Course:
    """A new course: title in Latvian (and English), programme, audiences, hours and organiser."""
    require_role(actor, permissions.MANAGE.roles)
    errors: dict[str, str] = {}
    if not data.name_lv.strip():
        errors["name_lv"] = _("Enter the course title in Latvian.")
    if not data.programme_lv.strip():
        errors["programme_lv"] = _("Enter the course programme in Latvian.")
    if not data.audiences or any(a not in Audience.values for a in data.audiences):
        errors["audiences"] = _("Choose whom the course is for.")
    if not data.hours or data.hours <= 0:
        errors["hours"] = _("Enter the course hours, a whole number greater than 0.")
    if not data.organiser.strip():
        errors["organiser"] = _("Enter the organiser of the course.")
    if errors:
        raise ValidationError(errors)
    course = Course(
        code=code or next_course_code(timezone.localdate().year),
        name_lv=data.name_lv.strip(),
        name_en=data.name_en.strip(),
        programme_lv=data.programme_lv.strip(),
        programme_en=data.programme_en.strip(),
        audiences=[a for a in Audience.values if a in data.audiences],
        hours=data.hours,
        organiser=data.organiser.strip(),
    )
    course.full_clean()
    course.save()
    audit_log(
        actor=actor,
        action="courses.course_create",
        target=course,
        data={"code": course.code, "hours": course.hours, "audiences": course.audiences},
    )
    return course


@transaction.atomic
def event_create(
    *,
    actor,
    course: Course,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    place: str = "",
    online: bool = False,
    capacity: int,
) -> Event:
    """An event of a course (one day unless `ends_on`), at a place or online, for `capacity` participants."""
    require_role(actor, permissions.MANAGE.roles)
    ends_on = ends_on or starts_on
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if not online and not place.strip():
        errors["place"] = _("Enter the place, or mark the event as online.")
    if not capacity or capacity <= 0:
        errors["capacity"] = _("Enter the number of places, a whole number greater than 0.")
    if errors:
        raise ValidationError(errors)
    event = Event(
        course=course, starts_on=starts_on, ends_on=ends_on, place=place.strip(), online=online, capacity=capacity
    )
    event.full_clean()
    event.save()
    audit_log(
        actor=actor,
        action="courses.event_create",
        target=event,
        data={"course": course.code, "starts_on": starts_on, "ends_on": ends_on, "capacity": capacity},
    )
    return event


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def registration_enrol(*, actor, event: Event, user=None, person_name: str = "") -> Registration:
    """Enrol a participant. A head, founder or expert enrols themselves in an event to come of a course meant for
    them; IKVD's staff enrol any user, or an outside person by name. A full event, a second registration of the
    same user and a self-enrolment in an event that has started are refused."""
    event = Event.objects.select_for_update().select_related("course").get(pk=event.pk)
    staff = permissions.can_manage(actor)
    if not staff:
        if user is None or user.pk != actor.pk or person_name:
            raise PermissionDeniedError(_("Only IKVD's staff enrol other participants."))
        if not permissions.fits_audience(actor, event.course):
            raise ApplicationError(_("This course is not meant for your role, so you cannot enrol yourself."))
        if event.starts_on <= timezone.localdate():
            raise ApplicationError(_("The event has already started: enrolment is closed."))
    if user is None and not person_name.strip():
        raise ValidationError({"person_name": _("Choose a user or enter the participant's name.")})
    if user is not None and event.registrations.filter(user=user).exists():
        raise ApplicationError(_("This participant is already enrolled in the event."))
    if event.registrations.count() >= event.capacity:
        raise ApplicationError(_("The event is full: all its places are taken."))
    registration = Registration(
        event=event, user=user, person_name=_display_name(user) if user is not None else person_name.strip()
    )
    registration.full_clean()
    registration.save()
    audit_log(
        actor=actor,
        action="courses.enrol",
        target=registration,
        data={"event": event.pk, "course": event.course.code, "user": user, "self": actor == user},
    )
    return registration


@transaction.atomic
def attendance_record(*, actor, event: Event, marks: dict[int, str]) -> list[Registration]:
    """Mark the event's participants (registration id → `Attendance`): absent, attended or completed. Nobody can be
    marked before the event's first day, and nobody completes before its last day; a participant whose certificate
    is issued keeps the mark "completed"."""
    require_role(actor, permissions.MANAGE.roles)
    today = timezone.localdate()
    rows = {r.pk: r for r in Registration.objects.select_for_update().filter(event=event, pk__in=list(marks))}
    if set(marks) - set(rows):
        raise ApplicationError(_("A participant is not registered in this event."))
    if any(m not in Attendance.values for m in marks.values()):
        raise ApplicationError(_("Choose a mark for each participant."))
    changed = {pk: m for pk, m in marks.items() if rows[pk].attendance != m}
    if changed and event.starts_on > today:
        raise ApplicationError(
            _("Attendance can be marked only once the event has begun ({day}).").format(day=date_text(event.starts_on))
        )
    if any(m == Attendance.COMPLETED for m in changed.values()) and event.ends_on > today:
        raise ApplicationError(
            _("A participant can complete the course only after the event's last day ({day}).").format(
                day=date_text(event.ends_on)
            )
        )
    if any(rows[pk].has_certificate for pk in changed):
        raise ApplicationError(_("A participant who has a certificate stays marked as completed."))
    out = []
    for pk, mark in changed.items():
        registration = rows[pk]
        before = registration.attendance
        registration.attendance = mark
        registration.full_clean()
        registration.save(update_fields=["attendance", "updated_at"])
        audit_log(
            actor=actor,
            action="courses.attendance",
            target=registration,
            data={"event": event.pk, "from": before, "to": mark},
        )
        out.append(registration)
    return out


def next_certificate_number(year: int) -> str:
    """IKVD-A-2024-0001, IKVD-A-2024-0002, … (by the year the certificate is issued)."""
    return next_in_series(Registration, "certificate_number", f"IKVD-A-{year}-", 4)


@transaction.atomic
def certificate_issue(*, actor, registration: Registration, issued_on: datetime.date | None = None) -> Registration:
    """The certificate of a participant who completed the course: its reference number and the day issued."""
    require_role(actor, permissions.MANAGE.roles)
    registration = Registration.objects.select_for_update().select_related("event__course").get(pk=registration.pk)
    issued_on = issued_on or timezone.localdate()
    if not registration.completed:
        raise ApplicationError(
            _("{name} has not completed the course: no certificate can be issued.").format(
                name=registration.person_name
            )
        )
    if registration.has_certificate:
        raise ApplicationError(
            _("The certificate of {name} is already issued ({number}).").format(
                name=registration.person_name, number=registration.certificate_number
            )
        )
    if issued_on < registration.event.ends_on or issued_on > timezone.localdate():
        raise ApplicationError(_("A certificate is dated between the event's last day and today."))
    registration.certificate_number = next_certificate_number(issued_on.year)
    registration.certificate_issued_on = issued_on
    registration.full_clean()
    registration.save(update_fields=["certificate_number", "certificate_issued_on", "updated_at"])
    audit_log(
        actor=actor,
        action="courses.certificate_issue",
        target=registration,
        data={
            "number": registration.certificate_number,
            "course": registration.event.course.code,
            "hours": registration.event.course.hours,
        },
    )
    return registration


@transaction.atomic
def event_certificates_issue(*, actor, event: Event, issued_on: datetime.date | None = None) -> list[Registration]:
    """Issue the certificates of every participant of the event who completed and has none yet."""
    require_role(actor, permissions.MANAGE.roles)
    waiting = list(event.registrations.filter(attendance=Attendance.COMPLETED, certificate_number="").order_by("pk"))
    if not waiting:
        raise ApplicationError(_("Nobody is waiting for a certificate: mark who completed the course first."))
    return [certificate_issue(actor=actor, registration=r, issued_on=issued_on) for r in waiting]


@transaction.atomic
def certificate_download(*, actor, registration: Registration) -> bytes:
    """The certificate as PDF, to its holder or IKVD's staff; every download is recorded."""
    if not permissions.can_view_registration(actor, registration):
        raise PermissionDeniedError(_("Only the participant and IKVD's staff may download this certificate."))
    if not registration.has_certificate:
        raise ApplicationError(_("No certificate has been issued for this registration."))
    content = certificate_pdf(registration)
    audit_log(
        actor=actor,
        action="courses.certificate_download",
        target=registration,
        data={"number": registration.certificate_number},
    )
    return content
