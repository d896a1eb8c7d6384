"""Complaint services: deadlines per regime through the case core, forwarding, reply letters, closing, and bad input
that changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.cases.models import Attachment, Deadline, DeadlineExtension
from ikms.complaints import services
from ikms.complaints.models import Complaint, SurveyInvitation
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):
        yield


def register(world, received_on, **kw):
    args = dict(
        actor=world["users"]["supervision_inspector"],
        channel="email",
        submitter_type="parent",
        text="Skolotāja kliedz uz bērniem.",
        received_on=received_on,
        institutions=[world["a1"]],
        topics=["teacher_ethics"],
        submitter_name="Anna Bērziņa",
        submitter_contact="anna@example.lv",
        personal_code="010101-12345",
    )
    args.update(kw)
    return services.complaint_register(**args)


def _state():
    return (
        Complaint.objects.count(),
        AuditEvent.objects.count(),
        Attachment.objects.count(),
        DeadlineExtension.objects.count(),
        list(Deadline.objects.order_by("id").values_list("due_on", "met_on")),
        list(Complaint.objects.order_by("id").values_list("outcome", "reply_text")),
    )


@pytest.mark.parametrize(
    ("received_on", "regime", "due_on"),
    [
        # one month under the old law; 15.06.2024 + 1 month = 15.07.2024 (Monday)
        (dt.date(2024, 6, 14), "submissions_until_2026_02", dt.date(2024, 7, 15)),
        # 31.01.2025 + 1 month = 28.02.2025
        (dt.date(2025, 1, 31), "submissions_until_2026_02", dt.date(2025, 2, 28)),
        # 28.02.2026 is the last day of the old regime: + 1 month = 28.03.2026, Saturday → Monday 30.03.2026
        (dt.date(2026, 2, 28), "submissions_until_2026_02", dt.date(2026, 3, 30)),
        # from 01.03.2026: 10 working days; Monday 02.03.2026 → Monday 16.03.2026
        (dt.date(2026, 3, 2), "submissions_from_2026_03", dt.date(2026, 3, 16)),
    ],
)
def test_the_answer_deadline_follows_the_regime_of_the_day_received(world, received_on, regime, due_on):
    complaint = register(world, received_on)
    deadline = services.answer_deadline(complaint)
    assert complaint.regime == deadline.regime == regime
    assert deadline.due_on == deadline.statutory_due_on == due_on
    assert complaint.reference == f"S-{received_on.year}-00001"


def test_forwarding_counts_its_working_day_deadline_and_shows_to_the_founder(world):
    complaint = register(world, dt.date(2024, 12, 20))
    services.complaint_forward(
        actor=world["users"]["supervision_inspector"],
        complaint=complaint,
        founder=world["riga"],
        summary="Lūdzam izvērtēt skolotājas rīcību.",
        forwarded_on=dt.date(2025, 1, 6),
    )
    forward = complaint.case_file.deadlines.get(rule="submission_forward")
    assert forward.due_on == dt.date(2025, 1, 8)  # 7 working days after 20.12.2024 (the regression case)
    assert forward.met_on == dt.date(2025, 1, 6)
    complaint.refresh_from_db()
    assert complaint.outcome == "referred_founder"


def test_extension_needs_a_reason_and_then_moves_the_deadline(world):
    inspector = world["users"]["supervision_inspector"]
    complaint = register(world, dt.date(2024, 6, 14))
    before = _state()
    with pytest.raises(ValidationError):
        services.complaint_extend(actor=inspector, complaint=complaint, due_on=dt.date(2024, 9, 2), reason=" ")
    assert _state() == before
    services.complaint_extend(
        actor=inspector, complaint=complaint, due_on=dt.date(2024, 9, 2), reason="Vajag dibinātāja viedokli"
    )
    assert services.answer_deadline(complaint).due_on == dt.date(2024, 9, 2)


def test_a_date_in_the_future_changes_nothing(world):
    before = _state()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        register(world, tomorrow)
    assert "received_on" in exc.value.message_dict
    assert _state() == before
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            register(world, tomorrow)
    assert exc.value.message_dict["received_on"] == ["The date received cannot be in the future."]


def test_reply_letter_then_close_then_a_reply_is_refused_in_both_languages(world):
    inspector = world["users"]["supervision_inspector"]
    complaint = register(world, dt.date(2024, 6, 14))
    services.complaint_record_outcome(actor=inspector, complaint=complaint, outcome="confirmed", on=dt.date(2024, 7, 1))
    letter = services.complaint_reply(actor=inspector, complaint=complaint, text="Pārkāpums apstiprinājās.")
    assert letter.direction == "sent" and letter.file_type == "pdf"
    assert services.answer_deadline(complaint).met_on == timezone.localdate()
    services.complaint_close(actor=inspector, complaint=complaint, closed_on=dt.date(2024, 7, 10))
    assert SurveyInvitation.objects.filter(complaint=complaint).count() == 1
    before = _state()
    messages = {}
    for lang in ("lv", "en"):
        with translation.override(lang), pytest.raises(ApplicationError) as exc:
            services.complaint_reply(actor=inspector, complaint=complaint, text="Vēl viena atbilde")
        messages[lang] = exc.value.message
    assert messages["en"] == "This complaint is closed; nothing can be changed or sent in it."
    assert messages["lv"] != messages["en"]
    assert _state() == before


def test_closing_needs_an_outcome(world):
    complaint = register(world, dt.date(2024, 6, 14))
    with pytest.raises(ValidationError):
        services.complaint_close(actor=world["users"]["supervision_inspector"], complaint=complaint)
    assert not Complaint.objects.get(pk=complaint.pk).is_closed


def test_only_supervision_staff_register_and_the_founder_answers_only_what_was_forwarded(world):
    with pytest.raises(PermissionDeniedError):
        register(world, dt.date(2024, 6, 14), actor=world["users"]["quality_expert"])
    complaint = register(world, dt.date(2024, 6, 14))
    with pytest.raises(PermissionDeniedError):
        services.complaint_founder_answer(actor=world["users"]["founder_riga"], complaint=complaint, text="Atbilde")
    services.complaint_forward(
        actor=world["users"]["supervision_inspector"],
        complaint=complaint,
        founder=world["riga"],
        summary="Lūdzam izvērtēt skolotājas rīcību.",
        forwarded_on=dt.date(2024, 6, 20),
    )
    with pytest.raises(PermissionDeniedError):
        services.complaint_founder_answer(actor=world["users"]["founder_ogre"], complaint=complaint, text="Atbilde")
    services.complaint_founder_answer(actor=world["users"]["founder_riga"], complaint=complaint, text="Izskatījām")
    assert Complaint.objects.get(pk=complaint.pk).founder_answer == "Izskatījām"


def test_the_personal_code_is_never_stored_in_clear(world):
    complaint = register(world, dt.date(2024, 6, 14))
    assert "010101" not in str(Complaint.objects.filter(pk=complaint.pk).values().get())
    assert complaint.personal_code_digest == services.personal_code_digest("01010112345")
    # PostgreSQL keeps JSON with its letters, SQLite escapes them; the fixtures register a head named Bērziņa.
    assert not AuditEvent.objects.exclude(action__startswith="decision.").filter(data__icontains="Bērziņa").exists()


def test_unknown_topic_is_refused(world):
    before = _state()
    with pytest.raises(ValidationError):
        register(world, dt.date(2024, 6, 14), topics=["nonsense"])
    assert _state() == before


def test_survey_answer_once_with_a_score(world):
    inspector = world["users"]["supervision_inspector"]
    consultation = services.consultation_log(
        actor=inspector,
        given_on=dt.date(2024, 5, 2),
        topic="assessment",
        audience="parent",
        channel="phone",
        duration_minutes=15,
        contact="tetis@example.lv",
    )
    invitation = consultation.surveys.get()
    with pytest.raises(ValidationError):
        services.survey_answer(token=invitation.token, score=7)
    services.survey_answer(token=invitation.token, score=4, comment="Paldies")
    with pytest.raises(ApplicationError):
        services.survey_answer(token=invitation.token, score=5)
    invitation.refresh_from_db()
    assert invitation.score == 4


def test_forwarding_to_the_founder_needs_a_summary_without_the_identity(world):
    complaint = register(world, dt.date(2024, 6, 14))
    before = _state()
    with pytest.raises(ValidationError) as exc:
        services.complaint_forward(
            actor=world["users"]["supervision_inspector"],
            complaint=complaint,
            founder=world["riga"],
            forwarded_on=dt.date(2024, 6, 17),
        )
    assert "summary" in exc.value.message_dict
    assert _state() == before


def test_an_extended_answer_deadline_is_notified_to_the_submitter_by_letter_and_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    inspector = world["users"]["supervision_inspector"]
    complaint = register(world, dt.date(2024, 6, 14))
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_extend(
            actor=inspector, complaint=complaint, due_on=dt.date(2024, 9, 2), reason="Vajag dibinātāja viedokli"
        )
    letter = complaint.case_file.attachments.get(direction="sent")
    assert letter.title == "Par atbildes sniegšanas termiņa pagarināšanu" and letter.media_type == "application/pdf"
    [message] = mailoutbox
    assert message.to == ["anna@example.lv"]
    assert complaint.reference in message.body and "02.09.2024" in message.body
    assert "The answer deadline is now 2 September 2024. The notice" in message.body
    assert "Atbildes termiņš tagad ir 02.09.2024. Pievienotajā" in message.body
    assert message.attachments[0][0] == letter.name
    assert AuditEvent.objects.filter(action="complaints.extension_notice").count() == 1


def test_a_submitter_without_an_email_address_gets_the_letter_only(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    inspector = world["users"]["supervision_inspector"]
    complaint = register(world, dt.date(2024, 6, 14), submitter_contact="Brīvības iela 1, Rīga")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_extend(
            actor=inspector, complaint=complaint, due_on=dt.date(2024, 9, 2), reason="Vajag dibinātāja viedokli"
        )
    assert complaint.case_file.attachments.filter(direction="sent").count() == 1
    assert mailoutbox == []


def test_the_survey_link_is_emailed_after_a_consultation(world, mailoutbox, django_capture_on_commit_callbacks):
    inspector = world["users"]["supervision_inspector"]
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_log(
            actor=inspector,
            given_on=dt.date(2024, 5, 2),
            topic="assessment",
            audience="parent",
            channel="phone",
            duration_minutes=15,
            contact="tetis@example.lv",
        )
    invitation = consultation.surveys.get()
    [message] = mailoutbox
    assert message.to == ["tetis@example.lv"]
    assert f"/aptauja/{invitation.token}/" in message.body


def test_a_complaint_sent_twice_is_shown_as_a_possible_duplicate(world):
    from ikms.complaints.selectors import possible_duplicates

    first = register(world, dt.date(2024, 6, 14), text="Skolotāja kliedz uz bērniem un pazemo viņus stundās.")
    again = register(
        world,
        dt.date(2024, 6, 20),
        channel="letter",
        text="Skolotaja pazemo viņus stundās un kliedz uz berniem.",
        personal_code="",
        submitter_contact="",
    )
    other = register(world, dt.date(2024, 6, 21), text="Skolā nav ēdnīcas, bērni paliek bez pusdienām.")
    later = register(world, dt.date(2024, 12, 20), text="Skolotāja kliedz uz bērniem un pazemo viņus stundās.")
    found = possible_duplicates(again)
    assert [c for c, _ in found] == [first] and found[0][1] >= 0.7
    assert possible_duplicates(other) == []
    assert later not in [c for c, _ in possible_duplicates(first)]  # outside the 90 days
