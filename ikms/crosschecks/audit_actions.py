"""Labels of the audit actions of the cross-register checks (registered in ikms.core.audit_labels by
CrosschecksConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "crosschecks.run": _("Cross-register checks run"),
    "crosschecks.offer_list_import": _("Adult-education offer list imported and checked"),
}
