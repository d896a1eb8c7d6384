"""Who may do what with case files, their documents and deadlines (ADR 0017, ADR 0022). The core declares no policy
of its own: a case file is visible to whoever its case type's policy lets see it (declared by the domain app, e.g.
`accreditation.permissions.CASE_FILE`), and its documents, deadlines and letters follow the file. Who manages a file
and who adds documents are the case type's predicates too."""

from ikms.cases.models import Attachment, CaseFile, Deadline
from ikms.cases.types import case_type


def can_view_case_file(user, case_file: CaseFile) -> bool:
    """The case type's policy lets the user see this file."""
    t = case_type(case_file.kind)
    return t is not None and t.policy.allows(user, case_file)


def can_manage_case_file(user, case_file: CaseFile) -> bool:
    """Assign the file, extend its deadlines, write its letters: the case type's managers who see it."""
    t = case_type(case_file.kind)
    return t is not None and t.manages(user, case_file) and t.policy.allows(user, case_file)


def can_add_document(user, case_file: CaseFile) -> bool:
    """Add a document: the parties the case type names, who see the file."""
    t = case_type(case_file.kind)
    return t is not None and t.contributes(user, case_file) and t.policy.allows(user, case_file)


def can_download_attachment(user, attachment: Attachment) -> bool:
    """A document is visible to whoever sees its case file."""
    return can_view_case_file(user, attachment.case_file)


def can_extend_deadline(user, deadline: Deadline) -> bool:
    return can_manage_case_file(user, deadline.case_file)
