"""Labels of the audit actions of the reports (registered in ikms.core.audit_labels by ReportsConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "reports.run_start": _("Report requested"),
    "reports.run_download": _("Report downloaded"),
    "reports.narrative_saved": _("Municipal report narrative saved as a draft"),
    "reports.narrative_published": _("Municipal report narrative published"),
}
