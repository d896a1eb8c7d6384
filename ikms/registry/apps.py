from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "ikms.registry"
    label = "registry"
    verbose_name = _("Registers")

    def ready(self) -> None:
        """Row history (audit layer 2) for every register model, without timestamp noise; audit action labels."""
        import reversion

        from ikms.core import audit_labels
        from ikms.registry import audit_actions
        from ikms.registry import models as m

        audit_labels.register(audit_actions.LABELS)

        for model in (m.Institution, m.Programme, m.ImplementationPlace, m.Accreditation, m.Founder):
            if not reversion.is_registered(model):
                reversion.register(model, exclude=("updated_at",))
