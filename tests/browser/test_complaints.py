"""A complaint in the browser, from the public form to the reply letter: a parent sends it on the portal and gets a
reference number, the inspector confirms its topics, records the outcome, writes the reply letter (a PDF among the
case's documents) and closes it; the lists, consultations and trends on the way; zero axe-core violations in
Latvian and English."""

import pytest

from ikms.complaints.models import Complaint
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


def _submit(page) -> None:
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def test_from_the_public_form_to_the_reply_letter(page, world, settings, tmp_path):
    settings.IKMS_COMPLAINT_FORM_MIN_SECONDS = 0
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # 1. A parent sends a complaint on the portal (English page checked too).
    _check(page, "/en/iesniegt-sudzibu/")
    _check(page, "/iesniegt-sudzibu/")
    _submit(page)  # empty: the errors, nothing stored
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    assert not Complaint.objects.exists()
    page.check("input[name=submitter_type][value=parent]")
    page.fill("#id_submitter_name", "Anna Bērziņa")
    page.fill("#id_submitter_contact", "anna@example.lv")
    page.fill("#id_institution_name", world["a1"].name)
    page.fill("#id_text", "Matemātikas stundas nenotiek jau mēnesi, un skola neko nedara.")
    _submit(page)
    page.wait_for_url("**/iesniegt-sudzibu/nosutits/")
    assert axe_violations(page) == []
    complaint = Complaint.objects.get()
    assert page.inner_text("#complaint-reference") == complaint.reference
    # 2. The inspector examines it and replies with a letter.
    page.context.clear_cookies()
    login(page, "inspector")
    base = f"/iesniegumi/{complaint.pk}"
    _check(page, "/iesniegumi/")
    _check(page, f"{base}/")
    assert "Anna Bērziņa" in page.inner_text("#submitter")
    _check(page, f"{base}/temati/")
    page.check("input[name=topics][value=programme_implementation]")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    _check(page, f"{base}/iznakums/")
    page.check("input[name=outcome][value=confirmed]")
    _submit(page)
    _check(page, f"{base}/atbilde/")
    page.fill("#id_text", "Pārbaudē konstatējām, ka stundas nenotika; skolai uzdots to novērst.")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    letter = complaint.case_file.attachments.get()
    assert letter.file_type == "pdf"
    _check(page, f"/lietas/{complaint.case_file_id}/")
    _check(page, f"{base}/slegt/")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert page.locator("#complaint-closed").is_visible()
    assert axe_violations(page) == []
    for url in (
        "/iesniegumi/konsultacijas/",
        "/iesniegumi/tendences/?year=" + str(complaint.received_on.year),
        "/en/iesniegumi/",
        f"/en{base}/",
        "/en/iesniegumi/tendences/",
    ):
        _check(page, url)
