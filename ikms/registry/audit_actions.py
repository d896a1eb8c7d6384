"""Labels of the audit actions the registers write (registered in ikms.core.audit_labels by RegistryConfig).

`decision.<kind>` is written on the changed entry for every decision kind, `decision.record` on the decision
itself (services._audit_decision)."""

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ikms.registry.choices import DecisionKind


def _decision_label(kind: DecisionKind) -> str:
    return gettext("Decision: %(kind)s") % {"kind": kind.label}


_lazy_decision_label = lazy(_decision_label, str)

LABELS: dict[str, object] = {
    "decision.record": _("Decision recorded"),
    "founder.create": _("Founder recorded"),
    **{f"decision.{kind.value}": _lazy_decision_label(kind) for kind in DecisionKind},
}
