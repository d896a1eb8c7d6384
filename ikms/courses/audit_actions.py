"""Labels of the audit actions of IKVD's courses and events (registered in ikms.core.audit_labels by CoursesConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "courses.course_create": _("Course created"),
    "courses.event_create": _("Course event scheduled"),
    "courses.enrol": _("Participant enrolled in a course event"),
    "courses.attendance": _("Course attendance marked"),
    "courses.certificate_issue": _("Course certificate issued"),
    "courses.certificate_download": _("Course certificate downloaded"),
}
