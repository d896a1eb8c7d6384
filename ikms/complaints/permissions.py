"""Who may do what with complaints, consultations and the survey (ADR 0017). Supervision staff (the inspectors and
IKVD's administrators) see and work every complaint; a founder sees only the complaints forwarded to it and answers
them; nobody else sees complaints. The submitter's identity is seen only by supervision staff: never by a founder,
a head, in an export or the dossier; the API gives it to supervision staff only for a complaint whose submitter did
not ask for confidentiality (`api_names_submitter`)."""

from ikms.accounts.roles import IKVD_STAFF_ROLES, Role
from ikms.registry.access import gate, policy

SUPERVISION = (Role.SUPERVISION_INSPECTOR, Role.IKVD_ADMIN)

#: Complaints: supervision staff all; a founder those forwarded to it (the complaint's `founder`).
COMPLAINT = policy(
    "complaint",
    "Complaints (submissions) to supervision",
    everything=SUPERVISION,
    founder=True,
    path="",
    note="A founder: only complaints forwarded to it, without the submitter's identity (pages and API alike).",
)
#: The complaint's case file (documents, deadlines, letters; ADR 0022): supervision staff only (the documents may
#: name the submitter).
CASE_FILE = policy("complaint_case_file", "Documents, deadlines and letters of complaints", everything=SUPERVISION)

WORK = gate("complaint_work", "Register and examine complaints, log consultations", SUPERVISION)
IDENTITY = gate(
    "complaint_identity",
    "See a complaint's submitter (name, contact)",
    SUPERVISION,
    note="The API names the submitter only of complaints whose identity is not kept confidential.",
)
TRENDS = gate("complaint_trends", "Complaint trends and survey results (no identities)", IKVD_STAFF_ROLES)

can_use_complaints = COMPLAINT.may_open
can_view_complaint = COMPLAINT.allows
can_work = WORK.allows
can_see_identity = IDENTITY.allows
can_view_trends = TRENDS.allows


def api_names_submitter(user, complaint) -> bool:
    """Does the API give this complaint's submitter (name, contact, the possibly signed text, the same submitter's
    other complaints) to the user: those who see it on the complaint page (`IDENTITY`), and never when the submitter
    asked for confidentiality (`anonymous`), which the page still shows to the inspector who has to answer. The
    keyed hash of the personal code is never given."""
    return can_see_identity(user) and not complaint.anonymous


def can_answer_as_founder(user, complaint) -> bool:
    """The founder the complaint was forwarded to (not supervision staff, who reply themselves)."""
    return (
        complaint.founder_id is not None
        and not can_work(user)
        and COMPLAINT.may_open(user)
        and COMPLAINT.allows(user, complaint)
        and not complaint.is_closed
    )
