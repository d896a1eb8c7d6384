from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ikms.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from ikms.reports import annual, kinds

        kinds.register(annual.KIND)
