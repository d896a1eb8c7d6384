"""Labels of the audit actions monitoring writes (registered in ikms.core.audit_labels by MonitoringConfig)."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "monitoring.compute": _("Indicators computed"),
    "monitoring.visit_planned": _("Visit put on the visit plan"),
    "monitoring.visit_status": _("Visit status changed"),
    "monitoring.visit_plan_proposed": _("Visit plan proposed"),
    "monitoring.visit_plan_entry_added": _("Visit added to the visit plan by hand"),
    "monitoring.visit_plan_entry_removed": _("Visit removed from the visit plan"),
    "monitoring.visit_plan_entry_moved": _("Visit plan date changed"),
    "monitoring.visit_plan_approved": _("Visit plan approved"),
    "monitoring.international_import": _("International study results imported"),
    "monitoring.risk_model_trained": _("Risk score model trained"),
    "monitoring.risk_scores_computed": _("Risk scores computed"),
}
