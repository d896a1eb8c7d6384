from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.attendance"
    verbose_name = _("Long-term absence hand-off")

    def ready(self) -> None:
        from ikms.attendance import audit_actions, selectors
        from ikms.attendance.case_type import CASE_TYPE
        from ikms.cases import types as case_types
        from ikms.core import audit_labels
        from ikms.monitoring import absence_actions

        audit_labels.register(audit_actions.LABELS)
        case_types.register(CASE_TYPE)
        # the absences page counts the actions from these cases for the years they exist (monitoring never imports
        # attendance)
        absence_actions.register(absence_actions.Provider(code="attendance", counts=selectors.action_counts))
