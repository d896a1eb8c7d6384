"""The visit plan under capacity (issue 17 item 3): the planner on hand-made candidates with worked answers, the
services that propose, edit and approve a plan (each edit with its reason), and the plan pages."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from analytics.planning.visits import Basis, Candidate, expert_days, plan_visits
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.monitoring import services, supervision
from ikms.monitoring.models import VisitPlan, VisitPlanEdit, VisitPlanEntry, VisitStatus
from ikms.registry.choices import DecisionKind
from ikms.registry.services import accreditation_decide
from ikms.registry.testing import decision_input

START, END = dt.date(2025, 9, 1), dt.date(2026, 8, 31)


def plan(candidates, capacity, share, seed=7):
    return plan_visits(candidates, year_start=START, year_end=END, capacity=capacity, random_share=share, seed=seed)


# --- the planner ------------------------------------------------------------------------------------------------

WORKED = [
    Candidate("A", 3, accreditation_due=dt.date(2025, 10, 1)),
    Candidate("B", 4, open_orders=1),
    Candidate("C", 2, score=5.0),
    Candidate("D", 2, score=3.0),
    Candidate("E", 2, score=None),
    Candidate("F", 2, score=0.0),
    Candidate("G", 3, score=1.0),
    Candidate("H", 2, accreditation_due=dt.date(2026, 9, 1), score=0.0),  # due after the plan year: not required
]


def test_worked_example():
    """Capacity 12, a quarter (3 days) at random: A is due (3), B has an open order (4), C ranks first (2): 9
    directed days, the most the directed steps may use. D and G wanted by their rank do not fit; the random draw
    then takes, in the seeded order, the first of D, E, F, G, H that fits in the 3 days left, and nothing else fits."""
    p = plan(WORKED, 12, 0.25, seed=7)
    directed = [(c.number, c.basis) for c in p.chosen if c.basis != Basis.RANDOM]
    assert directed == [("A", Basis.ACCREDITATION_DUE), ("B", Basis.COMPLAINT_OR_ORDER), ("C", Basis.RISK)]
    assert p.random_days == 3
    pool = ["D", "E", "F", "G", "H"]
    first = pool[int(np.random.default_rng(7).permutation(5)[0])]
    drawn = [c for c in p.chosen if c.basis == Basis.RANDOM]
    assert [c.number for c in drawn] == [first]
    assert drawn[0].draw_position == 1
    assert p.used == 9 + dict((c.number, c.expert_days) for c in WORKED)[first] <= 12
    assert {c.number for c in p.not_fitted} == {"D", "G"} - {first}
    assert all(c.basis == Basis.RISK for c in p.not_fitted)
    ranks = {c.number: c.risk_rank for c in p.chosen}
    assert ranks["C"] == 1 and ranks["A"] is None  # A has no score: no rank


def test_same_seed_same_plan_other_seed_other_draw():
    many = [Candidate(f"{4000000000 + i}", 1, score=None) for i in range(60)]
    one, again, other = plan(many, 10, 1.0, seed=2025), plan(many, 10, 1.0, seed=2025), plan(many, 10, 1.0, seed=26)
    assert [c.number for c in one.chosen] == [c.number for c in again.chosen]
    assert len(one.chosen) == 10 and all(c.basis == Basis.RANDOM for c in one.chosen)
    assert {c.number for c in one.chosen} != {c.number for c in other.chosen}
    # the candidates' order in the input does not matter
    assert [c.number for c in plan(list(reversed(many)), 10, 1.0, seed=2025).chosen] == [c.number for c in one.chosen]


def test_accreditation_due_comes_first_and_capacity_is_never_exceeded():
    due = [Candidate("X", 3, accreditation_due=dt.date(2026, 5, 1)), Candidate("Y", 3, accreditation_due=START),
           Candidate("Z", 1, score=9.0)]
    p = plan(due, 4, 0.5)
    assert [(c.number, c.basis) for c in p.chosen] == [("Y", Basis.ACCREDITATION_DUE), ("Z", Basis.RANDOM)]
    assert [(c.number, c.basis) for c in p.not_fitted] == [("X", Basis.ACCREDITATION_DUE)]
    assert p.used == 4 == p.capacity
    for capacity in (0, 1, 5, 7, 13):
        for share in (0, 0.1, 0.5, 1):
            assert plan(WORKED, capacity, share).used <= capacity


def test_not_scored_is_never_ranked_as_low_risk():
    """E (not scored) and F (score 0) get no risk reason even with room for everyone; without a random share they
    stay out, with one they can only be drawn."""
    p = plan(WORKED, 100, 0)
    assert {c.number for c in p.chosen} == {"A", "B", "C", "D", "G"}
    assert {c.number: c.risk_rank for c in p.chosen}["D"] == 2
    drawn = plan(WORKED, 100, 0.5)
    assert {c.number for c in drawn.chosen if c.basis == Basis.RANDOM} == {"E", "F", "H"}
    assert {c.number: c.basis for c in drawn.chosen}["E"] == Basis.RANDOM


def test_complaints_and_orders_before_the_risk_ranking():
    p = plan([Candidate("R", 2, score=9.0), Candidate("S", 2, open_complaints=1, score=1.0),
              Candidate("T", 2, open_orders=1), Candidate("U", 2, open_complaints=2)], 6, 0)
    assert [(c.number, c.basis) for c in p.chosen] == [
        ("U", Basis.COMPLAINT_OR_ORDER), ("T", Basis.COMPLAINT_OR_ORDER), ("S", Basis.COMPLAINT_OR_ORDER)]
    assert [c.number for c in p.not_fitted] == ["R"]


def test_bad_planner_input_is_refused():
    with pytest.raises(ValueError, match="capacity"):
        plan(WORKED, -1, 0)
    with pytest.raises(ValueError, match="random share"):
        plan(WORKED, 5, 1.5)
    with pytest.raises(ValueError, match="twice"):
        plan([Candidate("A", 1), Candidate("A", 2)], 5, 0)


def test_expert_days_by_kind_and_size():
    assert expert_days("general", 100) == 3
    assert expert_days("general", 300) == 4
    assert expert_days("general", 900) == 5
    assert expert_days("general", None) == 4  # size unknown: the middle band
    assert expert_days("preschool", 50) == 2
    assert expert_days("something_else", 50) == 3


# --- the services -----------------------------------------------------------------------------------------------


@pytest.fixture
def due_and_complaint(monitored, world, monkeypatch):
    """b1's accreditation ends in 2024/2025; a2 has an open complaint (a provider like complaints' gives it)."""
    accreditation_decide(actor=world["users"]["ikvd_admin"], decision=decision_input(dt.date(2019, 3, 1)),
                         institution=world["b1"], kind=DecisionKind.ACCREDITATION_GRANT,
                         valid_until=dt.date(2025, 3, 31))
    a2 = world["a2"].pk
    monkeypatch.setitem(supervision._PROVIDERS, "test", supervision.Provider(
        code="test", notes=lambda ids: {}, stamp=lambda: "", open_matters=lambda: {a2: {"complaints": 1}}))
    return world


def test_propose_a_plan_with_reasons(due_and_complaint):
    """2024/2025 from the 2023/2024 risk data: b1 due (secondary, size unknown: 4 days), a2's complaint (preschool:
    3 days), a1 first by its rules R2+R4 (3+2 = 5; 4 days). 8 days hold the first two; a1 does not fit."""
    world = due_and_complaint
    inspector = world["users"]["supervision_inspector"]
    p = services.visit_plan_propose(actor=inspector, year="2024/2025", capacity=8, random_share=0, seed=11)
    entries = {e.institution: e for e in p.entries.all()}
    assert set(entries) == {world["b1"], world["a2"]}
    assert entries[world["b1"]].basis == "accreditation_due" and entries[world["b1"]].reason == "accreditation_due"
    assert entries[world["b1"]].basis_facts["due"] == "2025-03-31"
    assert entries[world["b1"]].planned_date == dt.date(2025, 3, 1)
    assert entries[world["a2"]].basis == "complaint_or_order" and entries[world["a2"]].basis_facts["complaints"] == 1
    assert entries[world["b1"]].expert_days == Decimal(4) and entries[world["a2"]].expert_days == Decimal(3)
    assert p.not_fitted == [{"institution": world["a1"].registration_number, "basis": "risk", "expert_days": 4.0,
                             "score": 5.0, "rank": 1}]
    assert (p.seed, p.risk_year, p.signal, p.status) == (11, "2023/2024", "rule_weights", "draft")
    assert AuditEvent.objects.filter(action="monitoring.visit_plan_proposed").count() == 1


def test_a_visit_drawn_at_random_is_marked_so(due_and_complaint):
    world = due_and_complaint
    p = services.visit_plan_propose(actor=world["users"]["analyst"], year="2024/2025", capacity=12,
                                    random_share=Decimal("0.34"))
    a1 = p.entries.get(institution=world["a1"])
    assert a1.chosen_at_random and a1.basis == "random" and a1.reason == "random" and a1.basis_facts["draw"] == 1
    assert a1.score == 5.0 and a1.rules == ["R2", "R4"]
    assert p.not_fitted == [] and 0 <= p.seed < 2**48  # drawn and recorded
    again = services.visit_plan_propose(actor=world["users"]["analyst"], year="2024/2025", capacity=12,
                                        random_share=Decimal("0.34"), seed=p.seed)
    assert sorted(again.entries.values_list("institution", "basis")) == sorted(
        VisitPlanEntry.objects.filter(plan=p).values_list("institution", "basis"))
    p.refresh_from_db()
    assert p.status == "superseded"
    assert not p.entries.filter(status=VisitStatus.PLANNED).exists()  # replaced: its visits cancelled


def test_propose_refuses_bad_input_and_other_roles(due_and_complaint):
    world = due_and_complaint
    inspector = world["users"]["supervision_inspector"]
    with pytest.raises(PermissionDeniedError):
        services.visit_plan_propose(actor=world["users"]["founder_riga"], year="2024/2025", capacity=8,
                                    random_share=0)
    for bad in ({"year": "2024"}, {"capacity": 0}, {"capacity": "daudz"}, {"random_share": 2}, {"seed": -1}):
        with pytest.raises(ValidationError):
            services.visit_plan_propose(actor=inspector, **{"year": "2024/2025", "capacity": 8, "random_share": 0,
                                                            **bad})
    assert not VisitPlan.objects.exists() and not VisitPlanEntry.objects.exists()


def test_edits_need_a_reason_and_are_recorded(due_and_complaint):
    world = due_and_complaint
    inspector = world["users"]["supervision_inspector"]
    p = services.visit_plan_propose(actor=inspector, year="2024/2025", capacity=8, random_share=0, seed=1)
    a2 = p.entries.get(institution=world["a2"])
    with pytest.raises(ValidationError) as err:
        services.visit_plan_entry_remove(actor=inspector, entry=a2, reason="  ")
    assert "reason" in err.value.message_dict
    with pytest.raises(ApplicationError):  # a1 needs 4 days, 1 is left
        services.visit_plan_entry_add(actor=inspector, plan=p, institution=world["a1"],
                                      planned_date=dt.date(2024, 11, 4), visit_reason="risk", reason="R2 un R4")
    services.visit_plan_entry_remove(actor=inspector, entry=a2, reason="Sūdzība atrisināta")
    with pytest.raises(ValidationError):  # outside the plan year
        services.visit_plan_entry_add(actor=inspector, plan=p, institution=world["a1"],
                                      planned_date=dt.date(2025, 11, 4), visit_reason="risk", reason="R2 un R4")
    added = services.visit_plan_entry_add(actor=inspector, plan=p, institution=world["a1"],
                                          planned_date=dt.date(2024, 11, 4), visit_reason="risk", reason="R2 un R4")
    assert added.basis == "manual" and not added.chosen_at_random and added.expert_days == 4
    b1 = p.entries.get(institution=world["b1"])
    services.visit_plan_entry_move(actor=inspector, entry=b1, planned_date=dt.date(2025, 2, 10),
                                   reason="Komisija brīva februārī")
    edits = list(VisitPlanEdit.objects.filter(plan=p).values_list("action", "reason", "actor__username"))
    assert edits == [("removed", "Sūdzība atrisināta", "inspector"), ("added", "R2 un R4", "inspector"),
                     ("moved", "Komisija brīva februārī", "inspector")]
    assert VisitPlanEdit.objects.get(action="moved").data == {"from": "2025-03-01", "to": "2025-02-10"}
    assert AuditEvent.objects.filter(action__startswith="monitoring.visit_plan_entry_").count() == 3
    services.visit_plan_approve(actor=inspector, plan=p)
    p.refresh_from_db()
    assert p.status == "approved" and p.approved_by == inspector
    with pytest.raises(ApplicationError):  # approved: propose again refused
        services.visit_plan_propose(actor=inspector, year="2024/2025", capacity=8, random_share=0)


# --- the pages --------------------------------------------------------------------------------------------------


def test_propose_edit_and_export_on_the_pages(client, due_and_complaint):
    world = due_and_complaint
    client.force_login(world["users"]["supervision_inspector"])
    url = reverse("monitoring:visit-plans")
    refused = client.post(url, {"year": "2024", "capacity": "8", "random_share": "10"})
    assert refused.status_code == 200 and not VisitPlan.objects.exists()
    assert "2025/2026" in refused.content.decode()  # the year's field explains itself
    response = client.post(url, {"year": "2024/2025", "capacity": "12", "random_share": "34", "seed": "5"})
    p = VisitPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("monitoring:visit-plan", args=[p.pk])
    assert (p.seed, p.random_share) == (5, Decimal("0.340"))
    page = client.get(response["Location"]).content.decode()
    assert "Izlozēts" in page and "Akreditācijas termiņš beidzas 31.03.2025." in page
    assert "11 / 12" in page
    detail = reverse("monitoring:visit-plan", args=[p.pk])
    a2 = p.entries.get(institution=world["a2"])
    no_reason = client.post(detail, {"action": "change", "change-entry": a2.pk, "change-change": "remove",
                                     "change-reason": ""})
    assert no_reason.status_code == 200 and "Norādiet, kāpēc plāns tiek mainīts." in no_reason.content.decode()
    assert not VisitPlanEdit.objects.exists()
    done = client.post(detail, {"action": "change", "change-entry": a2.pk, "change-change": "remove",
                                "change-reason": "Sūdzība atrisināta"})
    assert done.status_code == 302
    history = client.get(detail).content.decode()
    assert "Sūdzība atrisināta" in history and "Apmeklējums izņemts" in history
    csv = client.get(detail, {"format": "csv"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and any(world["a1"].registration_number in line and ",jā," in line for line in lines)
    assert client.post(detail, {"action": "approve"}).status_code == 302
    p.refresh_from_db()
    assert p.status == "approved"


def test_the_risk_list_shows_the_plan_status(client, due_and_complaint):
    world = due_and_complaint
    services.visit_plan_propose(actor=world["users"]["analyst"], year="2024/2025", capacity=12,
                                random_share=Decimal("0.34"), seed=3)
    client.force_login(world["users"]["analyst"])
    page = client.get(reverse("monitoring:risks"), {"year": "2023/2024"}).content.decode()
    a1 = page.split(f'data-institution="{world["a1"].registration_number}"')[1].split("</li>")[0]
    b1 = page.split(f'data-institution="{world["b1"].registration_number}"')[1].split("</li>")[0]
    assert "Izlozēts" in a1 and "Apmeklējumu plānā" in a1
    assert "Izlozēts" not in b1 and "Apmeklējumu plānā" in b1


def test_only_visit_planners_propose_on_the_page(client, world):
    client.force_login(world["users"]["accreditation_expert"])
    assert client.post(reverse("monitoring:visit-plans"),
                       {"year": "2025/2026", "capacity": "8", "random_share": "10"}).status_code == 403
    assert not VisitPlan.objects.exists()
