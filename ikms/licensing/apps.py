from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.licensing"
    verbose_name = _("Programme licensing")

    def ready(self) -> None:
        from ikms.cases import types as case_types
        from ikms.core import audit_labels
        from ikms.licensing import audit_actions
        from ikms.licensing.case_type import CASE_TYPE

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
