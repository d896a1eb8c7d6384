"""An expert's completed IKMS courses feed the accreditation experts register (issue 14 items 6 and 7): the entry
shows them beside the training recorded by hand, with the total hours; nothing is copied into ExpertTraining, and a
recorded row of the same course and day is not counted twice."""

from django.urls import reverse
from django.utils import translation

from ikms.accreditation import selectors as accreditation_selectors
from ikms.accreditation import services as accreditation_services
from ikms.accreditation.models import ExpertTraining
from ikms.courses import services as course_services
from ikms.courses.testing import course, event


def _completed(world, *, hours: int, name: str):
    admin, expert = world["users"]["ikvd_admin"], world["users"]["accreditation_expert"]
    past = event(actor=admin, course=course(actor=admin, hours=hours, name_lv=name), days_from_today=-5)
    done = course_services.registration_enrol(actor=admin, event=past, user=expert)
    course_services.attendance_record(actor=admin, event=past, marks={done.pk: "completed"})
    course_services.certificate_issue(actor=admin, registration=done)
    done.refresh_from_db()
    return past, done


def test_the_entry_shows_ikms_courses_with_the_recorded_training(client, world):
    translation.activate("lv")
    expert = world["users"]["accreditation_expert"]
    past, done = _completed(world, hours=12, name="Pašvērtējuma ziņojuma izvērtēšana")
    accreditation_services.expert_training_add(
        actor=expert, expert=expert, course="Vadītāju intervijas", hours=10, completed_on=past.starts_on
    )
    # the same course recorded by hand as well: shown and counted once
    accreditation_services.expert_training_add(
        actor=expert, expert=expert, course="Pašvērtējuma ziņojuma izvērtēšana", hours=12, completed_on=past.ends_on
    )
    rows, total = accreditation_selectors.expert_training(expert)
    assert sorted((r.course, r.hours, r.from_courses) for r in rows) == [
        ("Pašvērtējuma ziņojuma izvērtēšana", 12, True),
        ("Vadītāju intervijas", 10, False),
    ]
    assert total == 22
    assert ExpertTraining.objects.count() == 2  # nothing copied from the courses
    register = {r.user.pk: r.training_hours for r in accreditation_selectors.expert_register()}
    assert register[expert.pk] == 22
    client.force_login(expert)
    page = client.get(reverse("accreditation:expert-detail", args=[expert.pk])).content.decode()
    assert "Pašvērtējuma ziņojuma izvērtēšana" in page and done.certificate_number in page
    assert "Kopā 22 stundas, ieskaitot IKMS kursus." in page
    assert "IKVD kurss IKMS" in page and "Vadītāju intervijas" in page


def test_courses_not_completed_do_not_count(world):
    admin, expert = world["users"]["ikvd_admin"], world["users"]["accreditation_expert"]
    past = event(actor=admin, course=course(actor=admin, hours=8), days_from_today=-5)
    r = course_services.registration_enrol(actor=admin, event=past, user=expert)
    course_services.attendance_record(actor=admin, event=past, marks={r.pk: "attended"})
    assert accreditation_selectors.expert_training(expert) == ([], 0)
