from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.accreditation"
    verbose_name = _("Accreditation and head evaluation")

    def ready(self) -> None:
        from ikms.accreditation import audit_actions
        from ikms.accreditation.case_type import CASE_TYPE
        from ikms.accreditation.framework import framework
        from ikms.accreditation.visits import PROVIDER as VISITS
        from ikms.accreditation.workflow import validate_table
        from ikms.cases import types as case_types
        from ikms.core import audit_labels
        from ikms.monitoring import visits

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
        visits.register(VISITS)  # evaluations as visits, for the effect of visits

        framework()  # a broken framework.yaml fails at start-up
        validate_table()
