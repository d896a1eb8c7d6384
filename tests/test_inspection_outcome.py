"""The inspection outcome and open orders where others look (issue 13 item 3): on monitoring's risk list through its
supervision providers (monitoring never imports inspections), on "Mani darbi" (the inspector's open inspections, the
head's and founder's orders due) and on the institution dossier's timeline."""

import datetime as dt

import pytest
from django.utils import timezone

from ikms.complaints.services import complaint_register
from ikms.inspections import services
from ikms.monitoring import supervision
from ikms.web import dossier, work

TODAY = timezone.localdate


@pytest.fixture
def overdue(world):
    """a1's inspection in follow-up with an order overdue since yesterday, and a planned one not yet announced."""
    u = world["users"]
    inspector = u["supervision_inspector"]
    i = services.inspection_plan(
        actor=inspector,
        institution=world["a1"],
        planned_on=TODAY() - dt.timedelta(40),
        subject="Pārbaude pēc iesnieguma",
        complaint=complaint_register(
            actor=inspector,
            channel="email",
            submitter_type="parent",
            text="Skolā nav drošības kārtības.",
            received_on=TODAY() - dt.timedelta(50),
            institutions=[world["a1"]],
        ),
    )
    services.visit_record(actor=inspector, inspection=i, visited_on=TODAY() - dt.timedelta(35))
    services.act_write(actor=inspector, inspection=i, dated_on=TODAY() - dt.timedelta(30), summary="Akts")
    finding = services.finding_add(
        actor=inspector,
        inspection=i,
        text="Nav drošības kārtības.",
        severity="major",
        legal_basis="MK noteikumi Nr. 1338",
    )
    services.order_issue(
        actor=inspector,
        inspection=i,
        kind="order",
        text="Izstrādāt drošības kārtību.",
        due_on=TODAY() - dt.timedelta(1),
        finding=finding,
    )
    services.act_send(actor=inspector, inspection=i)
    services.inspection_plan(
        actor=inspector,
        institution=world["a1"],
        planned_on=TODAY() + dt.timedelta(9),
        subject="Nepieteikta plānveida pārbaude",
    )
    return i


def test_the_risk_list_notes_come_from_the_registered_provider(world, overdue):
    found = supervision.notes([world["a1"].pk, world["b1"].pk])
    assert list(found) == [world["a1"].pk]
    texts = [n.text for n in found[world["a1"].pk]]
    assert any("Significant" in t or "Būtisks" in t for t in texts)
    assert any(n.warning for n in found[world["a1"].pk])
    before = supervision.stamp()
    services.evidence_submit(actor=world["users"]["head_a1"], order=overdue.orders.get(), text="Izstrādāta.")
    assert supervision.stamp() != before  # the risk list's cache key moves


def test_the_risk_list_page_shows_the_inspection_outcome(client, monitored, overdue):
    client.force_login(monitored["users"]["supervision_inspector"])
    page = client.get("/en/monitoring/riski/").content.decode()
    assert "Open orders: 1 — overdue" in page


def test_my_work_lists_open_inspections_and_orders_due(world, overdue):
    u = world["users"]
    by_key = {s.key: s for s in work.sections(u["supervision_inspector"], today=TODAY())}
    assert by_key["inspections"].data["mine"].total == 2
    assert by_key["inspections"].data["orders"].total == 1
    head = {s.key: s for s in work.sections(u["head_a1"], today=TODAY())}
    assert head["inspections"].data["mine"] is None
    assert [o.text for o in head["inspections"].data["orders"].rows] == ["Izstrādāt drošības kārtību."]
    ogre = {s.key: s for s in work.sections(u["founder_ogre"], today=TODAY())}
    assert ogre["inspections"].data["orders"].total == 0


def test_the_dossier_shows_the_visit_and_the_act_but_not_an_unannounced_plan(world, overdue):
    events = [e for e in dossier.timeline(world["a1"], user=world["users"]["head_a1"]) if e.kind == "inspection"]
    assert len(events) == 2
    assert "Nepieteikta" not in " ".join(e.title for e in events)


def test_the_pages_render_the_inspection_parts(client, world, overdue):
    u = world["users"]
    client.force_login(u["head_a1"])
    page = client.get("/mani-darbi/").content.decode()
    assert "Izstrādāt drošības kārtību." in page and "Nokavēts" in page
    client.force_login(u["supervision_inspector"])
    page = client.get("/en/mani-darbi/").content.decode()
    assert "Your open inspections" in page and "Overdue" in page
    page = client.get(f"/en/monitoring/iestades/{world['a1'].registration_number}/lieta/").content.decode()
    assert "Inspection act PA-" in page
