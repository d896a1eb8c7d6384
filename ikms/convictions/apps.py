from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConvictionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.convictions"
    verbose_name = _("Persons with a spent conviction")

    def ready(self) -> None:
        from ikms.cases import types as case_types
        from ikms.convictions import audit_actions
        from ikms.convictions.case_type import CASE_TYPE
        from ikms.core import audit_labels

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
