from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The top layer (ADR 0018): what stands on several apps at once. No models."""

    name = "ikms.web"
    label = "web"
    verbose_name = _("Web")
