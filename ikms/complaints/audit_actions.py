"""Labels of the audit actions complaints write (registered in ikms.core.audit_labels by ComplaintsConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "complaints.register": _("Complaint registered"),
    "complaints.topics": _("Complaint topics confirmed"),
    "complaints.forward": _("Complaint forwarded"),
    "complaints.outcome": _("Complaint outcome recorded"),
    "complaints.reply": _("Reply to a complaint sent"),
    "complaints.extension_notice": _("Submitter notified of an extended deadline"),
    "complaints.close": _("Complaint closed"),
    "complaints.founder_answer": _("Founder answered a complaint"),
    "complaints.appeal": _("Appeal of a complaint noted"),
    "complaints.consultation": _("Consultation logged"),
    "complaints.survey_send": _("Satisfaction survey sent"),
    "complaints.survey_answer": _("Satisfaction survey answered"),
}
