"""Private-practice certificates change only through recorded decisions: issued for three years, extended by three
years, annulled with a reason; incomplete or impossible decisions are refused in Latvian and English, and nothing is
written. Personal codes are kept only as keyed hashes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from reversion.models import Version

from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.core.personal_codes import personal_code_digest, personal_code_digits
from ikms.practice import selectors, services
from ikms.practice.choices import AnnulmentReason, CertificateStatus, EducationKind, ProgrammeArea
from ikms.practice.models import Certificate, CertificateDecision, Teacher
from ikms.practice.testing import decision, issue, personal_code


def _counts() -> tuple[int, int, int, int]:
    return (
        Teacher.objects.count(),
        Certificate.objects.count(),
        CertificateDecision.objects.count(),
        AuditEvent.objects.count(),
    )


def test_issue_for_three_years_keeping_the_code_only_as_its_hash(world, officer):
    code = personal_code()
    certificate = issue(actor=officer, code=code, day=datetime.date(2024, 3, 1))
    assert certificate.number == "PP-2024-0001"
    assert (certificate.issued_on, certificate.valid_until) == (datetime.date(2024, 3, 1), datetime.date(2027, 3, 1))
    assert certificate.teacher.personal_code_digest == personal_code_digest(code)
    digits = personal_code_digits(code)
    for row in (Teacher.objects.values().get(), Certificate.objects.values().get()):
        assert not any(digits in str(v) for v in row.values())
    assert not any(digits in str(e.data) for e in AuditEvent.objects.all())
    d = certificate.decisions.get()
    assert d.kind == "issue" and d.decided_by == officer
    assert {v.revision.comment for v in Version.objects.get_for_object(certificate)} == {d.number}
    assert AuditEvent.objects.filter(action="practice.issue", target_id=str(certificate.pk)).exists()


def test_a_second_certificate_finds_the_same_teacher_and_records_a_new_name(world, officer):
    code = personal_code()
    first = issue(actor=officer, code=code, name="Ilze Kalniņa")
    second = issue(actor=officer, code=code, name="Ilze Ozola", programme="Zīmēšana", day=datetime.date(2024, 5, 2))
    assert first.teacher_id == second.teacher_id and Teacher.objects.count() == 1
    assert Teacher.objects.get().name == "Ilze Ozola"
    with translation.override("lv"):
        words = {c.label: (c.old, c.new) for c in selectors.decision_changes(second.decisions.get())}
    assert words["Pedagogs"] == ("Ilze Kalniņa", "Ilze Ozola")
    assert words["Derīgs līdz"] == (None, "02.05.2027.")
    with pytest.raises(ApplicationError):  # the same programme again while the first is valid: extend it instead
        issue(actor=officer, code=code, programme="keramika bērniem", day=datetime.date(2024, 6, 1))


def test_extension_adds_three_years_to_the_term(world, officer):
    certificate = issue(actor=officer, day=datetime.date(2021, 9, 1))
    services.certificate_extend(actor=officer, decision=decision(datetime.date(2024, 8, 20)), certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.valid_until == datetime.date(2027, 9, 1)
    expired = issue(actor=officer, day=datetime.date(2020, 1, 10))
    before = _counts()
    with pytest.raises(ApplicationError):
        services.certificate_extend(actor=officer, decision=decision(datetime.date(2024, 1, 20)), certificate=expired)
    assert _counts() == before


def test_annulment_needs_a_reason_and_ends_the_certificate(world, officer):
    certificate = issue(actor=officer)
    before = _counts()
    for language, message in (("lv", "Izvēlieties lēmuma iemeslu."), ("en", "Choose the reason for the decision.")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.certificate_annul(
                actor=officer, decision=decision(datetime.date(2024, 6, 1)), certificate=certificate, reason=""
            )
        assert caught.value.message_dict["reason"] == [message]
    assert _counts() == before
    services.certificate_annul(
        actor=officer,
        decision=decision(datetime.date(2024, 6, 1)),
        certificate=certificate,
        reason=AnnulmentReason.STATE_LANGUAGE,
    )
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ANNULLED and certificate.annulled_on == datetime.date(2024, 6, 1)
    with pytest.raises(ApplicationError):
        services.certificate_extend(
            actor=officer, decision=decision(datetime.date(2024, 7, 1)), certificate=certificate
        )
    with pytest.raises(ApplicationError):
        services.certificate_annul(
            actor=officer,
            decision=decision(datetime.date(2024, 7, 1)),
            certificate=certificate,
            reason=AnnulmentReason.OTHER,
        )


@pytest.mark.parametrize(
    ("overrides", "field", "messages"),
    [
        (
            {"date": "future"},
            "date",
            ("Lēmuma datums nevar būt nākotnē.", "The decision date cannot be in the future."),
        ),
        (
            {"justification": ""},
            "justification",
            ("Ievadiet lēmuma pamatojumu.", "Enter the justification of the decision."),
        ),
        (
            {"legal_basis": " "},
            "legal_basis",
            ("Ievadiet lēmuma tiesisko pamatojumu.", "Enter the legal basis of the decision."),
        ),
    ],
)
def test_an_incomplete_decision_is_refused_and_nothing_is_written(world, officer, overrides, field, messages):
    if overrides.get("date") == "future":
        overrides = {"date": timezone.localdate() + datetime.timedelta(days=1)}
    before = _counts()
    for language, message in zip(("lv", "en"), messages, strict=True):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.certificate_issue(
                actor=officer,
                decision=decision(**overrides),
                teacher_name="Ilze Kalniņa",
                personal_code=personal_code(),
                education_kind=EducationKind.INTEREST,
                programme_area=ProgrammeArea.SPORT,
                programme_name="Šahs",
            )
        assert caught.value.message_dict[field] == [message]
    assert _counts() == before


def test_a_wrong_personal_code_is_refused(world, officer):
    before = _counts()
    with translation.override("lv"), pytest.raises(ValidationError) as caught:
        issue(actor=officer, code="010190-10002")
    assert caught.value.message_dict["personal_code"] == ["Šis personas kods nav derīgs: pārbaudiet ciparus."]
    assert _counts() == before


@pytest.mark.parametrize("role", ["analyst", "quality_expert", "head_a1", "no_role"])
def test_only_registry_officers_and_administrators_decide(world, officer, role):
    certificate = issue(actor=officer)
    before = _counts()
    with pytest.raises(PermissionDeniedError):
        issue(actor=world["users"][role])
    with pytest.raises(PermissionDeniedError):
        services.certificate_extend(actor=world["users"][role], decision=decision(), certificate=certificate)
    assert _counts() == before
    assert (
        services.certificate_extend(
            actor=world["users"]["ikvd_admin"], decision=decision(), certificate=certificate
        ).kind
        == "extend"
    )


def test_counts_as_the_annual_report(world, officer):
    code = personal_code()
    old = issue(actor=officer, day=datetime.date(2021, 5, 1), code=code)
    issue(actor=officer, day=datetime.date(2024, 2, 1), code=code, programme="Zīmēšana")
    issue(actor=officer, day=datetime.date(2024, 3, 1), kind=EducationKind.NON_FORMAL, programme="Angļu valoda")
    services.certificate_extend(actor=officer, decision=decision(datetime.date(2024, 4, 1)), certificate=old)
    annulled = issue(actor=officer, day=datetime.date(2023, 3, 1))
    services.certificate_annul(
        actor=officer,
        decision=decision(datetime.date(2024, 5, 1)),
        certificate=annulled,
        reason=AnnulmentReason.STATE_LANGUAGE,
    )
    assert selectors.certificate_counts(year=2024) == {
        "issued": 3,
        "distinct_teachers": 2,
        "for_interest_education": 2,
        "for_non_formal_education": 1,
        "new": 2,
        "extended": 1,
        "annulled": 1,
    }


def test_status_search_follows_the_day(world, officer):
    valid = issue(actor=officer, day=datetime.date(2024, 3, 1))
    expired = issue(actor=officer, day=datetime.date(2019, 3, 1))
    day = datetime.date(2025, 1, 1)
    qs = Certificate.objects.all()
    assert list(selectors.certificate_filter(qs, status="valid", today=day)) == [valid]
    assert list(selectors.certificate_filter(qs, status="expired", today=day)) == [expired]
    assert expired.status_on(day) == CertificateStatus.EXPIRED and valid.status_on(day) == CertificateStatus.VALID
    code = personal_code()
    mine = issue(actor=officer, code=code, programme="Šahs")
    assert list(selectors.certificate_filter(qs, personal_code=personal_code_digits(code))) == [mine]
    assert list(selectors.certificate_filter(qs, q=mine.number)) == [mine]
