"""Labels of the audit actions the registers write (registered in ikms.core.audit_labels by RegistryConfig).

`decision.<kind>` is written on the changed entry for every decision kind, `decision.record` on the decision
itself (services._audit_decision)."""

from django.utils.translation import gettext_lazy as _

from ikms.registry.choices import DECISION_EVENTS

LABELS: dict[str, object] = {
    "decision.record": _("Decision recorded"),
    "founder.create": _("Founder recorded"),
    **{f"decision.{kind.value}": label for kind, label in DECISION_EVENTS.items()},
}
