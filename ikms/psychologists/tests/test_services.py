"""The register's services: every change is a decision with its audit event and row history; bad input is refused
with a Latvian and an English message, and nothing is written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from reversion.models import Version

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.core.personal_codes import personal_code_digest
from ikms.psychologists import selectors, services
from ikms.psychologists.choices import ApplicationKind, DecisionKind, ExamKind, PsychologistStatus, WorkArea
from ikms.psychologists.models import Application, BoardMeeting, Certificate, Decision, ExamResult, Psychologist
from ikms.psychologists.testing import (
    certified,
    decision_input,
    meeting,
    passed,
    personal_code,
    registered,
)
from ikms.registry.services import DecisionInput

DAY = dt.date(2024, 3, 12)


@pytest.fixture
def officer(db):
    return make_user(Role.REGISTRY_OFFICER, username="psych-officer")


def _counts() -> tuple[int, ...]:
    return (
        Psychologist.objects.count(),
        Certificate.objects.count(),
        Decision.objects.count(),
        Application.objects.count(),
        BoardMeeting.objects.count(),
        ExamResult.objects.count(),
        AuditEvent.objects.count(),
        Version.objects.count(),
    )


def _refused(call, field: str | None, lv: str, en: str, exc=ValidationError) -> None:
    """The call is refused with the message in both languages (on `field`), and nothing is written."""
    before = _counts()
    for language, text in (("lv", lv), ("en", en)):
        with translation.override(language), pytest.raises(exc) as caught:
            call()
        if exc is ValidationError and field:
            messages = caught.value.message_dict[field]
        else:
            messages = getattr(caught.value, "messages", None) or [caught.value.message]
        assert any(text in m for m in messages), (language, messages)
    assert _counts() == before


def test_registration_is_a_decision_with_audit_and_history_and_no_personal_code(officer):
    code = personal_code()
    sitting = meeting(actor=officer, day=DAY)
    application = services.application_receive(
        actor=officer,
        kind=ApplicationKind.REGISTRATION,
        received_on=DAY - dt.timedelta(days=20),
        first_name="Ēriks",
        last_name="Ābele",
        personal_code=code,
        education="RSU, psiholoģijas maģistrs",
    )
    assert application.is_open and application.reference.startswith(f"PI-{DAY.year}-")
    psychologist = services.psychologist_register(
        actor=officer, decision=decision_input(DAY), meeting=sitting, application=application
    )
    assert psychologist.status == PsychologistStatus.ACTIVE and psychologist.registered_on == DAY
    assert psychologist.registration_number == "P-1"
    assert psychologist.personal_code_digest == personal_code_digest(code)
    assert psychologist.search_name == "eriks abele"
    decision = Decision.objects.get(psychologist=psychologist)
    assert (decision.kind, decision.meeting, decision.application) == (DecisionKind.REGISTER, sitting, application)
    application.refresh_from_db()
    assert not application.is_open
    assert Version.objects.get_for_object(psychologist).get().revision.comment == decision.number
    assert AuditEvent.objects.filter(action="psychologists.register", target_id=str(psychologist.pk)).exists()
    # the personal code and its hash appear in no event, decision or version
    digits = code.replace("-", "")
    stored = [str(e.data) + e.target_repr for e in AuditEvent.objects.all()]
    stored += [str(d.changes) for d in Decision.objects.all()]
    stored += [v.serialized_data for v in Version.objects.all()]
    for text in stored:
        assert digits not in text and code not in text and psychologist.personal_code_digest not in text


def test_a_decision_dated_in_the_future_is_refused(officer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    psychologist = registered(actor=officer)
    sitting = meeting(actor=officer, day=DAY)
    _refused(
        lambda: services.psychologist_status_change(
            actor=officer,
            decision=decision_input(tomorrow),
            meeting=sitting,
            psychologist=psychologist,
            kind=DecisionKind.SUSPEND,
        ),
        "date",
        "Lēmuma datums nevar būt nākotnē.",
        "The decision date cannot be in the future.",
    )
    _refused(
        lambda: services.meeting_record(actor=officer, number="X1", date=tomorrow, agenda="Darba kārtība"),
        "date",
        "Sēdes datums nevar būt nākotnē.",
        "The meeting date cannot be in the future.",
    )
    _refused(
        lambda: services.application_receive(
            actor=officer,
            kind=ApplicationKind.REGISTRATION,
            received_on=tomorrow,
            first_name="A",
            last_name="B",
            personal_code=personal_code(),
        ),
        "received_on",
        "Saņemšanas datums nevar būt nākotnē.",
        "The date received cannot be in the future.",
    )
    _refused(
        lambda: services.exam_session_record(actor=officer, date=tomorrow, kind=ExamKind.CERTIFICATION, mode="remote"),
        "date",
        "Pārbaudījuma datums nevar būt nākotnē.",
        "The examination date cannot be in the future.",
    )


def test_a_board_decision_needs_its_meeting_and_is_dated_that_day(officer):
    psychologist = registered(actor=officer)
    call = lambda sitting, day: services.psychologist_status_change(  # noqa: E731
        actor=officer,
        decision=decision_input(day),
        meeting=sitting,
        psychologist=psychologist,
        kind=DecisionKind.SUSPEND,
    )
    _refused(
        lambda: call(None, DAY),
        "meeting",
        "Padome šo lēmumu pieņem sēdē: izvēlieties sēdi.",
        "The board takes this decision at a meeting: choose the meeting.",
    )
    sitting = meeting(actor=officer, day=DAY)
    _refused(
        lambda: call(sitting, DAY - dt.timedelta(days=1)),
        "date",
        "Padomes lēmuma datums ir tās sēdes diena (12.03.2024.).",
        "A decision of the board is dated the day of its meeting (12 March 2024).",
    )


def test_bad_registration_input_is_refused(officer):
    existing = registered(actor=officer, code="180565-05610")
    kwargs = {
        "actor": officer,
        "kind": ApplicationKind.REGISTRATION,
        "received_on": DAY,
        "first_name": "Jānis",
        "last_name": "Kalniņš",
    }
    _refused(
        lambda: services.application_receive(**kwargs, personal_code="123"),
        "personal_code",
        "Tas nav derīgs personas kods",
        "This is not a valid personal code",
    )
    _refused(
        lambda: services.application_receive(**kwargs),
        "personal_code",
        "Ierakstiet iesniedzēja personas kodu.",
        "Enter the applicant's personal code.",
    )
    _refused(
        lambda: services.application_receive(**kwargs, personal_code="180565-05610"),
        "personal_code",
        f"Šī persona jau ir reģistrā (ieraksts {existing.registration_number}).",
        f"This person is already in the register (entry {existing.registration_number}).",
    )
    _refused(
        lambda: services.application_receive(**{**kwargs, "first_name": ""}, personal_code=personal_code()),
        "first_name",
        "Ierakstiet iesniedzēja vārdu.",
        "Enter the applicant's first name.",
    )
    # a decision number used twice
    application = services.application_receive(**kwargs, personal_code=personal_code())
    used = Decision.objects.get(psychologist=existing)
    sitting = BoardMeeting.objects.get(decisions=used)
    reused = DecisionInput(number=used.number, date=sitting.date, legal_basis="Psihologu likums")
    _refused(
        lambda: services.psychologist_register(
            actor=officer, decision=reused, meeting=sitting, application=application
        ),
        "number",
        "Lēmums ar šādu numuru jau ir ievadīts.",
        "A decision with this number is already recorded.",
    )


def test_only_the_secretariat_writes(officer):
    analyst = make_user(Role.ANALYST, username="psych-analyst")
    _refused(
        lambda: services.meeting_record(actor=analyst, number="A1", date=DAY, agenda="x"),
        None,
        "Šim nolūkam vajadzīga kāda no lomām",
        "This needs one of the roles",
        exc=PermissionDeniedError,
    )
    admin = make_user(Role.IKVD_ADMIN, username="psych-admin")
    assert services.meeting_record(actor=admin, number="A1", date=DAY, agenda="Iesniegumi").pk


def test_certificate_after_a_passed_examination_for_five_years_and_renewal(officer):
    psychologist = registered(actor=officer)
    failed = passed(actor=officer, psychologist=psychologist, day=DAY, score=40)
    assert not failed.passed
    sitting = meeting(actor=officer, day=DAY + dt.timedelta(days=7))
    issue = lambda result, **kw: services.certificate_issue(  # noqa: E731
        actor=officer, decision=decision_input(sitting.date), meeting=sitting, exam_result=result, **kw
    )
    _refused(lambda: issue(failed), "exam_result", "Pārbaudījums nav nokārtots.", "The examination was not passed.")
    supervisor_exam = passed(
        actor=officer, psychologist=psychologist, day=DAY, kind=ExamKind.CERTIFICATION, area=WorkArea.CLINICAL
    )
    certificate = issue(supervisor_exam)
    assert certificate.area == WorkArea.CLINICAL and certificate.number == "S-1"
    assert (certificate.issued_on, certificate.valid_until) == (sitting.date, dt.date(2029, 3, 19))
    _refused(
        lambda: issue(supervisor_exam),
        "exam_result",
        "Lēmums par šo pārbaudījuma rezultātu jau ir ierakstīts.",
        "A decision on this examination result is already recorded.",
    )
    again = passed(actor=officer, psychologist=psychologist, day=DAY + dt.timedelta(days=1), area=WorkArea.CLINICAL)
    _refused(
        lambda: issue(again),
        "exam_result",
        "Psihologam šajā jomā jau ir sertifikāts: pagariniet tā derīgumu.",
        "The psychologist already holds a certificate in this area: renew it instead.",
    )
    later = meeting(actor=officer, day=dt.date(2025, 1, 15))
    renewal = services.certificate_renew(
        actor=officer, decision=decision_input(later.date), meeting=later, certificate=certificate
    )
    certificate.refresh_from_db()
    assert certificate.valid_until == renewal.valid_until == dt.date(2034, 3, 19)
    assert renewal.changes["valid_until"] == {"old": "2029-03-19", "new": "2034-03-19"}


def test_supervisor_rights_need_the_examination_a_valid_certificate_and_at_most_two_areas(officer):
    psychologist = registered(actor=officer)
    areas = [WorkArea.CLINICAL, WorkArea.EDUCATIONAL, WorkArea.COUNSELLING]
    for area in areas:
        certified(actor=officer, psychologist=psychologist, day=dt.date(2022, 5, 10), area=area)
    sitting = meeting(actor=officer, day=DAY)
    grant = lambda result: services.supervisor_rights_grant(  # noqa: E731
        actor=officer, decision=decision_input(DAY), meeting=sitting, exam_result=result
    )
    wrong_kind = passed(
        actor=officer,
        psychologist=psychologist,
        day=DAY - dt.timedelta(days=3),
        area=areas[0],
        kind=ExamKind.CERTIFICATION,
    )
    _refused(
        lambda: grant(wrong_kind),
        "exam_result",
        "Izvēlieties psihologa-pārrauga pārbaudījuma rezultātu.",
        "Choose a result of the supervising psychologist's examination.",
    )
    results = [
        passed(
            actor=officer, psychologist=psychologist, day=DAY - dt.timedelta(days=2), area=a, kind=ExamKind.SUPERVISOR
        )
        for a in areas
    ]
    grant(results[0])
    grant(results[1])
    _refused(
        lambda: grant(results[2]),
        "exam_result",
        "Pārrauga tiesības piešķir ne vairāk kā divās jomās.",
        "Supervisor rights are granted in at most two areas.",
    )
    clinical = psychologist.certificates.get(area=areas[0])
    assert clinical.supervisor and clinical.supervisor_since == DAY
    services.supervisor_rights_withdraw(
        actor=officer, decision=decision_input(DAY), meeting=sitting, certificate=clinical
    )
    clinical.refresh_from_db()
    assert not clinical.supervisor
    _refused(
        lambda: services.supervisor_rights_withdraw(
            actor=officer, decision=decision_input(DAY), meeting=sitting, certificate=clinical
        ),
        "certificate",
        "Psihologam šajā jomā nav pārrauga tiesību.",
        "The psychologist has no supervisor rights in this area.",
    )


def test_status_changes_follow_the_allowed_order(officer):
    psychologist = registered(actor=officer)
    sitting = meeting(actor=officer, day=DAY)
    change = lambda kind: services.psychologist_status_change(  # noqa: E731
        actor=officer, decision=decision_input(DAY), meeting=sitting, psychologist=psychologist, kind=kind
    )
    _refused(
        lambda: change(DecisionKind.RESTORE),
        "kind",
        "Atjaunot var tikai apturētu psihologa darbību.",
        "Only a suspended psychologist's activity can be restored.",
    )
    change(DecisionKind.SUSPEND)
    psychologist.refresh_from_db()
    assert (psychologist.status, psychologist.status_changed_on) == (PsychologistStatus.SUSPENDED, DAY)
    session = services.exam_session_record(actor=officer, date=DAY, kind=ExamKind.CERTIFICATION, mode="remote")
    _refused(
        lambda: services.exam_result_record(
            actor=officer, session=session, psychologist=psychologist, area=WorkArea.CLINICAL, score=70
        ),
        "psychologist",
        "Psihologa reģistrācija nav aktīva.",
        "The psychologist's registration is not active.",
    )
    change(DecisionKind.RESTORE)
    change(DecisionKind.CANCEL)
    _refused(
        lambda: change(DecisionKind.CANCEL),
        "kind",
        "Šī reģistrācija jau ir anulēta.",
        "This registration is already cancelled.",
    )
    with pytest.raises(ApplicationError):
        change(DecisionKind.REGISTER)


def test_recognition_of_a_foreign_qualification_is_ikvds_decision_with_country_and_document(officer):
    _refused(
        lambda: services.application_receive(
            actor=officer, kind=ApplicationKind.RECOGNITION, received_on=DAY, first_name="Olga", last_name="Petrova"
        ),
        "country",
        "Ierakstiet valsti, kurā kvalifikācija iegūta.",
        "Enter the country where the qualification was obtained.",
    )
    application = services.application_receive(
        actor=officer,
        kind=ApplicationKind.RECOGNITION,
        received_on=DAY,
        first_name="Olga",
        last_name="Petrova",
        country="Lietuva",
    )
    _refused(
        lambda: services.qualification_recognise(
            actor=officer, decision=decision_input(DAY), application=application, document=" "
        ),
        "document",
        "Norādiet kvalifikāciju apliecinošo dokumentu",
        "Name the qualification document",
    )
    decision = services.qualification_recognise(
        actor=officer,
        decision=decision_input(DAY),
        application=application,
        document="Vilniaus universitetas, magistro diplomas Nr. 123",
    )
    assert (decision.kind, decision.country, decision.meeting) == (DecisionKind.RECOGNISE, "Lietuva", None)
    assert selectors.year_counts(DAY.year)["foreign_qualifications_recognised"] == 1
    other = services.application_receive(
        actor=officer,
        kind=ApplicationKind.RECOGNITION,
        received_on=DAY,
        first_name="Ivan",
        last_name="Petrov",
        country="Ukraina",
    )
    sitting = meeting(actor=officer, day=DAY)
    _refused(
        lambda: services.application_refuse(
            actor=officer, decision=decision_input(DAY), application=other, meeting=sitting
        ),
        "meeting",
        "Šo lēmumu pieņem IKVD, nevis padome",
        "IKVD takes this decision, not the board",
    )


def test_a_refused_application_is_closed_and_cannot_be_decided_again(officer):
    application = services.application_receive(
        actor=officer,
        kind=ApplicationKind.REGISTRATION,
        received_on=DAY,
        first_name="Jānis",
        last_name="Kalniņš",
        personal_code=personal_code(),
    )
    sitting = meeting(actor=officer, day=DAY)
    services.application_refuse(actor=officer, decision=decision_input(DAY), application=application, meeting=sitting)
    assert not Application.objects.get(pk=application.pk).is_open
    assert not Psychologist.objects.exists()
    _refused(
        lambda: services.psychologist_register(
            actor=officer, decision=decision_input(DAY), meeting=sitting, application=application
        ),
        "application",
        "Par šo iesniegumu jau ir lēmums.",
        "This application has already been decided.",
    )


def test_examination_results_are_checked_and_scored(officer):
    psychologist = registered(actor=officer)
    session = services.exam_session_record(
        actor=officer, date=DAY, kind=ExamKind.CERTIFICATION, mode="in_person", max_score=50, pass_score=30
    )
    _refused(
        lambda: services.exam_result_record(
            actor=officer, session=session, psychologist=psychologist, area=WorkArea.LEGAL, score=51
        ),
        "score",
        "Punktu skaitam jābūt no 0 līdz 50.",
        "The score must be from 0 to 50.",
    )
    result = services.exam_result_record(
        actor=officer, session=session, psychologist=psychologist, area=WorkArea.LEGAL, score=30
    )
    assert result.passed
    _refused(
        lambda: services.exam_result_record(
            actor=officer, session=session, psychologist=psychologist, area=WorkArea.LEGAL, score=20
        ),
        "psychologist",
        "Šī kandidāta rezultāts šajā jomā šai sesijai jau ir ierakstīts.",
        "This candidate's result in this area is already recorded for this session.",
    )
    supervisor = services.exam_session_record(actor=officer, date=DAY, kind=ExamKind.SUPERVISOR, mode="remote")
    _refused(
        lambda: services.exam_result_record(
            actor=officer, session=supervisor, psychologist=psychologist, area=WorkArea.LEGAL, score=90
        ),
        "area",
        "Psihologa-pārrauga pārbaudījumu kārto jomā, kurā psihologam ir sertifikāts.",
        "The supervising psychologist's examination is taken in an area in which the psychologist holds a certificate.",
    )


def test_the_state_on_a_day_is_read_from_the_decisions_dated_by_then(officer):
    first = registered(actor=officer, day=dt.date(2020, 3, 2))
    second = registered(actor=officer, day=dt.date(2021, 3, 2))
    certificate = certified(actor=officer, psychologist=first, day=dt.date(2020, 6, 1))
    supervisor = passed(
        actor=officer, psychologist=first, day=dt.date(2020, 9, 1), kind=ExamKind.SUPERVISOR, area=certificate.area
    )
    sitting = meeting(actor=officer, day=dt.date(2020, 9, 10))
    services.supervisor_rights_grant(
        actor=officer, decision=decision_input(sitting.date), meeting=sitting, exam_result=supervisor
    )
    later = meeting(actor=officer, day=dt.date(2022, 2, 1))
    services.psychologist_status_change(
        actor=officer,
        decision=decision_input(later.date),
        meeting=later,
        psychologist=second,
        kind=DecisionKind.SUSPEND,
    )
    assert selectors.register_state_on(dt.date(2019, 12, 31)) == {"active": 0, "certified": 0, "supervisors": 0}
    assert selectors.register_state_on(dt.date(2021, 12, 31)) == {"active": 2, "certified": 1, "supervisors": 1}
    assert selectors.register_state_on(dt.date(2022, 12, 31)) == {"active": 1, "certified": 1, "supervisors": 1}
    # the certificate ended on 1.6.2025 (five years): it no longer counts
    assert selectors.register_state_on(dt.date(2025, 6, 2)) == {"active": 1, "certified": 0, "supervisors": 0}
    counts = selectors.year_counts(2020)
    assert (counts["registered"], counts["certified_by_exam"], counts["supervisor_rights_granted"]) == (1, 1, 1)
    assert counts["certified_share_percent"] == 100
