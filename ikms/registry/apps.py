from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ikms.registry"
    label = "registry"
    verbose_name = _("Registers")

    def ready(self) -> None:
        """Row history (audit layer 2) for every register model, without timestamp noise."""
        import reversion

        from ikms.registry import models as m

        for model in (m.Institution, m.Programme, m.ImplementationPlace, m.Accreditation, m.Founder):
            if not reversion.is_registered(model):
                reversion.register(model, exclude=("updated_at",))
