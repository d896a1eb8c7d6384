"""The inspection workflow: the table iterated over states and users, the whole path from the visit plan to the
closed follow-up, and bad input refused bilingually with nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.cases import services as case_services
from ikms.cases.deadlines import working_calendar
from ikms.cases.models import CaseFile
from ikms.complaints.services import complaint_register as register_complaint
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.inspections import permissions, services, workflow
from ikms.inspections.choices import EvidenceState, InspectionState, OrderKind, OrderState
from ikms.inspections.models import Act, FollowUpEvidence, Inspection, Order
from ikms.inspections.testing import drive
from ikms.monitoring.models import VisitPlanEntry, VisitReason, VisitStatus

TODAY = timezone.localdate


@pytest.fixture
def people(world):
    return world["users"]


def _drive(world, state, visit=None):
    u = world["users"]
    return drive(
        inspector=u["supervision_inspector"], head=u["head_a1"], institution=world["a1"], state=state, visit=visit
    )


def test_table_is_valid():
    workflow.validate_table()


@pytest.mark.parametrize("state", [s for s in InspectionState.values])
def test_who_may_take_each_step(world, state):
    inspection = _drive(world, state)
    u = world["users"]
    expected = {
        "supervision_inspector": {workflow.IKVD},
        "ikvd_admin": {workflow.IKVD},
        "quality_expert": set(),
        "analyst": set(),
        "head_a1": {workflow.INSTITUTION} if state in permissions.INSTITUTION_STATES else set(),
        "founder_riga": {workflow.INSTITUTION} if state in permissions.INSTITUTION_STATES else set(),
        "founder_ogre": set(),
    }
    for name, parties in expected.items():
        assert permissions.parties(u[name], inspection) == parties, name
        for t in workflow.TRANSITIONS[1:]:
            allowed = state in t.sources and bool(parties & set(t.parties))
            assert permissions.can_transition(u[name], inspection, t.action) == allowed, (name, t.action)


def test_from_the_visit_plan_to_the_closed_follow_up(world):
    u = world["users"]
    visit = VisitPlanEntry.objects.create(
        institution=world["a1"], planned_date=TODAY(), reason=VisitReason.RISK, created_by=u["supervision_inspector"]
    )
    inspection = _drive(world, InspectionState.CLOSED, visit=visit)
    assert inspection.state == InspectionState.CLOSED and inspection.kind == "planned"
    inspection.case_file.refresh_from_db()
    assert inspection.case_file.is_closed
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    order = inspection.orders.get()
    assert order.state == OrderState.MET and order.evidence.get().state == EvidenceState.ACCEPTED


def test_a_rejected_evidence_keeps_the_order_open_and_the_inspection_cannot_close(world):
    u = world["users"]
    inspection = _drive(world, InspectionState.FOLLOW_UP)
    order = inspection.orders.get()
    evidence = services.evidence_submit(actor=u["founder_riga"], order=order, text="Darām.")
    with pytest.raises(ValidationError):
        services.evidence_review(actor=u["supervision_inspector"], evidence=evidence, accept=False, note="")
    services.evidence_review(
        actor=u["supervision_inspector"], evidence=evidence, accept=False, note="Nav pievienots saskaņotais saraksts."
    )
    order.refresh_from_db()
    assert order.is_open
    with pytest.raises(ApplicationError):
        services.inspection_close(actor=u["supervision_inspector"], inspection=inspection)
    assert Inspection.objects.get(pk=inspection.pk).state == InspectionState.FOLLOW_UP


def _snapshot():
    return (
        Inspection.objects.values_list("state", "visited_on").order_by("pk")[::1],
        Act.objects.count(),
        Order.objects.count(),
        FollowUpEvidence.objects.count(),
        CaseFile.objects.filter(closed_on=None).count(),
    )


@pytest.mark.parametrize("language", ["lv", "en"])
def test_bad_input_is_refused_in_both_languages_and_changes_nothing(world, language):
    u = world["users"]
    inspector = u["supervision_inspector"]
    planned = _drive(world, InspectionState.PLANNED)
    in_act = _drive(world, InspectionState.ACT)
    closed = _drive(world, InspectionState.CLOSED)
    before = _snapshot()
    messages = []
    with translation.override(language):
        with pytest.raises(ValidationError) as e:
            services.visit_record(actor=inspector, inspection=planned, visited_on=TODAY() + datetime.timedelta(1))
        messages.append(e.value.message_dict["visited_on"][0])
        with pytest.raises(ValidationError) as e:
            services.order_issue(actor=inspector, inspection=in_act, kind=OrderKind.ORDER, text="Novērst", due_on=None)
        messages.append(e.value.message_dict["due_on"][0])
        with pytest.raises(ApplicationError) as e:
            services.evidence_submit(actor=u["head_a1"], order=closed.orders.get(), text="Vēl kas")
        messages.append(str(e.value))
        with pytest.raises(PermissionDeniedError):
            services.visit_record(actor=u["head_a1"], inspection=planned, visited_on=TODAY())
    assert _snapshot() == before
    expected = {
        "lv": [
            "Datums nevar būt nākotnē.",
            "Rīkojumam jānorāda izpildes termiņš.",
            "Šī pārbaude ir slēgta, tāpēc tajā vairs neko nevar mainīt.",
        ],
        "en": [
            "The date cannot be in the future.",
            "An order needs a deadline.",
            "This inspection is closed, so nothing more can be changed in it.",
        ],
    }
    assert messages == expected[language]


def _complaint(world, institutions):
    return register_complaint(
        actor=world["users"]["supervision_inspector"],
        channel="email",
        submitter_type="parent",
        text="Skolā nenotiek stundas.",
        received_on=TODAY() - datetime.timedelta(days=3),
        institutions=institutions,
    )


def test_a_complaint_inspection_needs_its_complaint_about_the_institution(world):
    u = world["users"]
    with pytest.raises(ValidationError) as caught:
        services.inspection_plan(
            actor=u["supervision_inspector"],
            institution=world["a1"],
            kind="complaint",
            planned_on=TODAY(),
            subject="Pārbaude pēc iesnieguma",
        )
    assert "complaint" in caught.value.message_dict
    about_b1 = _complaint(world, [world["b1"]])
    with pytest.raises(ValidationError) as caught:
        services.inspection_plan(
            actor=u["supervision_inspector"],
            institution=world["a1"],
            complaint=about_b1,
            planned_on=TODAY(),
            subject="Pārbaude pēc iesnieguma",
        )
    assert "institution" in caught.value.message_dict
    complaint = _complaint(world, [world["a1"]])
    inspection = services.inspection_plan(
        actor=u["supervision_inspector"],
        institution=world["a1"],
        complaint=complaint,
        planned_on=TODAY(),
        subject="Pārbaude pēc iesnieguma",
    )
    assert (inspection.kind, inspection.complaint) == ("complaint", complaint)
    assert list(complaint.inspections.all()) == [inspection]


def test_an_orders_deadline_is_a_case_deadline_met_with_the_order_and_extended_with_a_reason(world):
    u = world["users"]
    inspection = drive(
        inspector=u["supervision_inspector"], head=u["head_a1"], institution=world["a1"], state="follow_up"
    )
    order = inspection.orders.select_related("deadline").get()
    deadline = order.deadline
    assert (deadline.case_file_id, deadline.rule, deadline.regime) == (
        inspection.case_file_id,
        "inspection_order",
        "inspection_act",
    )
    assert deadline.starts_on == inspection.act.dated_on and deadline.due_on == order.due_on
    assert deadline.met_on is None
    new_day = working_calendar().next_working_day(order.due_on + datetime.timedelta(days=14))
    case_services.deadline_extend(
        actor=u["supervision_inspector"], deadline=deadline, due_on=new_day, reason="Iestāde lūdz laiku remontam."
    )
    order.refresh_from_db()
    order.deadline.refresh_from_db()
    assert order.current_due_on == new_day and order.due_on < new_day  # the act's day is kept
    evidence = services.evidence_submit(actor=u["head_a1"], order=order, text="Izdarīts.")
    services.evidence_review(actor=u["supervision_inspector"], evidence=evidence, accept=True)
    order.deadline.refresh_from_db()
    assert order.deadline.met_on == TODAY()


def test_heads_and_founders_see_their_institutions_inspections_once_the_act_is_sent(world):
    u = world["users"]
    planned = _drive(world, InspectionState.PLANNED)
    draft = _drive(world, InspectionState.ACT)
    sent = _drive(world, InspectionState.FOLLOW_UP)
    assert not permissions.can_view_inspection(u["head_a1"], planned)
    assert not permissions.can_view_inspection(u["founder_riga"], draft)
    assert permissions.can_view_inspection(u["head_a1"], sent)
    assert permissions.can_view_inspection(u["founder_riga"], sent)
    assert not permissions.can_view_inspection(u["founder_ogre"], sent)
    assert permissions.can_view_inspection(u["analyst"], planned)
    assert not permissions.can_view_inspection(u["no_role"], sent)


def test_the_case_file_of_an_unannounced_inspection_is_hidden_from_the_institution(world):
    from ikms.cases.permissions import can_view_case_file
    from ikms.cases.selectors import case_file_visible_to

    u = world["users"]
    planned = _drive(world, InspectionState.PLANNED)
    sent = _drive(world, InspectionState.FOLLOW_UP)
    for name in ("head_a1", "founder_riga"):
        assert not can_view_case_file(u[name], planned.case_file), name
        assert can_view_case_file(u[name], sent.case_file), name
        assert set(case_file_visible_to(u[name]).filter(kind="inspection")) == {sent.case_file}
    assert can_view_case_file(u["analyst"], planned.case_file)
