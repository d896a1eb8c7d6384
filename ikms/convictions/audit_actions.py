"""Labels of the audit actions the spent-conviction commission's services write (registered in
ikms.core.audit_labels by ConvictionsConfig). The events themselves are kept out of the admin's event log
(`selectors.restricted_events_q`): only the commission sees its records, and reads go to the read log."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "convictions.application_register": _("Spent-conviction application registered"),
    "convictions.meeting_record": _("Commission meeting recorded"),
    "convictions.decision_record": _("Commission decision recorded"),
    "convictions.decision_annul": _("Permit annulled by the commission"),
    "convictions.opinion_record": _("Commission member's opinion recorded"),
}
