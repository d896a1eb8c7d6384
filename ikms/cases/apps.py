from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.cases"
    verbose_name = _("Cases: documents, deadlines and work queues")

    def ready(self) -> None:
        from ikms.cases import audit_actions, checks  # noqa: F401 (checks register themselves)
        from ikms.cases.deadlines import rules, working_calendar
        from ikms.core import audit_labels

        audit_labels.register(audit_actions.LABELS)
        rules()  # a broken deadline_rules.yaml fails at start-up
        working_calendar()  # and so does a broken working_days.yaml
