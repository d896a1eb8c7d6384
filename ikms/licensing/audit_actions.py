"""Labels of the audit actions licensing writes (registered in ikms.core.audit_labels by LicensingConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "licensing.submit": _("Licensing application submitted"),
    "licensing.check": _("Licensing application checked"),
    "licensing.deficiencies": _("Deficiencies sent to the applicant"),
    "licensing.answer": _("Applicant answered the deficiencies"),
    "licensing.decide": _("Licensing application decided"),
    "licensing.withdraw": _("Licensing application withdrawn"),
}
