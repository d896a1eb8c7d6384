"""The pages, end to end through the forms: from the visit plan to the closed follow-up (the inspector plans,
visits, writes the act, a finding and an order, sends it; the head submits evidence; the inspector accepts it and
closes), a thematic visit's answers on the results page, the act as PDF, and a refused step that changes nothing."""

import datetime as dt

from django.utils import timezone

from ikms.complaints.services import complaint_register
from ikms.inspections.choices import InspectionState
from ikms.inspections.models import Inspection
from ikms.monitoring.models import VisitPlanEntry, VisitStatus

TODAY = timezone.localdate


def _post(client, user, url, data, *, status=302):
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, response.content.decode()[:3000]
    return response


def test_from_the_visit_plan_to_the_closed_follow_up_through_the_pages(client, world):
    u = world["users"]
    inspector, head = u["supervision_inspector"], u["head_a1"]
    visit = VisitPlanEntry.objects.create(
        institution=world["a1"], planned_date=TODAY(), reason="risk", created_by=inspector
    )
    _post(
        client,
        inspector,
        f"/parbaudes/no-plana/{visit.pk}/",
        {"subject": "Plānveida pārbaude", "planned_on": TODAY().isoformat()},
    )
    inspection = Inspection.objects.get()
    base = f"/parbaudes/{inspection.pk}/"
    _post(client, inspector, base + "record-visit/", {"visited_on": (TODAY() - dt.timedelta(days=2)).isoformat()})
    _post(
        client,
        inspector,
        base + "write-act/",
        {"dated_on": TODAY().isoformat(), "act_type": "general", "summary": "Konstatētas nepilnības."},
    )
    _post(
        client,
        inspector,
        base + "add-finding/",
        {"text": "Nav drošības kārtības.", "severity": "major", "legal_basis": "MK noteikumi Nr. 1338, 3. punkts"},
    )
    finding = inspection.act.findings.get()
    _post(
        client,
        inspector,
        base + "issue-order/",
        {
            "kind": "order",
            "text": "Izstrādāt drošības kārtību.",
            "due_on": (TODAY() + dt.timedelta(days=30)).isoformat(),
            "finding": finding.pk,
        },
    )
    _post(client, inspector, base + "send-act/", {})
    order = inspection.orders.get()
    _post(client, head, base + "submit-evidence/", {"order": order.pk, "text": "Kārtība apstiprināta."})
    evidence = order.evidence.get()
    _post(client, inspector, base + "review-evidence/", {"evidence": evidence.pk, "decision": "accept", "note": ""})
    _post(client, inspector, base + "close/", {})
    inspection.refresh_from_db()
    visit.refresh_from_db()
    assert inspection.state == InspectionState.CLOSED and visit.status == VisitStatus.DONE
    client.force_login(head)
    page = client.get(base).content.decode()
    assert "Nav drošības kārtības." in page and "Būtisks" in page
    pdf = client.get(base + "akts.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_order_without_a_deadline_is_refused_on_the_page_and_nothing_is_written(client, world):
    from ikms.inspections.testing import drive

    u = world["users"]
    inspection = drive(inspector=u["supervision_inspector"], head=u["head_a1"], institution=world["a1"], state="act")
    response = _post(
        client,
        u["supervision_inspector"],
        f"/parbaudes/{inspection.pk}/issue-order/",
        {"kind": "order", "text": "Novērst", "due_on": ""},
        status=200,
    )
    assert "Rīkojumam jānorāda izpildes termiņš." in response.content.decode()
    assert inspection.orders.count() == 1
    response = _post(
        client,
        u["supervision_inspector"],
        f"/en/parbaudes/{inspection.pk}/issue-order/",
        {"kind": "order", "text": "Novērst", "due_on": ""},
        status=200,
    )
    assert "An order needs a deadline." in response.content.decode()


def test_thematic_results_aggregate_the_visits(client, world):
    from ikms.inspections import services

    u = world["users"]
    inspector = u["supervision_inspector"]
    for k, institution in enumerate([world["a1"], world["a2"], world["b1"]]):
        inspection = services.inspection_plan(
            actor=inspector,
            institution=institution,
            planned_on=TODAY(),
            subject="Tematiskā izvērtēšana",
            questionnaire_code="unified_school_2023_2024",
        )
        _post(
            client,
            inspector,
            f"/parbaudes/{inspection.pk}/record-visit/",
            {
                "visited_on": TODAY().isoformat(),
                "q_fully_in_latvian": "yes" if k < 2 else "no",
                "q_overall_level": "good" if k else "needs_improvement",
                "q_note": "Piezīme",
            },
        )
    client.force_login(u["analyst"])
    page = client.get("/en/parbaudes/tematiskas/unified_school_2023_2024/").content.decode()
    assert "Answers of 3 visits, aggregated." in page
    assert "66.7" in page or "66,7" in page


def test_an_ad_hoc_adult_education_inspection_is_planned_on_the_page(client, world):
    u = world["users"]
    _post(
        client,
        u["supervision_inspector"],
        "/parbaudes/jauna/",
        {
            "institution": world["b1"].pk,
            "kind": "ad_hoc",
            "stream": "adult_education",
            "questionnaire": "",
            "complaint": "",
            "subject": "Pieaugušo izglītības programmas pārbaude",
            "planned_on": TODAY().isoformat(),
        },
    )
    inspection = Inspection.objects.get()
    assert (inspection.kind, inspection.stream, inspection.institution) == ("ad_hoc", "adult_education", world["b1"])
    response = _post(
        client,
        u["supervision_inspector"],
        "/en/parbaudes/jauna/",
        {
            "institution": world["b1"].pk,
            "kind": "complaint",
            "stream": "supervision",
            "subject": "Pēc iesnieguma",
            "planned_on": TODAY().isoformat(),
        },
        status=200,
    )
    assert "Enter the reference of the complaint" in response.content.decode()
    assert Inspection.objects.count() == 1


def test_an_inspection_is_planned_from_a_complaint_and_each_page_links_the_other(client, world):
    u = world["users"]
    inspector = u["supervision_inspector"]
    complaint = complaint_register(
        actor=inspector,
        channel="letter",
        submitter_type="parent",
        text="Skolā nenotiek fizikas stundas.",
        received_on=TODAY() - dt.timedelta(days=2),
        institutions=[world["b1"]],
    )
    client.force_login(inspector)
    detail = client.get(f"/en/iesniegumi/{complaint.pk}/").content.decode()
    assert f"/parbaudes/jauna/?complaint={complaint.reference}" in detail
    form = client.get("/en/parbaudes/jauna/", {"complaint": complaint.reference}).content.decode()
    assert f'value="{complaint.reference}"' in form
    response = _post(
        client,
        inspector,
        "/en/parbaudes/jauna/",
        {
            "institution": world["b1"].pk,
            "kind": "complaint",
            "stream": "supervision",
            "complaint": "IES-1999/999",
            "subject": "Pēc iesnieguma",
            "planned_on": TODAY().isoformat(),
        },
        status=200,
    )
    assert "There is no complaint with this reference." in response.content.decode()
    assert not Inspection.objects.exists()
    _post(
        client,
        inspector,
        "/en/parbaudes/jauna/",
        {
            "institution": world["b1"].pk,
            "kind": "complaint",
            "stream": "supervision",
            "complaint": complaint.reference.lower(),
            "subject": "Pēc iesnieguma",
            "planned_on": TODAY().isoformat(),
        },
    )
    inspection = Inspection.objects.get()
    assert inspection.complaint == complaint
    page = client.get(f"/en/parbaudes/{inspection.pk}/").content.decode()
    assert f'href="/en/iesniegumi/{complaint.pk}/">{complaint.reference}</a>' in page
    detail = client.get(f"/en/iesniegumi/{complaint.pk}/").content.decode()
    assert f'href="/en/parbaudes/{inspection.pk}/"' in detail


def test_a_programme_check_is_recorded_on_the_page_and_bad_input_changes_nothing(client, world):
    from ikms.inspections.models import ProgrammeCheck

    inspector = world["users"]["supervision_inspector"]
    url = "/en/parbaudes/programmu-parbaudes/jauna/"
    day = TODAY() - dt.timedelta(days=3)
    bad = {
        "kind": "offer_list",
        "checked_on": day.isoformat(),
        "programmes": "40",
        "mismatches": "41",
        "note": "",
    }
    response = _post(client, inspector, url, bad, status=200)
    assert "The mismatches cannot be more than the programmes checked." in response.content.decode()
    future = {**bad, "mismatches": "3", "checked_on": (TODAY() + dt.timedelta(days=2)).isoformat()}
    response = _post(client, inspector, url, future, status=200)
    assert "The date cannot be in the future." in response.content.decode()
    review = {"kind": "expert_review", "checked_on": day.isoformat(), "programmes": "5", "mismatches": "0"}
    assert "An expert review is of one programme." in _post(client, inspector, url, review, status=200).content.decode()
    assert not ProgrammeCheck.objects.exists()
    _post(client, inspector, url, {**bad, "mismatches": "3"})
    _post(client, inspector, url, {**review, "programmes": ""})
    assert sorted(ProgrammeCheck.objects.values_list("kind", "programmes", "mismatches")) == [
        ("expert_review", 1, 0),
        ("offer_list", 40, 3),
    ]
    client.force_login(inspector)
    page = client.get("/en/parbaudes/").content.decode()
    assert (
        "Adult-education programme checks" in page and "<td" in page.split("Programmes checked in the offer lists")[1]
    )
    client.force_login(world["users"]["head_a1"])
    assert client.get(url).status_code == 403
