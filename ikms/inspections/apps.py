from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from ikms.cases import types as case_types
        from ikms.core import audit_labels
        from ikms.inspections import audit_actions
        from ikms.inspections.case_type import CASE_TYPE
        from ikms.inspections.questionnaires import questionnaires
        from ikms.inspections.risk_notes import PROVIDER
        from ikms.inspections.visits import PROVIDER as VISITS
        from ikms.inspections.workflow import validate_table
        from ikms.monitoring import supervision, visits

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
        supervision.register(PROVIDER)  # the inspection outcome and open orders on the risk list
        visits.register(VISITS)  # inspections carried out, for the effect of visits
        validate_table()
        questionnaires()  # a broken questionnaires.yaml fails at start-up
