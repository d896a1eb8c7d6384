"""Who may record requests for, issue and read statements of a person's education history for other authorities
(ADR 0017). The statements hold a named person's schooling, so only the IKVD staff who answer such requests see
them: registry officers and IKVD's administrators. Nobody else, not even a count; the statements are in no public
search, export or institution dossier, and every read and download is audited."""

from ikms.accounts.roles import Role
from ikms.registry.access import gate, policy

#: The staff who answer other authorities' requests.
STAFF = frozenset({Role.IKVD_ADMIN, Role.REGISTRY_OFFICER})

#: A request with its statement (the person's education history, the PDF).
STATEMENT = policy(
    "education_statement",
    "Requests for and statements of a person's education history for other authorities",
    everything=STAFF,
    note="Nobody else; never in public search, exports or the dossier; every read and download is audited",
)
#: Record a request and issue its statement.
ISSUE = gate("education_statement_issue", "Record requests and issue education history statements", STAFF)

can_use_statements = STATEMENT.may_open
can_view_statement = STATEMENT.allows
can_issue = ISSUE.allows
