"""Complaints across the apps (issue 13): who sees a complaint and its submitter on every page (the complaint page,
the list, the dossier, the trends), the founder's answer to a forwarded complaint, and the public complaint form
with its anti-spam (a honeypot, a minimum fill time, a limit per address)."""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from ikms.complaints import services
from ikms.complaints.models import Complaint
from ikms.core.models import AuditEvent
from ikms.portal.complaint_views import form_stamp

NAME, CONTACT = "Anna Bērziņa", "anna.berzina@example.lv"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    with translation.override("lv"):
        yield


@pytest.fixture
def complaint(world):
    inspector = world["users"]["supervision_inspector"]
    c = services.complaint_register(
        actor=inspector,
        channel="email",
        submitter_type="parent",
        text="Skolotāja pazemo bērnus stundās.",
        received_on=dt.date(2024, 10, 1),
        institutions=[world["a1"]],
        topics=["teacher_ethics"],
        anonymous=True,
        submitter_name=NAME,
        submitter_contact=CONTACT,
    )
    services.complaint_forward(
        actor=inspector,
        complaint=c,
        founder=world["riga"],
        summary="Lūdzam izvērtēt skolotājas rīcību.",
        forwarded_on=dt.date(2024, 10, 3),
    )
    return c


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_submitter_is_seen_only_by_supervision_staff(client, world, complaint):
    users = world["users"]
    detail = reverse("complaints:detail", args=[complaint.pk])
    for role in ("supervision_inspector", "ikvd_admin"):
        html = _get(client, users[role], detail).content.decode()
        assert NAME in html and CONTACT in html, role
    founder_page = _get(client, users["founder_riga"], detail)
    assert founder_page.status_code == 200
    html = founder_page.content.decode()
    assert complaint.reference in html and NAME not in html and CONTACT not in html
    # the complaint's own text may be signed: the founder reads the inspector's summary instead
    assert "Skolotāja pazemo" not in html and "Lūdzam izvērtēt skolotājas rīcību." in html
    for role in ("founder_ogre", "head_a1", "quality_expert", "analyst"):
        assert _get(client, users[role], detail).status_code in (403, 404), role
    # the founder's list, the dossier and the trends never carry the identity
    for role, url in (
        ("founder_riga", reverse("complaints:list")),
        ("founder_riga", reverse("web:dossier", args=[world["a1"].registration_number])),
        ("supervision_inspector", reverse("web:dossier", args=[world["a1"].registration_number])),
        ("analyst", reverse("complaints:trends") + "?year=2024"),
    ):
        response = _get(client, users[role], url)
        html = response.content.decode()
        assert response.status_code == 200, (role, url)
        assert NAME not in html and CONTACT not in html, (role, url)
    dossier = _get(
        client, users["founder_riga"], reverse("web:dossier", args=[world["a1"].registration_number])
    ).content.decode()
    assert complaint.reference in dossier
    head_dossier = _get(
        client, users["head_a1"], reverse("web:dossier", args=[world["a1"].registration_number])
    ).content.decode()
    assert complaint.reference not in head_dossier
    # PostgreSQL keeps JSON with its letters, SQLite escapes them; the fixtures register a head named Bērziņa.
    assert not AuditEvent.objects.exclude(action__startswith="decision.").filter(data__icontains="Bērziņa").exists()


def test_the_founder_answers_a_forwarded_complaint_in_the_system(client, world, complaint):
    client.force_login(world["users"]["founder_riga"])
    url = reverse("complaints:founder-answer", args=[complaint.pk])
    assert client.post(url, {"text": ""}).status_code == 200  # the form again, nothing saved
    assert Complaint.objects.get(pk=complaint.pk).founder_answer == ""
    response = client.post(url, {"text": "Ar skolotāju ir runāts."})
    assert response.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).founder_answer == "Ar skolotāju ir runāts."
    client.force_login(world["users"]["founder_ogre"])
    assert client.post(url, {"text": "Cits"}).status_code == 404


def _public(client, **extra):
    data = {
        "submitter_type": "parent",
        "submitter_name": NAME,
        "submitter_contact": CONTACT,
        "institution_name": "Rīgas Testa vidusskola",
        "text": "Manam bērnam nenotiek matemātikas stundas.",
        "website": "",
        "shown_at": form_stamp(time.time() - 60),
    }
    data.update(extra)
    return client.post(reverse("portal:complaint-form"), data)


def test_the_public_form_refuses_a_filled_honeypot_and_a_too_fast_sending(client, world):
    assert client.get(reverse("portal:complaint-form")).status_code == 200
    before = (Complaint.objects.count(), AuditEvent.objects.count())
    honeypot = _public(client, website="http://spam.example")
    assert honeypot.status_code == 200 and "Veidlapu neizdevās nosūtīt" in honeypot.content.decode()
    too_fast = _public(client, shown_at=form_stamp(time.time()))
    assert too_fast.status_code == 200 and "pārāk ātri" in too_fast.content.decode()
    forged = _public(client, shown_at="not-signed")
    assert forged.status_code == 200
    assert (Complaint.objects.count(), AuditEvent.objects.count()) == before


def test_the_public_form_registers_a_complaint_and_shows_its_reference(client, world):
    response = _public(client)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "portal" and list(complaint.institutions.all()) == [world["a1"]]
    assert complaint.topics == []  # the inspector confirms the topics
    page = client.get(response["Location"]).content.decode()
    assert complaint.reference in page


def test_the_public_form_is_limited_per_address(client, world, settings):
    settings.IKMS_COMPLAINT_FORM_PER_HOUR = 2
    assert _public(client).status_code == 302
    assert _public(client).status_code == 302
    third = _public(client)
    assert third.status_code == 200 and "pārāk daudz" in third.content.decode()
    assert Complaint.objects.count() == 2


def test_staff_pages_render_with_a_complaint(client, world, complaint):
    client.force_login(world["users"]["supervision_inspector"])
    for url in (
        reverse("complaints:list"),
        reverse("complaints:list") + "?state=open&topic=teacher_ethics&year=2024",
        reverse("complaints:consultations"),
        reverse("complaints:trends"),
        reverse("complaints:register"),
    ):
        assert client.get(url).status_code == 200, url
    listed = client.get(reverse("complaints:list") + "?topic=safety").content.decode()
    assert complaint.reference not in listed


def test_the_founders_work_page_lists_the_complaints_waiting_for_its_answer(client, world, complaint):
    page = _get(client, world["users"]["founder_riga"], reverse("web:my-work")).content.decode()
    assert complaint.reference in page and NAME not in page
    other = _get(client, world["users"]["founder_ogre"], reverse("web:my-work")).content.decode()
    assert complaint.reference not in other


def test_the_complaint_page_suggests_three_topics_for_the_inspector_to_confirm(client, world, settings, tmp_path):
    from analytics.complaints.topics import save, train
    from analytics.synth.complaints import generate_complaints

    settings.IKMS_COMPLAINT_TOPIC_MODEL = tmp_path / "topics.joblib"
    save(train(generate_complaints(300)), settings.IKMS_COMPLAINT_TOPIC_MODEL)
    inspector = world["users"]["supervision_inspector"]
    c = services.complaint_register(
        actor=inspector,
        channel="letter",
        submitter_type="parent",
        received_on=dt.date(2024, 3, 4),
        text="Skolotājs lika manam dēlam nepamatoti zemu atzīmi kontroldarbā un neizskaidroja vērtēšanas kritērijus.",
    )
    html = _get(client, inspector, reverse("complaints:detail", args=[c.pk])).content.decode()
    suggestions = html.split('id="topic-suggestions"')[1].split("</ol>")[0]
    assert suggestions.count("<li>") == 3
    assert Complaint.objects.get(pk=c.pk).topics == []  # a suggestion, never a label
    response = client.post(reverse("complaints:topics", args=[c.pk]), {"topics": ["assessment"]})
    assert response.status_code == 302 and Complaint.objects.get(pk=c.pk).topics == ["assessment"]


def test_from_outcome_to_the_reply_letter_and_closing_through_the_pages(client, world):
    inspector = world["users"]["supervision_inspector"]
    c = services.complaint_register(
        actor=inspector,
        channel="email",
        submitter_type="pupil",
        text="Sūdzība",
        received_on=dt.date(2024, 3, 4),
        submitter_name=NAME,
    )
    client.force_login(inspector)
    assert client.post(reverse("complaints:outcome", args=[c.pk]), {"outcome": "confirmed"}).status_code == 302
    assert (
        client.post(reverse("complaints:reply", args=[c.pk]), {"text": "Pārkāpums apstiprinājās."}).status_code == 302
    )
    letter = c.case_file.attachments.get()
    assert letter.file_type == "pdf" and letter.direction == "sent"
    today = timezone.localdate()
    closing = {"closed_on": today.isoformat()}
    assert client.post(reverse("complaints:close", args=[c.pk]), closing).status_code == 302
    again = client.post(reverse("complaints:reply", args=[c.pk]), {"text": "Vēlreiz"})
    assert again.status_code == 200 and "ir slēgts" in again.content.decode()
    assert c.case_file.attachments.count() == 1


def test_serial_complaints_of_one_submitter_are_shown_to_supervision_staff_only(client, world, complaint):
    inspector = world["users"]["supervision_inspector"]
    second = services.complaint_register(
        actor=inspector,
        channel="portal",
        submitter_type="parent",
        text="Atkal par to pašu.",
        received_on=dt.date(2024, 11, 4),
        institutions=[world["a1"]],
        submitter_contact=CONTACT.upper(),
    )
    html = _get(client, inspector, reverse("complaints:detail", args=[second.pk])).content.decode()
    assert 'id="same-submitter"' in html and complaint.reference in html
    services.complaint_forward(
        actor=inspector,
        complaint=second,
        founder=world["riga"],
        summary="Lūdzam izvērtēt skolotājas rīcību.",
        forwarded_on=dt.date(2024, 11, 5),
    )
    founder_view = _get(client, world["users"]["founder_riga"], reverse("complaints:detail", args=[second.pk]))
    assert 'id="same-submitter"' not in founder_view.content.decode()


def test_the_export_of_the_list_never_carries_the_submitter(client, world, complaint):
    for role in ("supervision_inspector", "founder_riga"):
        for fmt in ("csv", "xlsx"):
            response = _get(client, world["users"][role], reverse("complaints:list") + f"?format={fmt}")
            assert response.status_code == 200, (role, fmt)
            body = response.content if fmt == "xlsx" else response.content.decode()
            if fmt == "csv":
                assert complaint.reference in body and NAME not in body and CONTACT not in body
            else:
                import io

                from openpyxl import load_workbook

                cells = [
                    str(v) for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for v in row
                ]
                assert complaint.reference in cells and not any(NAME in c or CONTACT in c for c in cells)


def test_trends_show_complaints_per_thousand_learners_by_municipality(client, monitored, complaint):
    from ikms.complaints.selectors import per_thousand_learners

    rows = per_thousand_learners(2024)
    riga = next(r for r in rows if r["complaints"])
    assert riga["complaints"] == 1 and riga["learners"] == 124  # a1's 120 learners and a2's 4 (2023/2024)
    assert riga["rate"] == pytest.approx(1000 / 124)
    html = _get(client, monitored["users"]["analyst"], reverse("complaints:trends") + "?year=2024").content.decode()
    assert 'id="trend-per-thousand"' in html
