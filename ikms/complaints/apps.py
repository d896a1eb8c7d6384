from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.complaints"
    verbose_name = _("Complaints and consultations")

    def ready(self) -> None:
        from ikms.cases import types as case_types
        from ikms.complaints import audit_actions
        from ikms.complaints.case_type import CASE_TYPE
        from ikms.complaints.lake import DATASET, lake_complaints_write
        from ikms.complaints.risk_notes import PROVIDER
        from ikms.core import audit_labels
        from ikms.monitoring import lake as monitoring_lake
        from ikms.monitoring import supervision

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
        # the complaint counts reach the lake before every computation (monitoring never imports complaints)
        monitoring_lake.register_writer(monitoring_lake.LakeWriter(dataset=DATASET.name, write=lake_complaints_write))
        supervision.register(PROVIDER)  # open complaints counted by the visit planner
