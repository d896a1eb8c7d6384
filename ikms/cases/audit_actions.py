"""Labels of the audit actions the case core writes (registered in ikms.core.audit_labels by CasesConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "cases.open": _("Case file opened"),
    "cases.close": _("Case file closed"),
    "cases.assign": _("Case assigned"),
    "cases.deadline_start": _("Deadline set"),
    "cases.deadline_extend": _("Deadline extended"),
    "cases.deadline_meet": _("Deadline met"),
    "cases.attachment_add": _("Document added to the case"),
    "cases.attachment_download": _("Case document downloaded"),
    "cases.letter_issue": _("Letter written"),
}
