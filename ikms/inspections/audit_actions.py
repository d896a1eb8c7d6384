"""Labels of the audit actions inspections write (registered in ikms.core.audit_labels by InspectionsConfig):
`inspections.<action>` for every step of the workflow (workflow.TRANSITIONS)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "inspections.plan": _("Inspection: planned"),
    "inspections.cancel": _("Inspection: cancelled"),
    "inspections.record_visit": _("Inspection: visit recorded"),
    "inspections.write_act": _("Inspection: act written"),
    "inspections.add_finding": _("Inspection: finding added"),
    "inspections.issue_order": _("Inspection: recommendation or order given"),
    "inspections.send_act": _("Inspection: act sent, follow-up started"),
    "inspections.submit_evidence": _("Inspection: follow-up evidence submitted"),
    "inspections.review_evidence": _("Inspection: follow-up evidence reviewed"),
    "inspections.close": _("Inspection: closed"),
    "inspections.answer": _("Inspection: thematic questionnaire answered"),
    "inspections.programme_check": _("Adult-education programme check recorded"),
}
