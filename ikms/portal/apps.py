from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "ikms.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from ikms.portal.search import forget_public_index
        from ikms.registry.signals import register_changed

        # the school search's folded names (one copy per process) are rebuilt after a register change
        register_changed.connect(forget_public_index, dispatch_uid="portal.public_index")
