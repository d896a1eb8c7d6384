"""Demo courses and events of IKVD: five courses for accreditation experts, heads and founders, eight events in 2024
with participants (demo users and outside persons by name), their attendance and completion marked and
certificates issued, and two events still to come that heads and experts may enrol in. Written through the
services, so every step is audited; the demo experts' completed courses show on their entries in the experts
register."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ikms.accounts.roles import Role
from ikms.accounts.selectors import users_with_role
from ikms.courses import services
from ikms.courses.choices import Attendance, Audience
from ikms.courses.models import Course, Event
from ikms.registry.demo import FEMALE, MALE, SURNAMES

IKVD = "Izglītības kvalitātes valsts dienests"
RIGA = "Rīga, Vaļņu iela 2, IKVD zāle"

#: (title lv, title en, programme lv, audiences, hours)
COURSES = [
    (
        "Ārējās kvalitātes vērtēšanas metodika ekspertiem",
        "External quality evaluation methods for experts",
        "Kvalitātes jomas un kritēriji (MK 2023. gada noteikumi Nr. 618).\nMācību stundu vērošana un protokols.\n"
        "Intervijas ar vadību, pedagogiem un izglītojamajiem.\nVērtējuma pamatojums un ziņojuma sagatavošana.",
        [Audience.EXPERTS],
        16,
    ),
    (
        "Akreditācijas ekspertu ikgadējais seminārs",
        "Annual seminar of accreditation experts",
        "Gada pārskats par akreditācijām.\nBiežākās kļūdas ziņojumos.\nInterešu konflikta novēršana.",
        [Audience.EXPERTS],
        6,
    ),
    (
        "Iestādes pašvērtēšana un attīstības plānošana",
        "Self-evaluation and development planning",
        "Pašvērtējuma ziņojuma struktūra.\nDatu izmantošana pašvērtēšanā.\nAttīstības plāna mērķi un rādītāji.",
        [Audience.HEADS],
        8,
    ),
    (
        "Izglītības kvalitātes monitoringa dati dibinātājiem un vadītājiem",
        "Quality monitoring data for founders and heads",
        "Monitoringa rādītāji un to aprēķins.\nRiska pazīmes un to skaidrojums.\nDatu kvalitāte.",
        [Audience.FOUNDERS, Audience.HEADS],
        4,
    ),
    (
        "Bērnu tiesību aizsardzība izglītības iestādē",
        "Protecting children's rights in educational institutions",
        "Normatīvais regulējums.\nRīcība vardarbības gadījumos.\nSadarbība ar bāriņtiesu un policiju.",
        [Audience.HEADS, Audience.OTHER],
        8,
    ),
]
#: (course index, first day, last day, place ("" = online), capacity)
EVENTS_2024 = [
    (0, datetime.date(2024, 2, 20), datetime.date(2024, 2, 21), RIGA, 30),
    (0, datetime.date(2024, 9, 17), datetime.date(2024, 9, 18), "", 40),
    (1, datetime.date(2024, 11, 28), datetime.date(2024, 11, 28), RIGA, 60),
    (2, datetime.date(2024, 3, 14), datetime.date(2024, 3, 14), "", 80),
    (2, datetime.date(2024, 10, 10), datetime.date(2024, 10, 10), "Valmiera, Rīgas iela 10", 25),
    (3, datetime.date(2024, 5, 22), datetime.date(2024, 5, 22), "", 100),
    (4, datetime.date(2024, 4, 18), datetime.date(2024, 4, 18), "Daugavpils, Saules iela 7", 30),
    (4, datetime.date(2024, 12, 5), datetime.date(2024, 12, 5), "", 50),
]
#: Events to come (days from today), for heads and experts to enrol in: (course index, days, place, capacity).
EVENTS_TO_COME = [(0, 28, RIGA, 30), (2, 42, "", 60)]
OUTSIDERS_PER_EVENT = (4, 12)


def _outsider(rng) -> str:
    female = rng.random() < 0.7
    surname = rng.choice(SURNAMES)[1 if female else 0]
    return f"{rng.choice(FEMALE if female else MALE)} {surname}"


def _mark(rng) -> str:
    roll = rng.random()
    return Attendance.COMPLETED if roll < 0.82 else (Attendance.ATTENDED if roll < 0.9 else Attendance.ABSENT)


def generate(*, rng, ikvd) -> dict[str, int]:
    """Courses, events, participants, attendance and certificates (see the module's note)."""
    courses: list[Course] = [
        services.course_create(
            actor=ikvd,
            code=f"K-2024-{i + 1:02d}",
            data=services.CourseInput(
                name_lv=lv,
                name_en=en,
                programme_lv=programme,
                programme_en="",
                audiences=list(audiences),
                hours=hours,
                organiser=IKVD,
            ),
        )
        for i, (lv, en, programme, audiences, hours) in enumerate(COURSES)
    ]
    people = {
        Audience.EXPERTS: list(users_with_role(Role.ACCREDITATION_EXPERT)),
        Audience.HEADS: list(users_with_role(Role.INSTITUTION_HEAD)),
        Audience.FOUNDERS: list(users_with_role(Role.FOUNDER)),
        Audience.OTHER: [],
    }
    counts = {"courses": len(courses), "course events": 0, "course participants": 0, "course certificates": 0}
    for index, starts_on, ends_on, place, capacity in EVENTS_2024:
        course = courses[index]
        event = services.event_create(
            actor=ikvd,
            course=course,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place,
            online=not place,
            capacity=capacity,
        )
        users = sorted({u for a in course.audiences for u in people[a]}, key=lambda u: u.pk)
        chosen = rng.sample(users, k=min(len(users), capacity * 2 // 3))
        demo_expert = next((u for u in users if u.username == "eksperts"), None)
        if demo_expert is not None and demo_expert not in chosen:
            chosen.append(demo_expert)  # the demo expert's entry shows completed IKMS courses
        registrations = [services.registration_enrol(actor=ikvd, event=event, user=u) for u in chosen]
        room = capacity - len(registrations)
        registrations += [
            services.registration_enrol(actor=ikvd, event=event, person_name=_outsider(rng))
            for _ in range(min(room, rng.randint(*OUTSIDERS_PER_EVENT)))
        ]
        marks = {r.pk: (Attendance.COMPLETED if r.user == demo_expert else _mark(rng)) for r in registrations}
        services.attendance_record(actor=ikvd, event=event, marks=marks)
        issued = (
            services.event_certificates_issue(actor=ikvd, event=event, issued_on=ends_on + datetime.timedelta(days=3))
            if Attendance.COMPLETED in marks.values()
            else []
        )
        counts["course events"] += 1
        counts["course participants"] += len(registrations)
        counts["course certificates"] += len(issued)
    today = timezone.localdate()
    for index, days, place, capacity in EVENTS_TO_COME:
        start = today + datetime.timedelta(days=days)
        event: Event = services.event_create(
            actor=ikvd,
            course=courses[index],
            starts_on=start,
            ends_on=start + datetime.timedelta(days=1 if index == 0 else 0),
            place=place,
            online=not place,
            capacity=capacity,
        )
        for name in sorted({_outsider(rng) for _ in range(3)}):
            services.registration_enrol(actor=ikvd, event=event, person_name=name)
        counts["course events"] += 1
    return counts
