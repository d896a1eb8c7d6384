import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.core.models import AuditEvent
from ikms.courses import services
from ikms.courses.choices import Audience
from ikms.courses.models import Course, Registration
from ikms.courses.testing import course, event


@pytest.fixture(autouse=True)
def latvian():
    """Addresses reversed in Latvian (a request under /en/ leaves English active in the thread)."""
    translation.activate("lv")
    yield
    translation.activate("lv")


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_staff_create_a_course_and_an_event(client, world):
    client.force_login(world["users"]["quality_expert"])
    response = client.post(
        reverse("courses:course-new"),
        {
            "name_lv": "Vadītāju vērtēšana",
            "name_en": "Evaluating heads",
            "programme_lv": "Kritēriji",
            "programme_en": "",
            "audiences": ["heads", "experts"],
            "hours": 6,
            "organiser": "IKVD",
        },
    )
    assert response.status_code == 302, response.content.decode()
    created = Course.objects.get()
    assert created.audiences == ["heads", "experts"]
    start = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("courses:event-new", args=[created.pk]),
        {**_date("starts_on", start), "place": "", "online": "on", "capacity": 30},
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "Vadītāju vērtēšana" in page and "Tiešsaistē" in page


def test_event_form_refuses_a_missing_place_with_the_message(client, world):
    admin = world["users"]["ikvd_admin"]
    c = course(actor=admin)
    client.force_login(admin)
    start = timezone.localdate()
    response = client.post(reverse("courses:event-new", args=[c.pk]), {**_date("starts_on", start), "capacity": 3})
    assert response.status_code == 200
    assert "Norādiet vietu vai atzīmējiet, ka pasākums notiek tiešsaistē." in response.content.decode()
    response = client.post(
        "/en" + reverse("courses:event-new", args=[c.pk]), {**_date("starts_on", start), "capacity": 3}
    )
    assert "Enter the place, or mark the event as online." in response.content.decode()
    assert not c.events.exists()


def test_an_expert_sees_courses_meant_for_them_and_enrols(client, world):
    admin, expert, head = (world["users"][k] for k in ("ikvd_admin", "accreditation_expert", "head_a1"))
    for_experts = event(actor=admin, course=course(actor=admin, name_lv="Ekspertu kurss"))
    for_heads = event(actor=admin, course=course(actor=admin, audiences=[Audience.HEADS], name_lv="Vadītāju kurss"))
    client.force_login(expert)
    page = client.get(reverse("courses:list")).content.decode()
    assert "Ekspertu kurss" in page and "Vadītāju kurss" not in page
    assert client.get(reverse("courses:event-detail", args=[for_heads.pk])).status_code == 404
    assert "Pasākumi, kuriem varat pieteikties" in client.get(reverse("courses:my-training")).content.decode()
    english = client.get("/en" + reverse("courses:list")).content.decode()
    assert "Courses and events" in english and "Ekspertu kurss" in english  # no English title: the Latvian one
    translation.activate("lv")
    assert client.get(reverse("courses:event-enrol", args=[for_experts.pk])).status_code == 200
    response = client.post(reverse("courses:event-enrol", args=[for_experts.pk]))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Registration.objects.get().user == expert
    page = client.get(reverse("courses:my-training")).content.decode()
    assert "Ekspertu kurss" in page and "Pasākumi, kuriem varat pieteikties" not in page
    # enrolled once: the enrol page is refused now that the service would refuse it too
    response = client.post(reverse("courses:event-enrol", args=[for_experts.pk]))
    assert response.status_code == 200 and "jau ir pieteikts" in response.content.decode()
    client.force_login(head)
    assert client.get(reverse("courses:event-enrol", args=[for_experts.pk])).status_code == 404
    assert client.get(reverse("courses:event-detail", args=[for_heads.pk])).status_code == 200


def test_the_event_page_and_attendance_for_staff(client, world):
    admin = world["users"]["ikvd_admin"]
    past = event(actor=admin, course=course(actor=admin), days_from_today=-3)
    client.force_login(admin)
    response = client.post(reverse("courses:event-register", args=[past.pk]), {"person_name": "Līga Ēķe"})
    assert response.status_code == 302
    response = client.post(
        reverse("courses:event-register", args=[past.pk]), {"username": world["users"]["accreditation_expert"].username}
    )
    assert response.status_code == 302
    outsider, expert = past.registrations.order_by("pk")
    response = client.post(
        reverse("courses:event-attendance", args=[past.pk]),
        {f"mark_{outsider.pk}": "absent", f"mark_{expert.pk}": "completed"},
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("courses:event-certificates", args=[past.pk]))
    assert response.status_code == 302
    expert.refresh_from_db()
    page = client.get(reverse("courses:event-detail", args=[past.pk])).content.decode()
    assert "Līga Ēķe" in page and expert.certificate_number in page
    # the participant downloads their certificate; another user gets a 404
    client.force_login(world["users"]["accreditation_expert"])
    response = client.get(reverse("courses:certificate", args=[expert.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="courses.certificate_download", actor=expert.user).count() == 1
    client.force_login(world["users"]["head_a1"])
    assert client.get(reverse("courses:certificate", args=[expert.pk])).status_code == 404


def test_a_full_event_refuses_with_the_message(client, world):
    admin = world["users"]["ikvd_admin"]
    e = event(actor=admin, course=course(actor=admin), capacity=1)
    services.registration_enrol(actor=admin, event=e, person_name="Jānis Bērziņš")
    client.force_login(admin)
    response = client.post(reverse("courses:event-register", args=[e.pk]), {"person_name": "Anna Ozola"})
    assert response.status_code == 200
    assert "Pasākumā vairs nav brīvu vietu." in response.content.decode()
    assert e.registrations.count() == 1
