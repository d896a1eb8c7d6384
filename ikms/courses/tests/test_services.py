import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.courses import selectors, services
from ikms.courses.choices import Audience
from ikms.courses.models import Course, Registration
from ikms.courses.testing import course, event


@pytest.fixture
def users(world):
    """The shared users; the services' messages read in English here (Latvian in the view tests)."""
    with translation.override("en"):
        yield world["users"]


def test_course_and_event_are_created_and_audited(users):
    c = course(actor=users["quality_expert"], hours=16)
    e = event(actor=users["quality_expert"], course=c, length=2)
    assert c.code.startswith("K-") and c.hours == 16 and c.audiences == ["experts"]
    assert (e.ends_on - e.starts_on).days == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"courses.course_create", "courses.event_create"} <= actions


def test_course_refused_without_title_audience_or_hours(users):
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            actor=users["ikvd_admin"],
            data=services.CourseInput(
                name_lv=" ", name_en="", programme_lv="x", programme_en="", audiences=[], hours=0, organiser="IKVD"
            ),
        )
    assert set(exc.value.message_dict) == {"name_lv", "audiences", "hours"}
    assert not Course.objects.exists()


def test_only_staff_create_courses(users):
    with pytest.raises(PermissionDeniedError):
        course(actor=users["accreditation_expert"])


def test_event_needs_place_or_online(users):
    c = course(actor=users["ikvd_admin"])
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=users["ikvd_admin"],
            course=c,
            starts_on=datetime.date(2024, 3, 5),
            ends_on=datetime.date(2024, 3, 4),
            capacity=10,
        )
    assert set(exc.value.message_dict) == {"ends_on", "place"}
    online = services.event_create(
        actor=users["ikvd_admin"], course=c, starts_on=datetime.date(2024, 3, 5), online=True, capacity=10
    )
    assert online.ends_on == online.starts_on


def test_self_enrolment_fits_the_audience(users):
    e = event(actor=users["ikvd_admin"], course=course(actor=users["ikvd_admin"]))
    expert, head = users["accreditation_expert"], users["head_a1"]
    r = services.registration_enrol(actor=expert, event=e, user=expert)
    assert r.user == expert and r.person_name == expert.get_username()
    with pytest.raises(ApplicationError, match="already enrolled"):
        services.registration_enrol(actor=expert, event=e, user=expert)
    with pytest.raises(ApplicationError, match="not meant for your role"):
        services.registration_enrol(actor=head, event=e, user=head)
    with pytest.raises(PermissionDeniedError):
        services.registration_enrol(actor=expert, event=e, user=head)
    assert Registration.objects.count() == 1


def test_full_event_and_started_event_are_refused(users):
    admin = users["ikvd_admin"]
    c = course(actor=admin, audiences=[Audience.HEADS, Audience.FOUNDERS])
    full = event(actor=admin, course=c, capacity=1)
    services.registration_enrol(actor=admin, event=full, person_name="Jānis Bērziņš")
    with pytest.raises(ApplicationError, match="full"):
        services.registration_enrol(actor=users["head_a1"], event=full, user=users["head_a1"])
    started = event(actor=admin, course=c, days_from_today=0)
    with pytest.raises(ApplicationError, match="already started"):
        services.registration_enrol(actor=users["founder_riga"], event=started, user=users["founder_riga"])
    assert Registration.objects.count() == 1


def test_completion_not_before_the_last_day(users):
    admin = users["ikvd_admin"]
    coming = event(actor=admin, course=course(actor=admin))
    r = services.registration_enrol(actor=admin, event=coming, user=users["accreditation_expert"])
    with pytest.raises(ApplicationError, match="once the event has begun"):
        services.attendance_record(actor=admin, event=coming, marks={r.pk: "completed"})
    running = event(actor=admin, course=coming.course, days_from_today=-1, length=3)
    r2 = services.registration_enrol(actor=admin, event=running, person_name="Anna Ozola")
    with pytest.raises(ApplicationError, match="only after the event's last day"):
        services.attendance_record(actor=admin, event=running, marks={r2.pk: "completed"})
    services.attendance_record(actor=admin, event=running, marks={r2.pk: "attended"})
    r.refresh_from_db()
    r2.refresh_from_db()
    assert (r.attendance, r2.attendance) == ("registered", "attended")


def _completed(users, *, hours=8, name="Ārējās vērtēšanas metodika"):
    admin = users["ikvd_admin"]
    past = event(actor=admin, course=course(actor=admin, hours=hours, name_lv=name), days_from_today=-10)
    expert = services.registration_enrol(actor=admin, event=past, user=users["accreditation_expert"])
    outsider = services.registration_enrol(actor=admin, event=past, person_name="Līga Ēķe")
    services.attendance_record(actor=admin, event=past, marks={expert.pk: "completed", outsider.pk: "absent"})
    return past, expert, outsider


def test_certificate_only_for_who_completed(users):
    past, expert, outsider = _completed(users)
    admin = users["ikvd_admin"]
    with pytest.raises(ApplicationError, match="has not completed"):
        services.certificate_issue(actor=admin, registration=outsider)
    issued = services.event_certificates_issue(actor=admin, event=past)
    assert [r.pk for r in issued] == [expert.pk]
    expert.refresh_from_db()
    assert expert.certificate_number.startswith("IKVD-A-") and expert.certificate_issued_on is not None
    with pytest.raises(ApplicationError, match="already issued"):
        services.certificate_issue(actor=admin, registration=expert)
    with pytest.raises(ApplicationError, match="Nobody is waiting"):
        services.event_certificates_issue(actor=admin, event=past)
    with pytest.raises(ApplicationError, match="stays marked as completed"):
        services.attendance_record(actor=admin, event=past, marks={expert.pk: "absent"})
    assert AuditEvent.objects.filter(action="courses.certificate_issue").count() == 1


def test_certificate_pdf_in_latvian_and_every_download_audited(users, tmp_path):
    assert shutil.which("pdftotext"), "pdftotext (Debian poppler-utils) is required; make test installs it"
    past, expert, _ = _completed(users, hours=21)
    services.certificate_issue(actor=users["ikvd_admin"], registration=expert)
    expert.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        services.certificate_download(actor=users["head_a1"], registration=expert)
    content = services.certificate_download(actor=users["accreditation_expert"], registration=expert)
    path = tmp_path / "a.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "APLIECĪBA",
        expert.certificate_number,
        "Ārējās vērtēšanas metodika",
        "21 stunda",
        past.starts_on.strftime("%d.%m.%Y."),
        "Izglītības kvalitātes valsts dienests",
    ):
        assert expected in text, (expected, text)
    assert AuditEvent.objects.filter(action="courses.certificate_download").count() == 1


def test_completed_training_for_the_experts_register(users):
    _completed(users, hours=12)
    expert = users["accreditation_expert"]
    rows = selectors.completed_training(expert)
    assert [(r.course, r.hours) for r in rows] == [("Ārējās vērtēšanas metodika", 12)]
    assert selectors.completed_training_hours([expert, users["head_a1"]]) == {expert.pk: 12}


def test_the_refusal_is_in_latvian_by_default(world):
    admin = world["users"]["ikvd_admin"]
    e = event(actor=admin, course=course(actor=admin), days_from_today=-2, length=1)
    r = services.registration_enrol(actor=admin, event=e, person_name="Jānis Bērziņš")
    with pytest.raises(ApplicationError, match="nav pabeidzis"):
        services.certificate_issue(actor=admin, registration=r)
