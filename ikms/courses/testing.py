"""Helpers for tests of IKVD's courses and events."""

import datetime

from django.utils import timezone

from ikms.courses import services
from ikms.courses.choices import Audience
from ikms.courses.models import Course, Event


def course(
    *,
    actor,
    audiences=(Audience.EXPERTS,),
    hours: int = 8,
    name_lv: str = "Ārējās vērtēšanas metodika",
    name_en: str = "",
) -> Course:
    """A course (its English title left empty unless given: pages in either language then show the Latvian one)."""
    return services.course_create(
        actor=actor,
        data=services.CourseInput(
            name_lv=name_lv,
            name_en=name_en,
            programme_lv="Kritēriji.\nIntervijas.",
            programme_en="Criteria.\nInterviews.",
            audiences=list(audiences),
            hours=hours,
            organiser="Izglītības kvalitātes valsts dienests",
        ),
    )


def event(*, actor, course: Course, days_from_today: int = 14, length: int = 1, capacity: int = 20) -> Event:
    start = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return services.event_create(
        actor=actor,
        course=course,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=length - 1),
        place="Rīga, Vaļņu iela 2",
        capacity=capacity,
    )
