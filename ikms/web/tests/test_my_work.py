""""Mani darbi", the start page after sign-in: every role lands on it (never on an error), and each sees the work of
its own scope: the expert its commissions and the ratings owed, the founder its schools at risk, tasks and reports to
agree, the head its tasks, report and case, the registry officer the applications waiting, the quality department
the cases by state and the overdue tasks, the inspector and the analyst the risk list and the visit plan."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.accreditation import services as accreditation_services
from ikms.accreditation.framework import framework, self_evaluation
from ikms.accreditation.selectors import case_criteria
from ikms.accreditation.testing import action_data, bulk_tasks, drive, experts, new_case
from ikms.core.school_year import school_year_of
from ikms.monitoring import services as monitoring_services
from ikms.registry import services as registry_services
from ikms.registry.choices import DecisionKind
from ikms.registry.models import InstitutionType
from ikms.registry.testing import decision_input
from tests.test_url_auth import ROLES

pytestmark = pytest.mark.django_db
PASSWORD = "test-password-123"  # make_user's


def _en_date(day) -> str:
    """A date as the English pages write it (config/formats/en)."""
    with translation.override("en"):
        return formats.date_format(day)


def reverse_lv(name, *args):
    """The Latvian (unprefixed) path, whatever language an earlier request left active."""
    with translation.override("lv"):
        return reverse(name, args=args)


def _page(client, world, role, *, lang="/en") -> str:
    client.force_login(world["users"][role])
    response = client.get(f"{lang}/mani-darbi/")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """The main content's words (tags dropped, spaces folded)."""
    main = html.split('id="main-content"', 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _people(world) -> dict:
    return {**experts("mw"), "head": world["users"]["head_a1"], "ikvd": world["users"]["quality_expert"]}


def _planned_case(world, people):
    """A1's accreditation with its commission appointed, both seats declared and the evaluation planned: the
    ratings are open and none is given yet."""
    case = drive(new_case(institution=world["a1"], head=people["head"]), "commission", people)
    return accreditation_services.case_transition(actor=people["chair"], case=case, action="plan",
                                                  data=action_data(case, "plan", people))


def test_the_address():
    assert reverse_lv("web:my-work") == "/mani-darbi/"


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_role_lands_on_my_work_after_sign_in(client, monitored, role):
    user = monitored["users"][role]
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/mani-darbi/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "<h1 class=\"govuk-heading-xl\">Mani darbi</h1>" in page.content.decode()


def test_next_still_wins_after_sign_in(client, world):
    response = client.post("/accounts/login/?next=/staff/institutions/",
                           {"username": "officer", "password": PASSWORD})
    assert response["Location"] == "/staff/institutions/"


def test_the_staff_home_sends_who_may_not_use_it_to_my_work(client, world):
    for role in ("accreditation_expert", "no_role"):
        client.force_login(world["users"][role])
        response = client.get("/staff/")
        assert response.status_code == 302 and response["Location"] == "/mani-darbi/", role
        assert client.get("/en/staff/")["Location"] == "/en/mani-darbi/"
    client.force_login(world["users"]["founder_riga"])
    assert client.get("/staff/").status_code == 200  # who may use it still gets it


def test_the_expert_sees_its_case_and_the_ratings_owed(client, world):
    people = _people(world)
    case = _planned_case(world, people)
    other = drive(new_case(institution=world["a2"], head=make_user(Role.INSTITUTION_HEAD, institution=world["a2"])),
                  "registered", people)
    criteria = case_criteria(case)
    accreditation_services.case_transition(actor=people["member"], case=case, action="rate", data={"ratings": {
        criteria[0].code: {"level": "good", "justification": "Pamatojums"}}})
    world["users"]["member"] = people["member"]
    html = _page(client, world, "member")
    text = _text(html)
    assert "Rīgas Testa vidusskola" in text and "Evaluation planned" in text
    assert f"/lietas/{other.pk}/" not in html
    assert "Saulīte" not in text  # a case whose commission the expert does not sit on
    owed = len(criteria) - 1
    assert f"{owed} criteria are not rated yet." in text
    assert criteria[0].code + "," not in text.split("Criteria not rated", 1)[1]
    assert f"/en/akreditacija/lietas/{case.pk}/vertejumi/" in html  # the link to rate
    assert _en_date(case.visit_end) in text  # the date by which the evaluation ends
    # an expert on no commission: the explanation, not an error
    text = _text(_page(client, world, "accreditation_expert"))
    assert "You sit on the commission of no open case." in text and "The commission owes no ratings." in text


def test_a_seat_still_to_declare_is_the_experts_step(client, world):
    people = _people(world)
    case = drive(new_case(institution=world["a1"], head=people["head"]), "registered", people)
    accreditation_services.case_transition(actor=people["ikvd"], case=case, action="appoint",
                                           data=action_data(case, "appoint", people))
    world["users"]["member"] = people["member"]
    html = _page(client, world, "member")
    assert f"/en/akreditacija/lietas/{case.pk}/declare/" in html and "Declare no conflict of interest" in html
    accreditation_services.case_transition(actor=people["member"], case=case, action="declare",
                                           data={"no_conflict": True})
    html = _page(client, world, "member")
    assert "/declare/" not in html and "Others’ turn: Plan the evaluation" in _text(html)


def test_the_founder_sees_its_schools_at_risk_tasks_and_reports_and_none_of_another(client, monitored):
    people = _people(monitored)
    decided = drive(new_case(institution=monitored["a1"], head=people["head"]), "decided", people)
    bulk_tasks(decided, [{"deadline": timezone.localdate() + dt.timedelta(days=30), "description": "Rīgas uzdevums"},
                         {"deadline": timezone.localdate() - dt.timedelta(days=3), "description": "Nokavēts"}])
    ogre_people = {**experts("og"), "head": monitored["users"]["founder_ogre"], "ikvd": people["ikvd"]}
    ogre_case = drive(new_case(institution=monitored["b1"], head=ogre_people["head"]), "decided", ogre_people)
    bulk_tasks(ogre_case, [{"deadline": timezone.localdate() + dt.timedelta(days=10), "description": "Ogres darbs"}])
    report = accreditation_services.self_evaluation_create(
        actor=people["head"], institution=monitored["a1"], school_year="2023/2024",
        sections={s.code: "Teksts" for s in self_evaluation().sections},
        self_ratings={c.code: {"level": "good", "justification": "Pamatojums"} for c in framework().criteria},
        goals=[{"goal": "Mērķis", "measure": "Rādītājs", "target": "90 %", "deadline": "2026-06-30"}])
    accreditation_services.self_evaluation_submit(actor=people["head"], report=report)

    html = _page(client, monitored, "founder_riga")
    text = _text(html)
    # at risk in the latest school year, with the rules in words and a link to the school's page
    assert "Institutions at risk, 2023/2024" in text and "Your institutions that triggered a risk rule: 1 of 2." in text
    assert "R2 — Long-term unexcused absences" in text and "missed more than 20 lessons" in text
    assert f"/en/monitoring/iestades/{monitored['a1'].registration_number}/" in html
    assert "Combined classes" not in text and "Ogres" not in text  # Ogre's school, flag and task
    # open tasks, nearest deadline first, the overdue one marked
    assert "2 open tasks" in text and text.index("Nokavēts") < text.index("Rīgas uzdevums")
    assert "Deadline passed" in text
    # the report waiting for the founder's agreement
    assert f"/en/akreditacija/pasnovertejumi/{report.pk}/saskanot/" in html

    other = _text(_page(client, monitored, "founder_ogre"))
    assert "Ogres darbs" in other and "Combined classes" in other
    assert "Rīgas" not in other and "Long-term unexcused absences" not in other
    assert "No self-evaluation report waits for your agreement." in other


def test_a_head_with_no_tasks_reads_why_and_where_they_come_from(client, world):
    text = _text(_page(client, world, "head_a1"))
    assert "Your institution has no open tasks. IKVD sets tasks when it decides" in text
    year = school_year_of(timezone.localdate())
    assert f"Rīgas Testa vidusskola has no self-evaluation report for {year} yet." in text
    assert "New self-evaluation report" in text and "Apply for evaluation" in text
    lv = _text(_page(client, world, "head_a1", lang=""))
    assert "Jūsu iestādei nav atvērtu uzdevumu." in lv


def test_the_head_sees_its_tasks_report_and_case(client, world):
    people = _people(world)
    decided = drive(new_case(institution=world["a1"], head=people["head"]), "decided", people)
    deadline = timezone.localdate() + dt.timedelta(days=45)
    bulk_tasks(decided, [{"deadline": deadline, "description": "Pilnveidot mācību stundu vērošanu"}])
    draft = accreditation_services.self_evaluation_create(actor=people["head"], institution=world["a1"],
                                                          school_year=school_year_of(timezone.localdate()))
    head_case = drive(new_case(institution=world["a1"], head=people["head"], kind="head"), "draft", people)
    html = _page(client, world, "head_a1")
    text = _text(html)
    assert "1 open task." in text and _en_date(deadline) in text
    assert "Pilnveidot mācību stundu vērošanu" in text
    assert "Complete it and submit it to the founder." in text
    assert f"/en/akreditacija/pasnovertejumi/{draft.pk}/labot/" in html
    assert "Evaluation of the head" in text and "Draft report" in text
    assert f"/en/akreditacija/lietas/{head_case.pk}/comment/" in html  # the head's step: comment on the draft
    assert "has no self-evaluation report" not in text


def test_the_registry_officer_sees_the_applications_waiting(client, world):
    officer = world["users"]["registry_officer"]
    registry_services.institution_application_record(
        actor=officer, decision=decision_input(dt.date(2024, 5, 2)), kind=DecisionKind.POSTPONE,
        registration_number="4000000777", name="Jaunā privātskola", type=InstitutionType.objects.get(code="secondary"),
        founder=world["riga"], municipality=world["a1"].municipality, address="Jaunā iela 1, Rīga")
    text = _text(_page(client, world, "registry_officer"))
    assert "1 registration application" in text and "Jaunā privātskola" in text
    assert f"{_en_date(dt.date(2024, 5, 2))}: Registration or amendment postponed" in text
    assert "Record a registration decision" in text and "Latest decisions" in text
    assert "Jaunā privātskola" not in _text(_page(client, world, "founder_ogre"))


def test_the_quality_department_sees_cases_by_state_and_overdue_tasks(client, world):
    people = _people(world)
    decided = drive(new_case(institution=world["a1"], head=people["head"]), "decided", people)
    new_case(institution=world["a1"], head=people["head"], kind="head")
    bulk_tasks(decided, [{"deadline": dt.date(2024, 1, 31), "description": "Sen nokavēts",
                          "set_on": dt.date(2023, 6, 1)},
                         {"deadline": timezone.localdate() + dt.timedelta(days=9), "description": "Vēl laiks"}])
    for role in ("quality_expert", "ikvd_admin"):
        html = _page(client, world, role)
        text = _text(html)
        assert "2 cases in all." in text
        assert "/en/akreditacija/?state=applied" in html and "Register the application" in text
        assert "1 open task is past its deadline" in text and "Sen nokavēts" in text and "Vēl laiks" not in text
        assert _en_date(dt.date(2024, 1, 31)) in text


def test_the_inspector_and_the_analyst_see_the_risk_list_and_the_visit_plan(client, monitored):
    day = timezone.localdate() + dt.timedelta(days=12)
    monitoring_services.visit_plan_add(actor=monitored["users"]["ikvd_admin"], institution=monitored["b1"],
                                       planned_date=day, reason="risk", note="R1", school_year="2023/2024")
    for role in ("supervision_inspector", "analyst"):
        text = _text(_page(client, monitored, role))
        assert "Top of the risk list, 2023/2024" in text
        assert "2 institutions with at least one triggered risk rule." in text
        assert text.index("Rīgas Testa vidusskola") < text.index("Ogres Testa vidusskola")  # by score
        assert "1 planned visit" in text and _en_date(day) in text


def test_several_roles_several_sections(client, world):
    user = make_user(Role.FOUNDER, founder=world["riga"])
    from ikms.accounts import services as account_services

    account_services.role_grant(actor=None, user=user, role=Role.ANALYST)
    world["users"]["both"] = user
    text = _text(_page(client, world, "both"))
    assert text.index("Your institutions") < text.index("Risks and visits")
    assert "Contents" in text


def test_no_role_reads_how_to_get_one(client, world):
    text = _text(_page(client, world, "no_role"))
    assert "You hold no role in IKMS today" in text


def test_the_page_is_a_bounded_number_of_queries(client, monitored, django_assert_max_num_queries):
    people = _people(monitored)
    decided = drive(new_case(institution=monitored["a1"], head=people["head"]), "decided", people)
    bulk_tasks(decided, [{"deadline": timezone.localdate() + dt.timedelta(days=i)} for i in range(60)])
    # measured: 11, 15 (two of them per open case of the head's), 6, 11, 11 and 6; the 60 tasks add none; the
    # inspections section (issue 13) adds up to 2 for a founder and a head (their orders due), the inspection notes
    # on the risk list 3 for an analyst
    for role, most in (("founder_riga", 16), ("head_a1", 20), ("quality_expert", 9), ("analyst", 17),
                       ("registry_officer", 14), ("accreditation_expert", 9)):
        client.force_login(monitored["users"][role])
        with django_assert_max_num_queries(most):
            assert client.get("/mani-darbi/").status_code == 200
