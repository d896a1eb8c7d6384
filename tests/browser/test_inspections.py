"""An inspection in the browser, from the visit plan to the closed follow-up: the inspector starts the inspection
from a planned visit, records the visit, writes the act with a finding and an order (an order without a deadline
is refused first), sends it; the head submits evidence; the inspector accepts it and closes the inspection. Zero
axe-core violations on every page on the way, in Latvian and in English."""

import datetime

import pytest
from django.utils import timezone

from ikms.inspections.models import Inspection
from ikms.monitoring.models import VisitPlanEntry
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.browser


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


def _fill_date(page, name: str, day: datetime.date) -> None:
    page.fill(f"#id_{name}_day", str(day.day))
    page.fill(f"#id_{name}_month", str(day.month))
    page.fill(f"#id_{name}_year", str(day.year))


def _submit(page) -> None:
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def test_from_the_visit_plan_to_the_closed_follow_up(page, world):
    today = timezone.localdate()
    visit = VisitPlanEntry.objects.create(
        institution=world["a1"], planned_date=today, reason="risk", created_by=world["users"]["supervision_inspector"]
    )
    _as(page, "inspector")
    _check(page, "/parbaudes/")
    page.click(f"a[href='/parbaudes/no-plana/{visit.pk}/']")
    page.wait_for_url(f"**/parbaudes/no-plana/{visit.pk}/")
    assert axe_violations(page) == []
    page.fill("#id_subject", "Plānveida pārbaude: drošība")
    _submit(page)
    inspection = Inspection.objects.get()
    base = f"/parbaudes/{inspection.pk}"
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    _check(page, f"{base}/record-visit/")
    _fill_date(page, "visited_on", today)
    _submit(page)
    _check(page, f"{base}/write-act/")
    _fill_date(page, "dated_on", today)
    page.fill("#id_summary", "Konstatētas nepilnības drošības kārtībā.")
    _submit(page)
    _check(page, f"{base}/add-finding/")
    page.fill("#id_text", "Nav drošības kārtības.")
    page.check("input[name=severity][value=major]")
    page.fill("#id_legal_basis", "MK noteikumi Nr. 1338, 3. punkts")
    _submit(page)
    _check(page, f"{base}/issue-order/")
    page.check("input[name=kind][value=order]")
    page.fill("#id_text", "Izstrādāt drošības kārtību.")
    _submit(page)
    assert "Rīkojumam jānorāda izpildes termiņš." in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    _fill_date(page, "due_on", today + datetime.timedelta(days=30))
    _submit(page)
    page.wait_for_url(f"**{base}/")
    _check(page, f"{base}/send-act/")
    _submit(page)
    response = page.request.get(f"{base}/akts.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
    # The head sees the act and the order, and submits evidence.
    _as(page, "head-a1")
    _check(page, "/mani-darbi/")
    _check(page, f"{base}/")
    _check(page, f"/en{base}/")
    _check(page, f"{base}/submit-evidence/")
    page.check(f"input[name=order][value='{inspection.orders.get().pk}']")
    page.fill("#id_text", "Drošības kārtība apstiprināta 2. decembrī.")
    _submit(page)
    # The inspector accepts it and closes the inspection.
    _as(page, "inspector")
    _check(page, f"{base}/review-evidence/")
    page.check("input[name=evidence]")
    page.check("input[name=decision][value=accept]")
    _submit(page)
    _check(page, f"{base}/close/")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    inspection.refresh_from_db()
    assert inspection.state == "closed"
    assert axe_violations(page) == []
    _check(page, f"/en{base}/")
    _check(page, "/en/parbaudes/")
    _check(page, "/parbaudes/tematiskas/unified_school_2023_2024/")
    _check(page, "/en/parbaudes/tematiskas/unified_school_2023_2024/")
