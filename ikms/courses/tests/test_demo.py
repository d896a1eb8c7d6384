"""The demo courses: 2024 events with participants, attendance and certificates that keep the services' rules, and
the demo experts' completed courses."""

import random

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.courses import demo, selectors
from ikms.courses.choices import Attendance
from ikms.courses.models import Course, Event, Registration


def test_demo_courses_with_attendance_and_certificates(world):
    expert = make_user(Role.ACCREDITATION_EXPERT, username="eksperts")
    counts = demo.generate(rng=random.Random(7), ikvd=world["users"]["quality_expert"])
    assert counts["courses"] == Course.objects.count() == len(demo.COURSES)
    assert counts["course events"] == Event.objects.count() == len(demo.EVENTS_2024) + len(demo.EVENTS_TO_COME)
    assert Event.objects.filter(starts_on__year=2024).count() == len(demo.EVENTS_2024)
    certified = Registration.objects.exclude(certificate_number="")
    assert counts["course certificates"] == certified.count() > 0
    assert not certified.exclude(attendance=Attendance.COMPLETED).exists()
    assert Registration.objects.filter(user__isnull=True).exists()  # outside persons by name
    for event in Event.objects.all():
        assert event.registrations.count() <= event.capacity
    # the demo expert completed both expert courses' events of 2024
    assert len(selectors.completed_training(expert)) == 3
