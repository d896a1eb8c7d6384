"""IKVD's courses and events for heads, founders and accreditation experts (issue 14 item 7): a `Course` (title in
Latvian and English, programme, audience, hours, organiser), its `Event`s (dates, place or online, capacity), and
the `Registration` of each participant (a user, or an outside person by name) with the attendance mark IKVD's
staff set and the certificate issued to those who completed. Written only by services.py."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ikms.core.formatting import date_text
from ikms.core.models import BaseModel, BilingualNameMixin
from ikms.courses.choices import Attendance, Audience


class Course(BilingualNameMixin, BaseModel):
    """A course: its title (`name_lv` / `name_en`, ADR 0005), programme, audiences, hours and organiser."""

    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)  # the Latvian one when empty
    code = models.CharField(_("course code"), max_length=20, unique=True)
    programme_lv = models.TextField(_("programme (Latvian)"))
    programme_en = models.TextField(_("programme (English)"), blank=True)
    audiences = models.JSONField(_("audience"), default=list)
    hours = models.PositiveSmallIntegerField(_("hours"))
    organiser = models.CharField(_("organiser"), max_length=255)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["name_lv", "id"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive")]

    @property
    def programme(self) -> str:
        """The programme in the active language, falling back to Latvian."""
        english = (get_language() or "lv").startswith("en")
        return self.programme_en if english and self.programme_en else self.programme_lv

    @property
    def audience_names(self) -> list[str]:
        names = dict(Audience.choices)
        return [str(names.get(code, code)) for code in self.audiences]


class Event(BaseModel):
    """One run of a course: from `starts_on` to `ends_on` (one day: both the same), at a place or online, for at
    most `capacity` participants."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="events", verbose_name=_("course"))
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    capacity = models.PositiveSmallIntegerField(_("places"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="course_event_period"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="course_event_capacity"),
            models.CheckConstraint(condition=Q(online=True) | ~Q(place=""), name="course_event_place_or_online"),
        ]

    def __str__(self) -> str:
        return f"{self.course.name} ({date_text(self.starts_on)})"


class Registration(BaseModel):
    """A participant of an event: a user, or an outside person by name only; the attendance mark, and the
    certificate (number, day issued) of one who completed."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_registrations",
        verbose_name=_("participant"),
    )
    person_name = models.CharField(_("name and surname"), max_length=160, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.REGISTERED
    )
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["person_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(user__isnull=False), name="course_registration_once"
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="course_certificate_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(person_name=""), name="course_registration_names_someone"
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(attendance=Attendance.COMPLETED),
                name="course_certificate_only_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} – {self.event}"

    @property
    def completed(self) -> bool:
        return self.attendance == Attendance.COMPLETED

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_number)
