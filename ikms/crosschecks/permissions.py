"""Who sees the cross-register checks and who runs them (ADR 0017). IKVD staff see every finding and may run the
checks now; a founder sees the findings about its own institutions (findings about no one institution, such as the
national count of psychologists, stay with IKVD). Offer lists are imported by supervision's inspectors, whose
programme checks they record."""

from ikms.accounts.roles import IKVD_STAFF_ROLES
from ikms.inspections.permissions import RUNNERS
from ikms.registry.access import gate, policy

#: The findings of the checks, and the offer-list reports.
FINDING = policy(
    "crosscheck_finding",
    "Cross-register check findings",
    everything=IKVD_STAFF_ROLES,
    founder=True,
    path="institution",
    note="A founder sees the findings about its institutions; findings about no institution stay with IKVD staff.",
)
#: Start a run of the checks from the page.
RUN = gate("crosschecks_run", "Run the cross-register checks now", IKVD_STAFF_ROLES)
#: Import an adult-education offer list (recorded as an offer-list programme check).
IMPORT = gate("crosschecks_offer_import", "Import an adult-education offer list", RUNNERS)
#: See the offer-list imports and the reports per provider.
OFFER_REPORTS = gate("crosschecks_offer_reports", "Offer-list imports and reports per provider", IKVD_STAFF_ROLES)

can_see_findings = FINDING.may_open
can_run_checks = RUN.allows
can_import_offer_lists = IMPORT.allows
can_see_offer_reports = OFFER_REPORTS.allows
