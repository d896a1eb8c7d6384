"""Labels of the audit actions the register of teacher private-practice certificates writes (registered in
ikms.core.audit_labels by PracticeConfig): `practice.<kind>` on the certificate for each decision kind,
`practice.decision` on the decision itself."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "practice.issue": _("Private-practice certificate issued"),
    "practice.extend": _("Private-practice certificate extended"),
    "practice.annul": _("Private-practice certificate annulled"),
    "practice.decision": _("Private-practice certificate decision recorded"),
}
