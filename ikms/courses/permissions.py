"""Who may do what with IKVD's courses and events (ADR 0017). IKVD's staff run them: they create courses and events,
enrol participants (users or outside persons), mark attendance and completion and issue certificates, and see
every registration. Heads, founders and accreditation experts see the events of the courses meant for them and
enrol themselves while an event is still to come; every participant sees their own registrations and downloads
their own certificates."""

from django.utils import timezone

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.accounts.selectors import has_role, user_roles
from ikms.courses.choices import AUDIENCE_ROLES
from ikms.registry.access import gate, policy

#: The roles a course may be meant for (they see its events and may enrol themselves).
PARTICIPANT_ROLES = frozenset(AUDIENCE_ROLES.values())

#: A participant's registration (attendance, certificate): IKVD's staff every one; a participant their own.
REGISTRATION = policy(
    "course_registration",
    "Course registrations, attendance and certificates",
    everything=IKVD_STAFF_ROLES,
    extra_roles=PARTICIPANT_ROLES,
    note="A participant sees only their own registrations and certificates.",
)
#: Create courses and events, enrol others, mark attendance and completion, issue certificates.
MANAGE = gate("courses_manage", "Run courses and events (attendance, completion, certificates)", IKVD_STAFF_ROLES)
#: The list of courses and events: IKVD's staff all; heads, founders and experts those meant for them.
CATALOGUE = gate(
    "courses_catalogue",
    "Courses and events (list, own training)",
    IKVD_STAFF_ROLES,
    PARTICIPANT_ROLES,
    note="Heads, founders and accreditation experts see the courses meant for them and enrol themselves.",
)

can_manage = MANAGE.allows
can_use_courses = CATALOGUE.allows


def audience_roles(course) -> set[Role]:
    """The roles the course is meant for."""
    return {AUDIENCE_ROLES[a] for a in AUDIENCE_ROLES if a in course.audiences}


def fits_audience(user, course) -> bool:
    """Does the user hold a role the course is meant for."""
    return bool(user_roles(user) & audience_roles(course))


def can_view_event(user, event) -> bool:
    """IKVD's staff see every event; a head, founder or expert those of courses meant for them or registered in."""
    if not can_use_courses(user):
        return False
    if can_manage(user) or fits_audience(user, event.course):
        return True
    return event.registrations.filter(user=user).exists()


def can_enrol(user, event) -> bool:
    """May the user enrol themselves: the course is meant for them and the event has not started (the service
    checks the places left and a second registration)."""
    return (
        has_role(user, PARTICIPANT_ROLES)
        and fits_audience(user, event.course)
        and event.starts_on > timezone.localdate()
    )


def can_view_registration(user, registration) -> bool:
    """IKVD's staff every registration; a participant their own."""
    if not getattr(user, "is_authenticated", False):
        return False
    return REGISTRATION.sees_everything(user) or (registration.user_id is not None and registration.user_id == user.pk)
