"""The statements' pages: the list searched by reference, the request form (bad input answered on the form, nothing
written), the review and issue, the issued statement shown as issued, the PDF download; every opening audited; only
registry officers and administrators get in."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.core.models import AuditEvent
from ikms.statements.models import Statement, StatementRequest
from ikms.statements.testing import CODE, UNKNOWN_CODE, issued, record, tiny_lake

pytestmark = pytest.mark.django_db


@pytest.fixture
def lake(settings, tmp_path, world):
    settings.IKMS_LAKE_DIR = tiny_lake(
        tmp_path / "lake", institution=world["a1"].registration_number, programme=world["programme_a"].code
    )
    return settings.IKMS_LAKE_DIR


def _form(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "authority": "Pilsonības un migrācijas lietu pārvalde",
        "authority_reference": "PMLP/2025/77",
        "authority_date_day": "3",
        "authority_date_month": "3",
        "authority_date_year": "2025",
        "received_on_day": str(today.day),
        "received_on_month": str(today.month),
        "received_on_year": str(today.year),
        "purpose": "Naturalizācija",
        "legal_basis": "Pilsonības likuma 12. pants",
        "person_name": "Anna Bērziņa",
        "personal_code": CODE,
    }
    data.update(changes)
    return data


def _reads(action: str) -> int:
    return AuditEvent.objects.filter(action=f"statements.{action}").count()


def test_record_review_issue_and_download(client, world, lake):
    client.force_login(world["users"]["registry_officer"])
    response = client.post(reverse("statements:new"), _form())
    request = StatementRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("statements:detail", args=[request.pk])
    page = client.get(reverse("statements:detail", args=[request.pk])).content.decode()
    assert "Rīgas Testa vidusskola" in page and 'id="issue"' in page and CODE not in page
    assert _reads("request_read") == 1
    client.post(reverse("statements:issue", args=[request.pk]))
    statement = Statement.objects.get()
    page = client.get(reverse("statements:detail", args=[request.pk])).content.decode()
    assert statement.reference in page and 'id="issue"' not in page and 'id="statement-pdf"' in page
    assert _reads("statement_read") == 1
    pdf = client.get(reverse("statements:pdf", args=[request.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(statement.pdf)
    assert statement.reference.replace("/", "-") in pdf["Content-Disposition"]
    assert _reads("statement_download") == 1


def test_an_issued_statement_shows_what_was_issued(client, world, lake):
    officer = world["users"]["registry_officer"]
    statement = issued(officer, lake_root=lake)
    world["a1"].name = "Jauns nosaukums"
    world["a1"].save()
    client.force_login(officer)
    page = client.get(reverse("statements:detail", args=[statement.request_id])).content.decode()
    assert "Rīgas Testa vidusskola" in page and "Jauns nosaukums" not in page


def test_no_records_is_said_in_words(client, world, lake):
    officer = world["users"]["registry_officer"]
    statement = issued(officer, lake_root=lake, personal_code=UNKNOWN_CODE)
    client.force_login(officer)
    with translation.override("en"):
        url = reverse("statements:detail", args=[statement.request_id])
    page = client.get(url).content.decode()
    assert 'id="no-records"' in page and "No records found." in page and "2022/2023, 2023/2024" in page
    assert 'id="enrolments"' not in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"personal_code": "010190-10002"}, "personal_code"),
        ({"authority": ""}, "authority"),
        ({"authority_date_year": str(dt.date.today().year + 1)}, "authority_date"),  # noqa: DTZ011
    ],
)
def test_bad_input_is_answered_on_the_form(client, world, lake, changes, field):
    client.force_login(world["users"]["registry_officer"])
    response = client.post(reverse("statements:new"), _form(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not StatementRequest.objects.exists()


def test_search_by_reference(client, world, lake):
    officer = world["users"]["registry_officer"]
    first = issued(officer, lake_root=lake)
    record(officer, lake_root=lake, authority_reference="CITS-9")
    client.force_login(officer)
    page = client.get(reverse("statements:list"), {"q": first.reference}).content.decode()
    assert first.reference in page and "CITS-9" not in page
    page = client.get(reverse("statements:list"), {"q": "CITS-9"}).content.decode()
    assert "CITS-9" in page and first.reference not in page
    assert "Anna Bērziņa" not in page  # the list names no person (opening a request does, and is audited)
    page = client.get(reverse("statements:list"), {"q": "IKVD-IZZ-1999/0001"}).content.decode()
    assert 'id="no-requests"' in page


def test_others_cannot_issue_or_read(client, world, lake):
    statement = issued(world["users"]["registry_officer"], lake_root=lake)
    request = record(world["users"]["registry_officer"], lake_root=lake)
    for role in ("analyst", "supervision_inspector", "founder_riga", "head_a1", "conviction_secretary"):
        client.force_login(world["users"][role])
        assert client.post(reverse("statements:issue", args=[request.pk])).status_code == 404
        assert client.get(reverse("statements:pdf", args=[statement.request_id])).status_code == 404
    assert Statement.objects.count() == 1
    assert _reads("statement_download") == 0


def test_the_issue_is_post_only(client, world, lake):
    request = record(world["users"]["registry_officer"], lake_root=lake)
    client.force_login(world["users"]["registry_officer"])
    assert client.get(reverse("statements:issue", args=[request.pk])).status_code == 405
    assert not Statement.objects.exists()


def test_the_staff_area_links_the_statements_for_those_who_may_see_them(client, world):
    client.force_login(world["users"]["registry_officer"])
    assert 'id="statements-link"' in client.get(reverse("registry:staff-home")).content.decode()
    client.force_login(world["users"]["analyst"])
    assert 'id="statements-link"' not in client.get(reverse("registry:staff-home")).content.decode()


def test_the_personal_code_is_kept_out_of_error_reports(rf, world, lake):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.views.debug import SafeExceptionReporterFilter

    from ikms.statements import views

    request = rf.post(reverse("statements:new"), _form())
    request.user = world["users"]["registry_officer"]
    request.session = {}
    request._messages = FallbackStorage(request)
    views.request_new(request)
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["personal_code"] != CODE and shown["person_name"] == "Anna Bērziņa"
