"""Labels of the audit actions the register of child supervision providers writes (registered in
ikms.core.audit_labels by ChildcareConfig): `childcare.<kind>` on the entry for each decision kind,
`childcare.decision` on the decision itself."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "childcare.apply": _("Child supervision provider's application recorded"),
    "childcare.register": _("Child supervision provider registered"),
    "childcare.refuse": _("Child supervision provider's registration refused"),
    "childcare.amend": _("Child supervision provider's entry amended"),
    "childcare.remove": _("Child supervision provider removed from the register"),
    "childcare.decision": _("Child supervision provider decision recorded"),
}
