"""The school risk score in the browser (issue 17): an inspector opens the risk list ordered by the score, opens a
school's score, reads its factors, looks at the model's back-test and plans the visit through the visit-plan form;
each page in Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of tests/browser/conftest.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from ikms.monitoring.models import VisitPlanEntry
from ikms.monitoring.testing import make_risk_score
from tests.browser.conftest import Pages, as_user, submit

pytestmark = pytest.mark.browser

YEAR = "2023/2024"


def test_inspector_reads_a_schools_score_and_plans_the_visit(page, monitored):
    a1, b1 = monitored["a1"], monitored["b1"]
    make_risk_score(a1.registration_number, YEAR, probability=0.2, rank=2)
    make_risk_score(b1.registration_number, YEAR, probability=0.6, rank=1,
                    contributions={"wellbeing_pupils": 1.1, "rule_weight": 0.4, "exam_vs_national": -0.2})
    pages = Pages(page, name="risk-score")
    as_user(page, "inspector")
    pages.open(f"/monitoring/riski/?year={YEAR}", a1.name, b1.name)
    first = page.locator("ol.ikms-risk-list > li").first
    assert first.get_attribute("data-institution") == b1.registration_number  # the score orders the list
    assert "60 %" in first.locator(".ikms-risk-score").inner_text()

    with page.expect_navigation():
        first.locator(".ikms-risk-score a").click()
    factors = page.locator("#risk-factors tbody").inner_text()
    assert factors.index("Skolēnu labizjūta: paaugstina risku") < factors.index(
        "Riska noteikumu signāli (svērti): paaugstina risku") < factors.index("pazemina risku")
    assert "1.test" in page.locator("#risk-score-summary").inner_text()  # the model version
    pages.check(b1.name)

    with page.expect_navigation():
        page.click("#risk-score-plan")
    day = timezone.localdate() + dt.timedelta(days=14)
    page.fill("#id_planned_date", day.isoformat())
    page.select_option("#id_reason", "risk")
    page.fill("#id_note", "Riska vērtējums: labizjūta")
    submit(page)
    page.wait_for_url("**/monitoring/apmeklejumi/")
    assert b1.name in page.locator("main table tbody").inner_text()
    entry = VisitPlanEntry.objects.get(institution=b1)
    assert (entry.planned_date, entry.created_by.username) == (day, "inspector")
    pages.check(b1.name, "Riska vērtējums: labizjūta")  # what the inspector typed stays as typed
    pages.open("/monitoring/riska-modelis/")
    assert "Valstspilsēta" in page.locator("main").inner_text()  # group names in words, never codes
    pages.assert_clean()
