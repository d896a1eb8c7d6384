"""The statements' services: only the keyed hash of the personal code is stored, the person is found in the lake by
the code's pseudonym, the reference numbers follow each other per year, the issued content is frozen, "no records" is
a statement that says for which years, every write and read is audited, and bad input writes nothing."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent
from ikms.core.personal_codes import personal_code_digest
from ikms.statements import services
from ikms.statements.documents import body_lv
from ikms.statements.models import Statement, StatementRequest
from ikms.statements.testing import CODE, UNKNOWN_CODE, YEARS, issued, record, tiny_lake

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _latvian():
    with translation.override("lv"):
        yield


@pytest.fixture
def lake(tmp_path, world):
    return tiny_lake(
        tmp_path / "lake", institution=world["a1"].registration_number, programme=world["programme_a"].code
    )


def _text(statement) -> str:
    """The statement's Latvian text, as its PDF prints it (built from the frozen content only)."""
    return " ".join(body_lv(statement.content))


def test_only_the_digest_of_the_personal_code_is_stored(world, lake):
    request = record(world["users"]["registry_officer"], lake_root=lake)
    assert request.personal_code_digest == personal_code_digest(CODE)
    digits = CODE.replace("-", "")
    for row in StatementRequest.objects.values():
        assert not any(digits in str(v) or CODE in str(v) for v in row.values())
    for event in AuditEvent.objects.filter(action__startswith="statements."):
        assert digits not in str(event.data) and CODE not in str(event.data) and "Bērziņa" not in str(event.data)


def test_the_person_is_found_with_register_names(world, lake):
    request = record(world["users"]["registry_officer"], lake_root=lake)
    [period] = request.found["enrolments"]
    assert period["institution_name"] == world["a1"].name
    assert period["programme_name"] == world["programme_a"].name
    assert (period["first_grade"], period["last_grade"], period["end_date"]) == (8, 9, "2024-06-20")
    [graduation] = request.found["graduations"]
    assert (graduation["level"], graduation["school_year"]) == ("basic", YEARS[1])
    assert request.found["coverage"] == list(YEARS)


def test_reference_numbers_follow_each_other_in_the_year(world, lake):
    officer = world["users"]["registry_officer"]
    first, second = issued(officer, lake_root=lake), issued(officer, lake_root=lake)
    year = timezone.localdate().year
    assert first.reference == f"IKVD-IZZ-{year}/0001"
    assert second.reference == f"IKVD-IZZ-{year}/0002"
    assert services.reference_number(2027, 12) == "IKVD-IZZ-2027/0012"


def test_a_request_is_issued_once(world, lake):
    officer = world["users"]["registry_officer"]
    statement = issued(officer, lake_root=lake)
    with pytest.raises(ApplicationError):
        services.statement_issue(actor=officer, request=statement.request)
    assert Statement.objects.count() == 1


def test_the_issued_content_is_frozen(world, lake):
    officer = world["users"]["registry_officer"]
    statement = issued(officer, lake_root=lake)
    pdf, content = bytes(statement.pdf), statement.content
    institution = world["a1"]
    institution.name = "Pārdēvēta skola"
    institution.save()
    (lake / "enrolments").rename(lake / "gone")  # the lake changes too
    statement.refresh_from_db()
    assert statement.content == content and bytes(statement.pdf) == pdf
    assert content["history"]["enrolments"][0]["institution_name"] == "Rīgas Testa vidusskola"
    text = _text(statement)
    assert "Rīgas Testa vidusskola" in text and "Anna Bērziņa" in text and CODE not in text
    assert pdf.startswith(b"%PDF") and statement.reference.encode() in pdf  # in the document's subject
    assert statement.sha256 == hashlib.sha256(pdf).hexdigest()


def test_no_records_is_a_clear_statement_with_the_years_covered(world, lake):
    officer = world["users"]["registry_officer"]
    statement = issued(officer, lake_root=lake, personal_code=UNKNOWN_CODE, person_name="Jānis Ozols")
    assert statement.content["history"]["enrolments"] == []
    text = _text(statement)
    assert "ierakstu nav" in text
    assert "2022./2023. un 2023./2024. mācību gad" in text


def test_an_empty_lake_gives_no_statement(world, tmp_path):
    officer = world["users"]["registry_officer"]
    request = record(officer, lake_root=tmp_path / "empty")
    with pytest.raises(ApplicationError, match="IKMS"):
        services.statement_issue(actor=officer, request=request)
    assert not Statement.objects.exists()


def test_every_issue_and_read_is_audited(world, lake):
    officer = world["users"]["registry_officer"]
    request = record(officer, lake_root=lake)
    services.statement_read(actor=officer, request=request, kind="request")
    statement = services.statement_issue(actor=officer, request=request)
    services.statement_read(actor=officer, request=request, kind="statement")
    services.statement_read(actor=officer, request=request, kind="pdf")
    actions = list(
        AuditEvent.objects.filter(action__startswith="statements.").order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "statements.request_record",
        "statements.request_read",
        "statements.statement_issue",
        "statements.statement_read",
        "statements.statement_download",
    ]
    issue = AuditEvent.objects.get(action="statements.statement_issue")
    assert issue.data["reference"] == statement.reference and issue.data["sha256"] == statement.sha256


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personal_code": "010190-10002"}, "personal_code"),  # wrong check digit
        ({"personal_code": "12345"}, "personal_code"),
        ({"authority": "  "}, "authority"),
        ({"authority_date": None}, "authority_date"),
        ({"authority_date": timezone.localdate() + dt.timedelta(days=3)}, "authority_date"),
        ({"received_on": timezone.localdate() + dt.timedelta(days=1)}, "received_on"),
        ({"received_on": dt.date(2025, 3, 1)}, "received_on"),  # before the request was written
        ({"purpose": ""}, "purpose"),
    ],
)
def test_bad_input_writes_nothing(world, lake, changes, field):
    with pytest.raises(ValidationError) as caught:
        record(world["users"]["registry_officer"], lake_root=lake, **changes)
    assert field in caught.value.message_dict
    assert (
        not StatementRequest.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="statements.").exists()
    )


def test_messages_are_in_both_languages(world, lake):
    officer = world["users"]["registry_officer"]
    future = {"authority_date": timezone.localdate() + dt.timedelta(days=2)}
    with translation.override("en"), pytest.raises(ValidationError) as en:
        record(officer, lake_root=lake, **future)
    with pytest.raises(ValidationError) as lv:
        record(officer, lake_root=lake, **future)
    assert en.value.message_dict["authority_date"] == ["The date of the request cannot be in the future."]
    assert lv.value.message_dict["authority_date"] != en.value.message_dict["authority_date"]


def test_only_registry_officers_and_admins_write_and_read(world, lake):
    request = record(world["users"]["ikvd_admin"], lake_root=lake)
    for role in ("analyst", "supervision_inspector", "founder_riga", "head_a1", "data_protection_officer"):
        user = world["users"][role]
        with pytest.raises(PermissionDeniedError):
            record(user, lake_root=lake)
        with pytest.raises(PermissionDeniedError):
            services.statement_issue(actor=user, request=request)
        with pytest.raises(PermissionDeniedError):
            services.statement_read(actor=user, request=request, kind="request")
