"""Labels of the audit actions the absence hand-off writes (registered by AttendanceConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "attendance.report": _("Long-term absence reported to the municipality"),
    "attendance.import": _("Long-term absence cases opened from the schools' records"),
    "attendance.action": _("Action on long-term absence recorded"),
    "attendance.close": _("Long-term absence case closed"),
}
