"""Who sees and does what with courses: IKVD's staff run them; heads, founders and experts see the events meant for
them and enrol themselves before they start; a participant sees only their own registrations."""

from ikms.courses import permissions, selectors, services
from ikms.courses.choices import Audience
from ikms.courses.testing import course, event


def test_audience_decides_who_sees_and_enrols(world):
    users = world["users"]
    admin = users["ikvd_admin"]
    for_founders = event(actor=admin, course=course(actor=admin, audiences=[Audience.FOUNDERS], name_lv="D"))
    started = event(actor=admin, course=for_founders.course, days_from_today=0)
    assert permissions.can_enrol(users["founder_ogre"], for_founders)
    assert not permissions.can_enrol(users["founder_ogre"], started)
    assert not permissions.can_enrol(users["head_a1"], for_founders)
    assert not permissions.can_enrol(admin, for_founders)  # staff enrol others, not themselves
    assert set(selectors.event_visible_to(users["founder_riga"])) == {for_founders, started}
    assert not selectors.event_visible_to(users["head_a1"]).exists()
    assert not selectors.event_visible_to(users["no_role"]).exists()
    assert not selectors.event_visible_to(users["conviction_commission"]).exists()
    assert selectors.event_visible_to(users["analyst"]).count() == 2


def test_a_participant_sees_the_event_they_are_in_and_only_their_registration(world):
    users = world["users"]
    admin = users["ikvd_admin"]
    other = event(actor=admin, course=course(actor=admin, audiences=[Audience.OTHER], name_lv="C"))
    mine = services.registration_enrol(actor=admin, event=other, user=users["head_a1"])
    theirs = services.registration_enrol(actor=admin, event=other, person_name="Anna Ozola")
    assert permissions.can_view_event(users["head_a1"], other)
    assert not permissions.can_view_event(users["founder_riga"], other)
    assert permissions.can_view_registration(users["head_a1"], mine)
    assert not permissions.can_view_registration(users["head_a1"], theirs)
    assert permissions.can_view_registration(users["quality_expert"], theirs)
    assert permissions.can_manage(users["analyst"]) and not permissions.can_manage(users["head_a1"])
