"""Labels of the audit actions of the statements for other authorities (registered in ikms.core.audit_labels by
StatementsConfig). The events carry the request's number and the statement's reference, never the person's name or
personal code. Every read of a request or a statement and every download of its PDF is an event too."""

from django.utils.translation import gettext_lazy as _

LABELS: dict[str, object] = {
    "statements.request_record": _("Request for an education history statement recorded"),
    "statements.request_read": _("Request for an education history statement opened"),
    "statements.statement_issue": _("Education history statement issued"),
    "statements.statement_read": _("Education history statement opened"),
    "statements.statement_download": _("Education history statement downloaded (PDF)"),
}
