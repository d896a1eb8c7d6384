"""Who may do what with complaints, consultations and the survey (ADR 0017). Supervision staff (the inspectors and
IKVD's administrators) see and work every complaint; a founder sees only the complaints forwarded to it and answers
them; nobody else sees complaints. The submitter's identity is seen only by supervision staff: never by a founder,
a head, in an export, the API or the dossier."""

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
    note="A founder: only complaints forwarded to it, without the submitter's identity",
)
#: The complaint's case file (documents, deadlines, letters; ADR 0022): supervision staff only (the documents may
#: name the submitter).
CASE_FILE = policy("complaint_case_file", "Documents, deadlines and letters of complaints", everything=SUPERVISION)

WORK = gate("complaint_work", "Register and examine complaints, log consultations", SUPERVISION)
IDENTITY = gate("complaint_identity", "See a complaint's submitter (name, contact)", SUPERVISION)
TRENDS = gate("complaint_trends", "Complaint trends and survey results (no identities)", IKVD_STAFF_ROLES)

can_use_complaints = COMPLAINT.may_open
can_view_complaint = COMPLAINT.allows
can_work = WORK.allows
can_see_identity = IDENTITY.allows
can_view_trends = TRENDS.allows


def can_answer_as_founder(user, complaint) -> bool:
    """The founder the complaint was forwarded to (not supervision staff, who reply themselves)."""
    return (
        complaint.founder_id is not None
        and not can_work(user)
        and COMPLAINT.may_open(user)
        and COMPLAINT.allows(user, complaint)
        and not complaint.is_closed
    )
