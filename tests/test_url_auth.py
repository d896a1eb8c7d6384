"""The access matrix: every URL and API route of the URLConf, for every role.

Every named route must appear in RULES; a new route without a rule fails this test, so nobody can
add a page without deciding who may open it (default deny)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ikms.registry.models import Decision

ROLES = ["anonymous", "ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst",
         "accreditation_expert", "founder_riga", "founder_ogre", "head_a1", "no_role", "conviction_commission",
         "conviction_secretary", "data_protection_officer"]
IKVD = {"ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst"}
SCOPED_A1 = IKVD | {"founder_riga", "head_a1"}  # who may see institution A1 (Riga's school)
STAFF_AREA = IKVD | {"founder_riga", "founder_ogre", "head_a1"}
DECIDERS = {"ikvd_admin", "registry_officer"}
ACCREDITORS = {"ikvd_admin", "quality_expert"}
INSPECTORS = {"ikvd_admin", "supervision_inspector"}
SUPERVISION = {"ikvd_admin", "supervision_inspector"}
COMPLAINT_SEERS = SUPERVISION | {"founder_riga"}  # the test complaint is forwarded to Riga's founder
VISIT_PLANNERS = {"ikvd_admin", "quality_expert", "supervision_inspector", "analyst"}
# the spent-conviction commission (ikms.convictions): only its members and secretary see anything; IKVD's data
# protection officer reads its read log, nobody else
COMMISSION = {"conviction_commission", "conviction_secretary"}
SECRETARY = {"conviction_secretary"}
# courses and events: IKVD's staff and those a course may be meant for; the test course is for experts and heads
COURSE_USERS = IKVD | {"accreditation_expert", "founder_riga", "founder_ogre", "head_a1"}
COURSE_AUDIENCE = IKVD | {"accreditation_expert", "head_a1"}
# roles with no institution in their scope: the monitoring pages and the institution API refuse them (403) before
# looking for the row
ABSENCE_SEERS = IKVD | {"founder_riga", "head_a1"}  # the test absence case: a1's report, a Riga resident
UNSCOPED = {"accreditation_expert", "no_role"} | COMMISSION | {"data_protection_officer"}


def _view(allowed: set[str], *, visible: set[str] | None = None, api: bool = False):
    """Expected status: 200 if allowed; 404 if the object is invisible; 403 otherwise; anonymous → login."""

    def rule(role: str) -> int:
        if role == "anonymous":
            return 403 if api else 302
        if visible is not None and role not in visible:
            return 404
        return 200 if role in allowed else 403

    return rule


def _public(role: str) -> int:
    return 200


def _login_only(role: str) -> int:
    return 302 if role == "anonymous" else 200


def _admin(role: str) -> int:
    return 200 if role == "ikvd_admin" else 302


RULES = {
    "portal:home": _public,
    "portal:institution-list": _public,
    "portal:institution-detail": _public,
    "portal:programme-list": _public,
    "portal:profile-search": _public,
    "portal:profile": _public,
    "portal:profile-compare": _public,
    "portal:compare-add": None,  # POST only (the compare basket, anyone): tested separately
    "portal:compare-remove": None,  # POST only: tested separately
    "pages:help": _public,
    "pages:accessibility": _public,
    "public-api:profile-list": _public,
    "public-api:profile-detail": _public,
    "accounts:login": lambda role: 302 if role != "anonymous" else 200,  # signed-in users are sent on
    "accounts:logout": None,  # POST only: tested separately
    "set_language": None,  # POST only: tested separately
    "accounts:profile": _login_only,
    "accounts:password-change": _login_only,
    # the second factor (ADR 0019; nobody here has an authenticator app, and IKMS_REQUIRE_2FA is off in tests:
    # ikms/accounts/tests/test_second_factor.py covers it on)
    "accounts:two-factor": _login_only,
    "accounts:two-factor-setup": _login_only,
    "accounts:two-factor-verify": lambda role: 302,  # anonymous → sign-in; without an app there is nothing to ask
    "accounts:two-factor-recovery-codes": lambda role: 302,  # anonymous → sign-in; without an app → two-factor
    "accounts:two-factor-disable": lambda role: 302,
    "accounts:password-change-done": _login_only,
    "accounts:password-reset": _public,
    "accounts:password-reset-done": _public,
    "accounts:password-reset-confirm": _public,  # an unknown link: the "does not work" page
    "accounts:password-reset-complete": _public,
    "accounts:unlock": lambda role: 400,  # public; an unknown link: the "does not work" page (ADR 0015)
    "api-schema": _public,
    "registry-api:public-institution-list": _public,
    "registry-api:public-programme-list": _public,
    # "Mani darbi", every signed-in user's start page (ikms.web.work): a section per role, an explanation without one
    "web:my-work": _login_only,
    # who may not use the staff register is sent on to "Mani darbi" (older links lead here after sign-in)
    "registry:staff-home": lambda role: 200 if role in STAFF_AREA else 302,
    "registry:institution-list": _view(STAFF_AREA),
    "registry:decision-list": _view(STAFF_AREA),
    "registry:statistics": _view(IKVD),
    "registry:licensing-statistics": _view(IKVD),
    "registry:institution-register": _view(DECIDERS),
    "registry:founder-create": _view(DECIDERS),
    "registry:institution-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:programme-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:decision-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:institution-decide": "per-action",
    "registry:programme-decide": _view(DECIDERS, visible=SCOPED_A1),
    "registry:decision-revoke": _view(DECIDERS, visible=SCOPED_A1),
    "registry-api:institution-list": _view(STAFF_AREA, api=True),
    "registry-api:institution-detail": _view(SCOPED_A1, visible=SCOPED_A1 | UNSCOPED,
                                             api=True),
    "registry-api:programme-list": _view(STAFF_AREA, api=True),
    "registry-api:decision-list": _view(STAFF_AREA, api=True),
    # API docs and the monitoring API (issue 4)
    "api-docs": _public,
    "api-redoc": _public,
    "monitoring-api:indicator-list": _view(STAFF_AREA, api=True),
    "monitoring-api:indicator-detail": _view(STAFF_AREA, api=True),
    "monitoring-api:value-list": _view(STAFF_AREA, api=True),
    "monitoring-api:run-list": _view(STAFF_AREA, api=True),
    "monitoring-api:run-detail": _view(STAFF_AREA, api=True),
    # risk flags (ADR 0016): founders and heads too, scoped; A1's flag is a 404 for another founder
    "monitoring-api:flag-list": _view(STAFF_AREA, api=True),
    "monitoring-api:flag-detail": _view(SCOPED_A1, visible=SCOPED_A1 | UNSCOPED,
                                        api=True),
    "monitoring-api:risk-list": _view(IKVD, api=True),
    "monitoring-api:visit-list": _view(IKVD, api=True),
    "monitoring-api:visit-detail": _view(IKVD, api=True),
    "monitoring-api:visit-status": None,  # POST only: ikms/monitoring/tests/test_api.py
    # monitoring (issue 4)
    "monitoring:home": lambda role: 403 if role in UNSCOPED else 302,
    "monitoring:nation": _view(IKVD),
    "monitoring:municipality": _view(IKVD | {"founder_riga"},
                                     visible=IKVD | {"founder_riga"} | UNSCOPED),
    "monitoring:institution": _view(SCOPED_A1, visible=SCOPED_A1 | UNSCOPED),
    "web:dossier": _view(SCOPED_A1, visible=SCOPED_A1 | UNSCOPED),
    "monitoring:indicator": _view(IKVD),
    "monitoring:risks": _view(IKVD),
    "monitoring:visits": _view(IKVD),
    "monitoring:visit-add": _view(VISIT_PLANNERS),
    "monitoring:visit-status": _view(VISIT_PLANNERS),
    # the visit plans under capacity (issue 17 item 3): IKVD staff see them, VISIT_PLANNERS propose and edit (POST)
    "monitoring:visit-plans": _view(IKVD),
    "monitoring:visit-plan": _view(IKVD),
    "monitoring:absences": _view(IKVD | {"founder_riga", "founder_ogre"}),
    # the municipal education-quality report (issue 16): a founder goes straight to its own municipality's; another
    # municipality's is a 404 (ikms/reports/tests/test_municipal.py)
    "reports:municipal-choose": lambda role: (302 if role in ("anonymous", "founder_riga", "founder_ogre")
                                              else 200 if role in IKVD else 403),
    "reports:municipal": _view(IKVD | {"founder_riga"}, visible=IKVD | {"founder_riga"}),
    "monitoring:absence-institutions": _view(STAFF_AREA),
    "monitoring:data-quality": _view(IKVD | {"founder_riga", "founder_ogre"}),
    # the school network tool (issue 15 item 1): IKVD every municipality, a founder its own
    "monitoring:network": _view(IKVD | {"founder_riga", "founder_ogre"}),
    "monitoring:network-projection": _view(IKVD | {"founder_riga", "founder_ogre"}),
    "monitoring:teaching": _view(IKVD | {"founder_riga", "founder_ogre"}),  # issue 15: the teaching profession
    # graduate monitoring and support to continue studies (issue 15): the nation, a founder's municipality, a
    # head's institution
    "monitoring:graduates": _view(STAFF_AREA),
    "monitoring:support": _view(STAFF_AREA),
    "monitoring:eqavet": _view(STAFF_AREA),
    "monitoring:diagnostics": _view(IKVD | {"founder_riga", "founder_ogre"}),  # issue 15 item 6
    "monitoring:overview": _view(IKVD | {"founder_riga", "founder_ogre"}),  # issue 15 item 5
    # issue 17: a school's risk score (who sees its flags; Ogre's founder does not see A1's) and the model page
    "monitoring:risk-score": _view(SCOPED_A1, visible=set(ROLES) - {"founder_ogre"}),
    "monitoring:risk-model": _public,  # the published back-test (aggregates only)
    "monitoring:visit-effect": _view(IKVD | {"founder_riga", "founder_ogre"}),  # issue 17 item 4
    # accreditation (issue 5): a1's head evaluation in the final-report state, a1's decided accreditation
    "accreditation:case-list": _view(STAFF_AREA | {"accreditation_expert"}),
    "accreditation:task-list": _view(STAFF_AREA | {"accreditation_expert"}),
    "accreditation:case-apply": _view({"founder_riga", "founder_ogre", "head_a1"}),
    "accreditation:case-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "accreditation:case-rate": _view(set(), visible=SCOPED_A1),  # rating is closed after the draft report
    "accreditation:case-action": _view(ACCREDITORS, visible=SCOPED_A1),  # "decide" in the final state
    "accreditation:case-report-pdf": _view(SCOPED_A1, visible=SCOPED_A1),
    "accreditation:task-create": _view(ACCREDITORS, visible=SCOPED_A1),
    "accreditation:task-update": _view(ACCREDITORS | {"founder_riga", "head_a1"}, visible=SCOPED_A1),
    "accreditation:analytics": _view(IKVD),
    # the experts register (issue 14 item 6): the entry of the world's accreditation expert
    "accreditation:expert-list": lambda role: 302 if role in ("anonymous", "accreditation_expert")
    else 200 if role in IKVD else 403,  # an expert is sent to their own entry
    "accreditation:expert-own": lambda role: 302 if role in ("anonymous", "accreditation_expert") else 403,
    "accreditation:expert-detail": _view(IKVD | {"accreditation_expert"}),
    "accreditation:expert-edit": _view(ACCREDITORS | {"accreditation_expert"}),
    "accreditation:expert-unavailability": _view(ACCREDITORS | {"accreditation_expert"}),
    "accreditation:expert-conflict": _view(ACCREDITORS | {"accreditation_expert"}),
    "accreditation:expert-training": _view(ACCREDITORS | {"accreditation_expert"}),
    "accreditation:expert-item-remove": None,  # POST only: ikms/accreditation/tests/test_experts.py
    # self-evaluation reports: a1's 2024/2025 report as a draft, its 2023/2024 report submitted (for review)
    "accreditation:self-evaluation-list": _view(STAFF_AREA),
    "accreditation:self-evaluation-create": _view({"head_a1"}),
    "accreditation:self-evaluation-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "accreditation:self-evaluation-edit": _view({"head_a1"}, visible=SCOPED_A1),
    "accreditation:self-evaluation-submit": _view({"head_a1"}, visible=SCOPED_A1),
    "accreditation:self-evaluation-review": _view({"founder_riga"}, visible=SCOPED_A1),
    "accreditation:self-evaluation-publish": _view(set(), visible=SCOPED_A1),  # only after the founder agreed
    # the shared case core (ADR 0022), on the file of a1's open head evaluation: whoever sees the case sees its
    # file and documents; its parties add documents; IKVD's quality staff assign, extend and write letters
    "cases:queue": _login_only,
    "complaints:list": _view(SUPERVISION | {"founder_riga", "founder_ogre"}),
    "complaints:register": _view(SUPERVISION),
    "complaints:detail": _view(COMPLAINT_SEERS, visible=COMPLAINT_SEERS),
    "complaints:topics": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:forward": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:outcome": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:reply": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:close": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:appeal": _view(SUPERVISION, visible=COMPLAINT_SEERS),
    "complaints:founder-answer": _view({"founder_riga"}, visible=COMPLAINT_SEERS),
    "complaints:consultations": _view(SUPERVISION),
    "complaints:trends": _view(IKVD),
    "portal:complaint-form": _public,
    "portal:complaint-sent": lambda role: 302,  # without a complaint sent in this session: back to the form
    "portal:survey": _public,
    "cases:case-file": _view(SCOPED_A1, visible=SCOPED_A1),
    "cases:attachment-download": _view(SCOPED_A1, visible=SCOPED_A1),
    "cases:attachment-add": _view(ACCREDITORS | {"founder_riga", "head_a1"}, visible=SCOPED_A1),
    "cases:assign": _view(ACCREDITORS, visible=SCOPED_A1),
    "cases:letter-create": _view(ACCREDITORS, visible=SCOPED_A1),
    "cases:deadline-extend": _view(ACCREDITORS, visible=SCOPED_A1),
    # inspections (issue 13 item 3), on a1's inspection in follow-up: IKVD staff see every inspection, a1's head
    # and founder see it once the act is sent and submit evidence; supervision inspectors run them
    "inspections:list": _view(STAFF_AREA),
    "inspections:plan": _view(INSPECTORS),
    "inspections:plan-from-visit": _view(INSPECTORS),
    "inspections:thematic": _view(IKVD),
    "inspections:programme-check": _view(INSPECTORS),
    # licensing applications (issue 14 item 1), on a1's application: IKVD staff see all, a1's head and founder
    # theirs; officers check and decide, the applicant answers deficiencies and may withdraw
    "licensing:list": _view(STAFF_AREA),
    "licensing:new": _view(DECIDERS | {"founder_riga", "founder_ogre", "head_a1"}),
    "licensing:detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "licensing:check": _view(DECIDERS, visible=SCOPED_A1),
    "licensing:deficiencies": _view(DECIDERS, visible=SCOPED_A1),
    "licensing:decide": _view(DECIDERS, visible=SCOPED_A1),
    "licensing:answer": _view(DECIDERS | {"founder_riga", "head_a1"}, visible=SCOPED_A1),
    "licensing:withdraw": _view(DECIDERS | {"founder_riga", "head_a1"}, visible=SCOPED_A1),
    "licensing:quarterly": _view(IKVD),
    "inspections:detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "inspections:act-pdf": _view(SCOPED_A1, visible=SCOPED_A1),
    "inspections:action": _view({"founder_riga", "head_a1"}, visible=SCOPED_A1),  # submit evidence
    # the complaints and inspections API (read-only): the pages' policies; who may not open the list at all is
    # refused (403) on the detail too, a founder that may open it gets a 404 for a complaint not forwarded to it
    "complaints-api:complaint-list": _view(SUPERVISION | {"founder_riga", "founder_ogre"}, api=True),
    "complaints-api:complaint-detail": _view(COMPLAINT_SEERS, visible=set(ROLES) - {"founder_ogre"}, api=True),
    "inspections-api:inspection-list": _view(STAFF_AREA, api=True),
    "inspections-api:inspection-detail": _view(SCOPED_A1, visible=SCOPED_A1 | UNSCOPED,
                                               api=True),
    # the register of psychologists (issue 14 item 3): public search of its public fields; IKVD staff read the
    # staff register and the certification board's work, the board's secretariat (registry officers, IKVD
    # administrators) records it; an open registration application and a registered psychologist
    "public-psychologists:list": _public,
    "public-psychologists:detail": _public,
    "psychologists:register": _view(IKVD),
    "psychologists:detail": _view(IKVD, visible=IKVD),
    "psychologists:decide": _view(DECIDERS, visible=IKVD),
    "psychologists:applications": _view(IKVD),
    "psychologists:application-new": _view(DECIDERS),
    "psychologists:application": _view(IKVD, visible=IKVD),
    "psychologists:application-decide": _view(DECIDERS, visible=IKVD),
    "psychologists:meetings": _view(IKVD),
    "psychologists:meeting-new": _view(DECIDERS),
    "psychologists:meeting": _view(IKVD, visible=IKVD),
    "psychologists:exams": _view(IKVD),
    "psychologists:exam-new": _view(DECIDERS),
    "psychologists:exam": _view(IKVD, visible=IKVD),
    "psychologists:exam-result": _view(DECIDERS, visible=IKVD),
    "psychologists:statistics": _view(IKVD),
    # persons with a spent conviction (issue 14 item 5), on an open and a decided application and their meeting
    "convictions:list": _view(COMMISSION),
    "convictions:register": _view(SECRETARY),
    "convictions:detail": _view(COMMISSION, visible=COMMISSION),
    "convictions:decide": _view(SECRETARY, visible=COMMISSION),
    "convictions:annul": _view(SECRETARY, visible=COMMISSION),
    "convictions:opinion": _view({"conviction_commission"}, visible=COMMISSION),
    "convictions:meetings": _view(COMMISSION),
    "convictions:meeting-record": _view(SECRETARY),
    "convictions:meeting": _view(COMMISSION, visible=COMMISSION),
    "convictions:figures": _view(COMMISSION),
    "convictions:read-log": _view({"data_protection_officer"}),
    # statements of a person's education history for other authorities (ikms.statements): registry officers and
    # IKVD's administrators only
    "statements:list": _view(DECIDERS),
    "statements:new": _view(DECIDERS),
    "statements:detail": _view(DECIDERS, visible=DECIDERS),
    "statements:pdf": _view(DECIDERS, visible=DECIDERS),
    "statements:issue": None,  # POST only: ikms/statements/tests/test_views.py
    # registers of persons (issue 14): the public registers need no sign-in; IKVD staff read the staff entries
    # (founders and heads see none), registry officers and administrators record applications and decisions
    "childcare:public-list": _public,
    "childcare:public-detail": _public,
    "childcare:list": _view(IKVD),
    "childcare:statistics": _view(IKVD),
    "childcare:apply": _view(DECIDERS),
    "childcare:detail": _view(IKVD, visible=IKVD),
    "childcare:decide": _view(DECIDERS, visible=IKVD),  # "register" on an application
    "practice:public-list": _public,
    "practice:list": _view(IKVD),
    "practice:statistics": _view(IKVD),
    "practice:issue": _view(DECIDERS),
    "practice:detail": _view(IKVD, visible=IKVD),
    "practice:decide": _view(DECIDERS, visible=IKVD),  # "extend" on a valid certificate
    # courses and events (issue 14 item 7): IKVD's staff run them; the test course is meant for experts and heads,
    # who see its events and enrol themselves; the certificate is the expert's own
    "courses:list": _view(COURSE_USERS),
    "courses:my-training": _view(COURSE_USERS),
    "courses:course-new": _view(IKVD),
    "courses:course-detail": _view(COURSE_AUDIENCE, visible=COURSE_AUDIENCE),
    "courses:event-new": _view(IKVD, visible=COURSE_AUDIENCE),
    "courses:event-detail": _view(COURSE_AUDIENCE, visible=COURSE_AUDIENCE),
    "courses:event-enrol": _view({"accreditation_expert", "head_a1"}, visible=COURSE_AUDIENCE),
    "courses:event-register": _view(IKVD, visible=COURSE_AUDIENCE),
    "courses:event-attendance": _view(IKVD, visible=COURSE_AUDIENCE),
    "courses:event-certificates": _view(IKVD, visible=COURSE_AUDIENCE),
    "courses:certificate": _view(IKVD | {"accreditation_expert"}, visible=IKVD | {"accreditation_expert"}),
    # cross-register checks: IKVD staff, and founders for their own institutions' findings; offer lists IKVD staff
    "crosschecks:report": _view(IKVD | {"founder_riga", "founder_ogre"}),
    "crosschecks:run": None,  # POST only: ikms/crosschecks/tests/test_views.py
    "crosschecks:offer-lists": _view(IKVD),
    "crosschecks:provider-report": _view(IKVD),
    # the absence hand-off (issue 15 item 8): the test case is a1's (Riga's school) report of a Riga resident
    "attendance:list": _view(IKVD | {"founder_riga", "founder_ogre", "head_a1"}),
    "attendance:report": _view({"head_a1"}),
    "attendance:detail": _view(ABSENCE_SEERS, visible=ABSENCE_SEERS),
    "attendance:action": _view({"founder_riga"}, visible=ABSENCE_SEERS),
    "attendance:close": _view({"founder_riga"}, visible=ABSENCE_SEERS),
    # reports (issue 16): who may make a kind is the kind's decision; the test kind (ikms.reports.testing) admits
    # IKVD staff, and a run is opened by its requester and those the kind admits (others: 404)
    "reports:index": _view(IKVD | {"founder_riga", "founder_ogre"}),  # founders: their municipal report
    "reports:start": _view(IKVD),
    "reports:run": _view(IKVD, visible=IKVD),
    "reports:run-progress": _view(IKVD, visible=IKVD),
    "reports:run-view": _view(IKVD, visible=IKVD),
    "reports:run-download": _view(IKVD, visible=IKVD),
}
DECIDE_ACTIONS = {
    "amend": _view(DECIDERS, visible=SCOPED_A1),
    "application": _view(DECIDERS, visible=SCOPED_A1),
    "strike-off": _view(DECIDERS, visible=SCOPED_A1),
    "programme": _view(DECIDERS, visible=SCOPED_A1),
    "accreditation": _view(ACCREDITORS, visible=SCOPED_A1),
}


def _named_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue
            yield from _named_routes(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def _monitoring_api_kwargs(name: str, world) -> dict:
    """A stored run with a flag for A1, and a visit plan entry for A1 (made once, on first use)."""
    import datetime as dt

    from django.utils import timezone

    from ikms.monitoring.models import RiskFlag, VisitPlanEntry
    from ikms.monitoring.services import visit_plan_add
    from ikms.monitoring.testing import store_run

    a1 = world["a1"]
    if name == "monitoring-api:indicator-detail":
        return {"code": "learners_enrolled"}
    if name == "monitoring-api:visit-detail":
        entry = VisitPlanEntry.objects.filter(institution=a1).first() or visit_plan_add(
            actor=world["users"]["ikvd_admin"], institution=a1, reason="random",
            planned_date=timezone.localdate() + dt.timedelta(days=7))
        return {"pk": entry.pk}
    flag = RiskFlag.objects.filter(institution=a1.registration_number).first()
    if flag is None:
        store_run("2023/2024", [], [{"rule": "R2", "institution": a1.registration_number}])
        flag = RiskFlag.objects.get(institution=a1.registration_number)
    return {"pk": flag.pk if name == "monitoring-api:flag-detail" else flag.run_id}


def _kwargs(name: str, world) -> dict:
    a1 = world["a1"]
    if name in ("monitoring-api:indicator-detail", "monitoring-api:visit-detail", "monitoring-api:flag-detail",
                "monitoring-api:run-detail"):
        return _monitoring_api_kwargs(name, world)
    if name == "accounts:password-reset-confirm":
        return {"uidb64": "MA", "token": "not-a-token"}
    if name == "accounts:unlock":
        return {"token": "not-a-token"}
    if name in ("portal:institution-detail", "portal:profile", "public-api:profile-detail"):
        return {"registration_number": a1.registration_number}
    if name in ("registry:institution-detail", "registry-api:institution-detail"):
        return {"pk": a1.pk}
    if name in ("registry:programme-detail", "registry:programme-decide"):
        return {"pk": world["programme_a"].pk}
    if name in ("registry:decision-detail", "registry:decision-revoke"):
        return {"pk": Decision.objects.filter(institution=a1, kind="register").get().pk}
    if name in ("monitoring:institution", "web:dossier", "monitoring:visit-add"):
        return {"registration_number": a1.registration_number}
    if name == "monitoring:risk-score":
        from ikms.monitoring.testing import make_risk_score

        make_risk_score(a1.registration_number)
        return {"registration_number": a1.registration_number}
    if name in ("monitoring:municipality", "reports:municipal"):
        return {"code": a1.municipality.code}
    if name == "monitoring:indicator":
        return {"code": "learners_enrolled"}
    if name == "monitoring:visit-plan":
        from ikms.monitoring.models import VisitPlan
        from ikms.monitoring.services import visit_plan_propose

        plan = VisitPlan.objects.first() or visit_plan_propose(actor=world["users"]["ikvd_admin"], year="2025/2026",
                                                               capacity=4, random_share=0, seed=1)
        return {"pk": plan.pk}
    if name == "monitoring:visit-status":
        import datetime as dt

        from django.utils import timezone

        from ikms.monitoring.models import VisitPlanEntry
        from ikms.monitoring.services import visit_plan_add

        entry = VisitPlanEntry.objects.filter(institution=a1).first() or visit_plan_add(
            actor=world["users"]["ikvd_admin"], institution=a1, reason="random",
            planned_date=timezone.localdate() + dt.timedelta(days=7))
        return {"pk": entry.pk}
    if name.startswith(("psychologists:", "public-psychologists:")):
        return _psychologists_kwargs(name, world)
    if name in ("statements:detail", "statements:pdf"):
        return _statements_kwargs(world)
    if name in ("attendance:detail", "attendance:action", "attendance:close"):
        return _attendance_kwargs(world)
    if name.startswith("convictions:") and name in CONVICTION_RECORDS:
        return _convictions_kwargs(name, world)
    if name.startswith("cases:") and name != "cases:queue":
        return _cases_kwargs(name, world)
    if name.startswith("licensing:") and name not in ("licensing:list", "licensing:new", "licensing:quarterly"):
        return _licensing_kwargs(world)
    if name in ("childcare:public-detail", "childcare:detail", "childcare:decide", "practice:detail",
                "practice:decide"):
        return _registers_of_persons_kwargs(name, world)
    if name.startswith("courses:") and name not in ("courses:list", "courses:my-training", "courses:course-new"):
        return _courses_kwargs(name, world)
    if name.startswith("inspections:") and name not in (
            "inspections:list", "inspections:plan", "inspections:programme-check"):
        return _inspection_kwargs(name, world)
    if name == "inspections-api:inspection-detail":
        return _inspection_kwargs("inspections:detail", world)
    if name == "complaints-api:complaint-detail":
        return _complaints_kwargs("complaints:detail", world)
    if name in ("portal:survey",) or (name.startswith("complaints:") and name not in (
            "complaints:list", "complaints:register", "complaints:consultations", "complaints:trends")):
        return _complaints_kwargs(name, world)
    if name.startswith("accreditation:expert-") and name not in ("accreditation:expert-list",
                                                                  "accreditation:expert-own"):
        return {"pk": world["users"]["accreditation_expert"].pk}
    if name.startswith("accreditation:self-evaluation-") and name not in ("accreditation:self-evaluation-list",
                                                                          "accreditation:self-evaluation-create"):
        return _self_evaluation_kwargs(name, world)
    if name.startswith("accreditation:") and name not in ("accreditation:case-list", "accreditation:task-list",
                                                            "accreditation:case-apply", "accreditation:analytics",
                                                            "accreditation:self-evaluation-list",
                                                            "accreditation:self-evaluation-create",
                                                            "accreditation:expert-list", "accreditation:expert-own"):
        return _accreditation_kwargs(name, world)
    if name == "crosschecks:provider-report":
        return _crosschecks_kwargs(world)
    if name.startswith("reports:"):
        return _reports_kwargs(name, world)
    return {}


def _reports_kwargs(name: str, world) -> dict:
    """The test kind of report (registered here) and a finished run of it asked for by IKVD's admin (made once)."""
    from ikms.reports.models import ReportRun
    from ikms.reports.services import report_run_make
    from ikms.reports.testing import TEST_KIND, register_test_kind

    register_test_kind(formats=("xlsx",))
    if name in ("reports:index", "reports:municipal-choose"):
        return {}
    if name == "reports:start":
        return {"kind": TEST_KIND}
    run = ReportRun.objects.filter(kind=TEST_KIND, status="done").first()
    if run is None:
        run = ReportRun.objects.create(kind=TEST_KIND, params={"year": "2024"}, language="lv", inputs_key="url-auth",
                                       requested_by=world["users"]["ikvd_admin"])
        report_run_make(run.pk)
    return {"pk": run.pk, **({"fmt": "xlsx"} if name == "reports:run-download" else {})}


def _crosschecks_kwargs(world) -> dict:
    """A provider with an imported offer list (imported once)."""
    from ikms.crosschecks.models import OfferLine
    from ikms.crosschecks.testing import import_offer_list

    a1 = world["a1"]
    if not OfferLine.objects.filter(provider_number=a1.registration_number).exists():
        import_offer_list(actor=world["users"]["supervision_inspector"], institution=a1)
    return {"number": a1.registration_number}


def _licensing_kwargs(world) -> dict:
    from ikms.licensing.models import LicenceApplication
    from ikms.licensing.services import application_submit
    from ikms.registry.services import PlaceInput

    a1 = world["a1"]
    found = LicenceApplication.objects.filter(institution=a1).first() or application_submit(
        actor=world["users"]["head_a1"], institution=a1, kind="new", code="21011112", name="Programma",
        form="full_time", places=[PlaceInput(address=a1.address, municipality=a1.municipality)])
    return {"pk": found.pk}
def _registers_of_persons_kwargs(name: str, world) -> dict:
    """A registered child supervision provider and an application (made once), and a valid certificate."""
    from ikms.childcare import testing as childcare_testing
    from ikms.childcare.models import Provider
    from ikms.practice import testing as practice_testing
    from ikms.practice.models import Certificate

    officer = world["users"]["registry_officer"]
    if name.startswith("practice:"):
        certificate = Certificate.objects.first() or practice_testing.issue(actor=officer)
        return {"pk": certificate.pk, **({"action": "extend"} if name == "practice:decide" else {})}
    registered = Provider.objects.filter(status="registered").first() or childcare_testing.registered(actor=officer)
    if name == "childcare:public-detail":
        return {"registration_number": registered.registration_number}
    if name == "childcare:decide":
        application = Provider.objects.filter(status="application").first() or childcare_testing.apply(actor=officer)
        return {"pk": application.pk, "action": "register"}
    return {"pk": registered.pk}


def _courses_kwargs(name: str, world) -> dict:
    """A course for experts and heads with an event to come, and a past event the expert completed with a
    certificate (made once)."""
    from ikms.courses import services as course_services
    from ikms.courses.models import Course, Registration
    from ikms.courses.testing import course, event

    admin, expert = world["users"]["ikvd_admin"], world["users"]["accreditation_expert"]
    found = Course.objects.first()
    if found is None:
        found = course(actor=admin, audiences=["experts", "heads"])
        event(actor=admin, course=found, days_from_today=30)
        past = event(actor=admin, course=found, days_from_today=-30)
        done = course_services.registration_enrol(actor=admin, event=past, user=expert)
        course_services.attendance_record(actor=admin, event=past, marks={done.pk: "completed"})
        course_services.certificate_issue(actor=admin, registration=done)
    if name == "courses:certificate":
        return {"pk": Registration.objects.get(user=expert).pk}
    if name in ("courses:course-detail", "courses:event-new"):
        return {"pk": found.pk}
    return {"pk": found.events.order_by("-starts_on").first().pk}


def _inspection_kwargs(name: str, world) -> dict:
    import datetime as dt

    from django.utils import timezone

    from ikms.inspections.models import Inspection
    from ikms.inspections.testing import drive
    from ikms.monitoring.models import VisitPlanEntry
    from ikms.monitoring.services import visit_plan_add

    a1, users = world["a1"], world["users"]
    if name == "inspections:thematic":
        return {"code": "unified_school_2023_2024"}
    if name == "inspections:plan-from-visit":
        entry = VisitPlanEntry.objects.filter(institution=a1, status="planned").first() or visit_plan_add(
            actor=users["ikvd_admin"], institution=a1, reason="random",
            planned_date=timezone.localdate() + dt.timedelta(days=7))
        return {"visit_pk": entry.pk}
    inspection = Inspection.objects.filter(institution=a1).first() or drive(
        inspector=users["supervision_inspector"], head=users["head_a1"], institution=a1, state="follow_up")
    if name == "inspections:action":
        return {"pk": inspection.pk, "action": "submit-evidence"}
    return {"pk": inspection.pk}


def _self_evaluation_kwargs(name: str, world) -> dict:
    from ikms.accreditation import services as accreditation_services
    from ikms.accreditation.framework import framework, self_evaluation
    from ikms.accreditation.models import SelfEvaluationReport

    a1, head = world["a1"], world["users"]["head_a1"]
    draft = SelfEvaluationReport.objects.filter(institution=a1, school_year="2024/2025").first()
    if draft is None:
        draft = accreditation_services.self_evaluation_create(actor=head, institution=a1, school_year="2024/2025")
        submitted = accreditation_services.self_evaluation_create(
            actor=head, institution=a1, school_year="2023/2024",
            sections={s.code: "Teksts" for s in self_evaluation().sections},
            self_ratings={c.code: {"level": "good", "justification": "Pamatojums"} for c in framework().criteria},
            goals=[{"goal": "Mērķis", "measure": "Rādītājs", "target": "90 %", "deadline": "2026-06-30"}])
        accreditation_services.self_evaluation_submit(actor=head, report=submitted)
    if name == "accreditation:self-evaluation-review":
        return {"pk": SelfEvaluationReport.objects.get(institution=a1, school_year="2023/2024").pk}
    return {"pk": draft.pk}


def _accreditation_kwargs(name: str, world) -> dict:
    import datetime as dt

    from django.utils import timezone

    from ikms.accreditation import services as accreditation_services
    from ikms.accreditation.models import Case
    from ikms.accreditation.testing import drive, experts, new_case

    a1 = world["a1"]
    decided = Case.objects.filter(institution=a1, kind="accreditation").first()
    head_case = Case.objects.filter(institution=a1, kind="head").first()
    if decided is None:
        people = {**experts("url"), "head": world["users"]["head_a1"], "ikvd": world["users"]["quality_expert"]}
        decided = drive(new_case(institution=a1, head=people["head"]), "decided", people)
        accreditation_services.task_create(actor=people["ikvd"], case=decided, criterion="2.1", description="Uzdevums",
                                           deadline=timezone.localdate() + dt.timedelta(days=90))
        head_case = drive(new_case(institution=a1, head=people["head"], kind="head"), "final", people)
    if name == "accreditation:task-update":
        return {"pk": decided.tasks.get().pk}
    if name == "accreditation:task-create":
        return {"pk": decided.pk}
    if name == "accreditation:case-action":
        return {"pk": head_case.pk, "action": "decide"}
    return {"pk": head_case.pk}


def _cases_kwargs(name: str, world) -> dict:
    from django.utils import timezone

    from ikms.accreditation.models import Case
    from ikms.cases import services as case_services
    from ikms.cases.testing import PDF, upload

    _accreditation_kwargs("accreditation:case-detail", world)
    case_file = Case.objects.get(institution=world["a1"], kind="head").case_file
    if name == "cases:deadline-extend":
        return {"pk": case_file.deadlines.get().pk}
    if name == "cases:attachment-download":
        document = case_file.attachments.first() or case_services.attachment_add(
            actor=world["users"]["head_a1"], case_file=case_file, upload=upload("a.pdf", PDF), title="Iesniegums",
            dated_on=timezone.localdate())
        return {"pk": document.pk}
    return {"pk": case_file.pk}


def _complaints_kwargs(name: str, world) -> dict:
    import datetime as dt

    from ikms.complaints import services as complaint_services
    from ikms.complaints.models import Complaint, SurveyInvitation

    inspector = world["users"]["supervision_inspector"]
    if name == "portal:survey":
        invitation = SurveyInvitation.objects.first() or complaint_services.consultation_log(
            actor=inspector, given_on=dt.date(2024, 5, 2), topic="assessment", audience="parent", channel="phone",
            duration_minutes=10, contact="a@example.lv").surveys.get()
        return {"token": invitation.token}
    complaint = Complaint.objects.first()
    if complaint is None:
        complaint = complaint_services.complaint_register(
            actor=inspector, channel="email", submitter_type="parent", text="Sūdzība", received_on=dt.date(2024, 5, 2),
            institutions=[world["a1"]], submitter_name="Anna Bērziņa")
        complaint_services.complaint_forward(actor=inspector, complaint=complaint, founder=world["riga"],
                                             summary="Lūdzam izvērtēt skolotājas rīcību.",
                                             forwarded_on=dt.date(2024, 5, 6))
    return {"pk": complaint.pk}


def _psychologists_kwargs(name: str, world) -> dict:
    import datetime as dt

    from ikms.psychologists import services as psychologist_services
    from ikms.psychologists.models import Application, BoardMeeting, ExamSession, Psychologist
    from ikms.psychologists.testing import registered

    if name in ("psychologists:register", "psychologists:applications", "psychologists:application-new",
                "psychologists:meetings", "psychologists:meeting-new", "psychologists:exams",
                "psychologists:exam-new", "psychologists:statistics", "public-psychologists:list"):
        return {}
    officer = world["users"]["registry_officer"]
    psychologist = Psychologist.objects.first() or registered(actor=officer)
    if name == "public-psychologists:detail":
        return {"registration_number": psychologist.registration_number}
    if name in ("psychologists:detail", "psychologists:decide"):
        return {"pk": psychologist.pk}
    if name == "psychologists:meeting":
        return {"pk": BoardMeeting.objects.get().pk}
    if name in ("psychologists:exam", "psychologists:exam-result"):
        session = ExamSession.objects.first() or psychologist_services.exam_session_record(
            actor=officer, date=dt.date(2024, 5, 2), kind="certification", mode="remote")
        return {"pk": session.pk}
    application = Application.objects.filter(decision__isnull=True).first() or (
        psychologist_services.application_receive(actor=officer, kind="recognition", received_on=dt.date(2024, 5, 2),
                                                  first_name="Olga", last_name="Petrova", country="Lietuva"))
    return {"pk": application.pk}
CONVICTION_RECORDS = ("convictions:detail", "convictions:decide", "convictions:annul", "convictions:opinion",
                      "convictions:meeting")


def _convictions_kwargs(name: str, world) -> dict:
    """A decided application (a permit, to annul) and an open one (to decide, to give an opinion on), made once."""
    from ikms.convictions.models import Application
    from ikms.convictions.testing import OTHER_CODE, application, decide, meeting

    secretary, member = world["users"]["conviction_secretary"], world["users"]["conviction_commission"]
    decided = Application.objects.exclude(outcome="").first()
    if decided is None:
        decided = application(secretary)
        decide(secretary, decided, meeting(secretary, [member]))
        application(secretary, person_name="Ilze Gaidīte", personal_code=OTHER_CODE)
    waiting = Application.objects.get(outcome="")
    if name == "convictions:meeting":
        return {"pk": decided.decisions.get().meeting_id}
    return {"pk": waiting.pk if name in ("convictions:decide", "convictions:opinion") else decided.pk}


def _statements_kwargs(world) -> dict:
    """An issued statement (made once, from a tiny lake of its own)."""
    from ikms.statements.models import Statement
    from ikms.statements.testing import issued

    found = Statement.objects.first() or issued(world["users"]["registry_officer"])
    return {"pk": found.request_id}


def _attendance_kwargs(world) -> dict:
    """A school's hand-filed report of a Riga resident at a1 (made once)."""
    from ikms.attendance import services as attendance_services
    from ikms.attendance.models import AbsenceCase

    case = AbsenceCase.objects.first() or attendance_services.absence_report(
        actor=world["users"]["head_a1"], institution=world["a1"], personal_code="01020312349",
        learner_name="Jānis Bērziņš", parent_contact="", residence=world["riga"].municipality,
        school_year="2024/2025", semester=1, level="basic")
    return {"pk": case.pk}


def _client(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def test_every_route_has_a_rule(db):
    names = set(_named_routes())
    missing = names - set(RULES)
    assert not missing, f"routes without an access rule: {sorted(missing)}"
    assert set(RULES) - names == set(), "rules for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    failures = []
    for name, rule in RULES.items():
        if rule is None:
            continue
        if rule == "per-action":
            for action, action_rule in DECIDE_ACTIONS.items():
                url = reverse(name, kwargs={"pk": world["a1"].pk, "action": action})
                status = _client(client, world, role).get(url).status_code
                if status != action_rule(role):
                    failures.append((url, status, action_rule(role)))
            continue
        url = reverse(name, kwargs=_kwargs(name, world))
        status = _client(client, world, role).get(url).status_code
        if status != rule(role):
            failures.append((url, status, rule(role)))
    assert not failures, f"{role}: (url, got, expected) {failures}"


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_ikvd_admin(client, world, role):
    _client(client, world, role)
    for url in ["/admin/", "/admin/registry/institution/", "/admin/accounts/user/", "/admin/core/auditevent/"]:
        assert client.get(url).status_code == _admin(role), url


def test_anonymous_sent_to_login_with_next(client, world):
    response = client.get(reverse("registry:institution-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_english_prefix_follows_the_same_rules(client, world):
    assert client.get("/en/registrs/iestades/").status_code == 200
    assert client.get("/en/staff/institutions/").status_code == 302
    client.force_login(world["users"]["founder_ogre"])
    assert client.get(f"/en/staff/institutions/{world['a1'].pk}/").status_code == 404


def test_founder_b_cannot_see_or_change_founder_a(client, world):
    a1 = world["a1"]
    client.force_login(world["users"]["founder_ogre"])
    listing = client.get(reverse("registry:institution-list")).content.decode()
    assert "Ogres Testa vidusskola" in listing and "Rīgas Testa vidusskola" not in listing
    export = client.get(reverse("registry:institution-list") + "?format=csv").content.decode("utf-8-sig")
    assert "Ogres Testa vidusskola" in export and a1.registration_number not in export
    api = client.get(reverse("registry-api:institution-list")).json()
    assert {r["registration_number"] for r in api["results"]} == {world["b1"].registration_number}
    decisions = client.get(reverse("registry-api:decision-list")).json()
    assert all(r["institution"] == world["b1"].registration_number for r in decisions["results"])
    before = Decision.objects.count()
    for action in DECIDE_ACTIONS:
        url = reverse("registry:institution-decide", kwargs={"pk": a1.pk, "action": action})
        assert client.post(url, {"number": "X-1", "date": "2024-01-01", "legal_basis": "x"}).status_code == 404
    assert Decision.objects.count() == before
    a1.refresh_from_db()
    assert a1.status == "registered"


def test_founder_cannot_change_own_institution_either(client, world):
    client.force_login(world["users"]["founder_riga"])
    url = reverse("registry:institution-decide", kwargs={"pk": world["a1"].pk, "action": "amend"})
    before = Decision.objects.count()
    assert client.post(url, {"number": "X-2", "date": "2024-01-01", "legal_basis": "x", "reason": "name",
                             "name": "Cits nosaukums"}).status_code == 403
    assert Decision.objects.count() == before


def test_expired_role_gives_no_access(client, world):
    import datetime

    from ikms.accounts.models import RoleAssignment

    head = world["users"]["head_a1"]
    RoleAssignment.objects.filter(user=head).update(valid_from=datetime.date(2020, 1, 1),
                                                    valid_to=datetime.date(2021, 1, 1))
    client.force_login(head)
    assert client.get(reverse("registry:institution-detail", kwargs={"pk": world["a1"].pk})).status_code == 404
    assert client.get(reverse("registry:staff-home"))["Location"] == reverse("web:my-work")
    assert "You hold no role in IKMS today" in client.get("/en/mani-darbi/").content.decode()


def test_post_only_routes(client, world):
    client.force_login(world["users"]["analyst"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("registry:staff-home")).status_code == 302
    # the compare basket is public (anonymous again here); ikms/portal/tests/test_search.py covers it
    for name in ("portal:compare-add", "portal:compare-remove"):
        assert client.get(reverse(name)).status_code == 405
        response = client.post(reverse(name), {"i": world["a1"].registration_number, "next": "/profili/"})
        assert response.status_code == 302 and response["Location"] == "/profili/"
