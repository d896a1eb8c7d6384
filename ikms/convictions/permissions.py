"""Who may do what with the spent-conviction commission's records (ADR 0017). Strictly restricted: only the
commission's members and its secretary see any application, meeting, decision, opinion, document or figure; the
secretary writes (registers applications, meetings and decisions), the members read and record their opinions.
Nobody else sees anything, not even a count: not IKVD's administrators, not the admin site, not an export other
than the commission's own, not the search or the dossier. IKVD's data protection officer reads the read log (who
read which record when), never the records themselves."""

from ikms.accounts.roles import Role
from ikms.registry.access import gate, policy

#: The only roles that see the records.
COMMISSION = frozenset({Role.CONVICTION_COMMISSION, Role.CONVICTION_SECRETARY})
_NOTE = "Nobody else, not even a count; every read is logged for the data protection officer"

#: Applications, with their decisions and the members' opinions.
APPLICATION = policy(
    "conviction_application",
    "Spent-conviction applications, the commission's decisions and members' opinions",
    everything=COMMISSION,
    note=_NOTE,
)
#: The commission's meetings (number, date, members present).
MEETING = policy(
    "conviction_meeting",
    "Meetings of the commission on persons with a spent conviction",
    everything=COMMISSION,
    note=_NOTE,
)
#: The applications' case files (documents, the decision deadline; ADR 0022).
CASE_FILE = policy(
    "conviction_case_file",
    "Documents and deadlines of spent-conviction applications",
    everything=COMMISSION,
    note=_NOTE,
)

WORK = gate(
    "conviction_work",
    "Register spent-conviction applications, meetings and decisions",
    Role.CONVICTION_SECRETARY,
)
OPINION = gate(
    "conviction_opinion", "Record a member's opinion on a spent-conviction application", Role.CONVICTION_COMMISSION
)
FIGURES = gate("conviction_figures", "The spent-conviction commission's yearly figures", COMMISSION)
READ_LOG = gate(
    "conviction_read_log",
    "Read log of the spent-conviction records (who read which record when; not the records)",
    Role.DATA_PROTECTION_OFFICER,
)

can_use_convictions = APPLICATION.may_open
can_view_application = APPLICATION.allows
can_view_meeting = MEETING.allows
can_work = WORK.allows
can_give_opinion = OPINION.allows
can_view_figures = FIGURES.allows
can_view_read_log = READ_LOG.allows
