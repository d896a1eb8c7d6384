"""A whole accreditation case in the browser: the head applies, IKVD appoints a commission, an
expert rates the 12 criteria remotely, the head comments, IKVD decides, the register shows the new
term, a task is set and later confirmed by the monitoring data; zero axe-core violations on every
case page on the way."""

import datetime

import pytest
from django.utils import timezone

from ikms.accreditation.framework import framework
from ikms.accreditation.models import Case
from ikms.accreditation.testing import experts
from tests.browser.conftest import axe_violations, language_slips, login

pytestmark = pytest.mark.browser


def _as(page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


def _fill_date(page, name: str, day: datetime.date) -> None:
    """A GOV.UK date input: day, month and year in three boxes."""
    page.fill(f"#id_{name}_day", str(day.day))
    page.fill(f"#id_{name}_month", str(day.month))
    page.fill(f"#id_{name}_year", str(day.year))


def _submit(page) -> None:
    """Submit the page's form and wait for the answer (a redirect or the form again with its errors)."""
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def test_a_whole_case_from_application_to_a_task_confirmed_by_data(page, world):
    from ikms.monitoring.testing import store_run

    a1 = world["a1"]
    people = experts("b")
    # 1. The head applies (agreed with the founder).
    _as(page, "head-a1")
    _check(page, "/akreditacija/")
    _check(page, "/akreditacija/pieteikums/")
    page.select_option("#id_institution", str(a1.pk))
    assert page.input_value("#id_institution") == str(a1.pk)  # the head's one school is chosen already
    page.check("input[name=kind][value=accreditation]")
    assert page.is_checked("input[name=version][value=mk325]")  # the regulation in force
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()  # the founder's agreement is required
    assert axe_violations(page) == []
    page.check("#id_founder_agreed")
    _submit(page)
    page.wait_for_url("**/akreditacija/lietas/*/")
    case = Case.objects.get(institution=a1)
    base = f"/akreditacija/lietas/{case.pk}"
    assert axe_violations(page) == []
    # The institution's self-rating of the 12 criteria.
    _check(page, f"{base}/self_rate/")
    for c in framework().criteria:
        page.check(f"input[name=self_{c.code.replace('.', '_')}][value=very_good]")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    # 2. IKVD registers the application and appoints the commission.
    _as(page, "quality")
    _check(page, f"{base}/")
    page.click(f"a[href='{base}/register/']")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    _check(page, f"{base}/appoint/")
    page.select_option("#id_chair", str(people["chair"].pk))
    page.check(f"input[name=experts][value='{people['member'].pk}']")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    # 3. Both experts declare no conflict of interest; the chair plans a remote evaluation.
    for who in ("b-chair", "b-member"):
        _as(page, who)
        _check(page, f"{base}/declare/")
        page.check("#id_no_conflict")
        _submit(page)
        page.wait_for_url(f"**{base}/")
    _as(page, "b-chair")
    _check(page, f"{base}/plan/")
    today = timezone.localdate()
    page.check("input[name=mode][value=remote]")
    for method in ("interviews", "documents", "situation", "focus_group"):
        page.check(f"input[name=methods][value={method}]")
    _fill_date(page, "visit_start", today)
    _fill_date(page, "visit_end", today + datetime.timedelta(days=2))
    page.fill("#id_day_plan", "1. diena: intervijas tiešsaistē\n2. diena: fokusgrupa")
    page.check("#id_unified_school")  # the transition to the unified school is evaluated too
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert "iekļauta pāreja uz vienotu skolu" in page.inner_text("main")
    # 4. The expert rates the 12 criteria.
    _as(page, "b-member")
    _check(page, f"{base}/vertejumi/")
    levels = ["good", "very_good", "needs_improvement", "excellent"]
    for i, c in enumerate(framework().criteria):
        key = c.code.replace(".", "_")
        page.check(f"input[name=level_{key}][value={levels[i % 4]}]")
        page.fill(f"#id_justification_{key}", f"Pierādījumi kritērijam {c.code}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**{base}/")
    assert case.ratings.count() == 12
    assert set(case.ratings.values_list("self_level", flat=True)) == {"very_good"}
    assert axe_violations(page) == []
    # 5. The chair submits the draft; the head comments; the chair submits the final report.
    _as(page, "b-chair")
    _check(page, f"{base}/draft/")
    page.fill("#id_draft_report", "Komisijas ziņojuma projekts")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    _as(page, "head-a1")
    _check(page, f"{base}/comment/")
    page.fill("#id_institution_comments", "Piekrītam; lūdzam precizēt 1.3 pamatojumu.")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    _as(page, "b-chair")
    _check(page, f"{base}/finalise/")
    page.fill("#id_report_public", "Publiskā daļa")
    page.fill("#id_report_private", "Nepubliskā daļa")
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    # 6. IKVD decides (the rule proposes 6 years with tasks: there is a "Jāpilnveido").
    _as(page, "quality")
    _check(page, f"{base}/decide/")
    assert page.input_value("#id_years") == "6"
    page.fill("#id_number", "AK-2025/1")
    _fill_date(page, "date", today)
    _submit(page)
    page.wait_for_url(f"**{base}/")
    assert axe_violations(page) == []
    until = today.replace(year=today.year + 6) if not (today.month == 2 and today.day == 29) else \
        today.replace(year=today.year + 6, day=28)
    # 7. The register shows the new term.
    page.goto(f"/staff/institutions/{a1.pk}/")
    assert until.strftime("%d.%m.%Y") in page.locator("main").inner_text()
    # 8. A task linked to an indicator, reported done by the head, then confirmed by the data.
    year = f"{today.year}/{today.year + 1}"
    _check(page, f"{base}/uzdevumi/jauns/")
    page.select_option("#id_criterion", "1.3")
    page.fill("#id_description", "Samazināt ilgstoši neattaisnoti kavējošo skaitu")
    _fill_date(page, "deadline", today + datetime.timedelta(days=300))
    page.select_option("#id_indicator", "learners_over_unexcused_lessons_threshold")
    page.select_option("#id_target_operator", "<=")
    page.fill("#id_target_value", "5")
    page.select_option("#id_target_year", year)
    _submit(page)
    page.wait_for_url(f"**{base}/")
    task = case.tasks.get()
    _as(page, "head-a1")
    _check(page, f"/akreditacija/uzdevumi/{task.pk}/")
    page.check("input[name=status][value=done]")
    page.fill("#id_evidence", "Atbalsta plāns, rīkojums Nr. 12")
    _submit(page)
    page.wait_for_url("**/akreditacija/uzdevumi/")
    assert axe_violations(page) == []
    store_run(year, [{"indicator": "learners_over_unexcused_lessons_threshold", "grain": "institution",
                      "unit": a1.registration_number, "semester": 2, "value": 3, "numerator": 3,
                      "denominator": 120}])
    _check(page, "/en/akreditacija/uzdevumi/")
    assert "Confirmed by data" in page.locator("main").inner_text()
    _check(page, f"{base}/")
    _check(page, f"/en{base}/")
    _as(page, "quality")
    _check(page, "/akreditacija/analitika/")
    # the PDF is there for the applicant
    response = page.request.get(f"{base}/zinojums.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_self_evaluation_pages_have_no_axe_violations(page, world, prefix):
    from ikms.accreditation import services

    report = services.self_evaluation_create(actor=world["users"]["head_a1"], institution=world["a1"],
                                             school_year="2024/2025", sections={"general": "Skolas konteksts"})
    login(page, "head-a1")
    for url in ["/akreditacija/pasnovertejumi/", "/akreditacija/pasnovertejumi/jauns/",
                f"/akreditacija/pasnovertejumi/{report.pk}/", f"/akreditacija/pasnovertejumi/{report.pk}/labot/",
                f"/akreditacija/pasnovertejumi/{report.pk}/iesniegt/"]:
        page.goto(prefix + url)
        assert page.locator("h1").count() == 1, url
        assert axe_violations(page) == [], prefix + url


def test_a_declared_conflict_keeps_an_expert_off_the_commission(page, world):
    """An expert declares on their own page that they work at an institution; IKVD opens the appointment form for
    that institution's case: the expert is not offered, and the page says why. Axe-clean in Latvian and English."""
    from ikms.accreditation.choices import CaseState
    from ikms.accreditation.testing import drive, new_case

    people = experts("c")
    member = people["member"]
    member.first_name, member.last_name = "Jānis", "Bērziņš"
    member.save()
    people.update(head=world["users"]["head_a1"], ikvd=world["users"]["quality_expert"])
    case = drive(new_case(institution=world["a1"], head=people["head"]), CaseState.REGISTERED, people)
    # 1. The expert declares the conflict in their own entry.
    _as(page, "c-member")
    page.goto("/akreditacija/eksperti/mans/")
    page.wait_for_url(f"**/akreditacija/eksperti/{member.pk}/")
    assert axe_violations(page) == []
    page.click(f"a[href='/akreditacija/eksperti/{member.pk}/konflikts/']")
    page.wait_for_url("**/konflikts/")
    assert axe_violations(page) == []
    page.select_option("#id_institution", str(world["a1"].pk))
    page.check("input[name=kind][value=works]")
    _submit(page)
    page.wait_for_url(f"**/akreditacija/eksperti/{member.pk}/")
    assert world["a1"].name in page.inner_text("main")
    assert axe_violations(page) == []
    # 2. The quality expert opens the appointment form: the expert is not offered, with the reason.
    _as(page, "quality")
    base = f"/akreditacija/lietas/{case.pk}"
    _check(page, f"{base}/appoint/")
    assert page.locator(f"input[name=experts][value='{member.pk}']").count() == 0
    assert page.locator(f"#id_chair option[value='{member.pk}']").count() == 0
    assert page.locator(f"input[name=experts][value='{people['chair'].pk}']").count() == 1
    assert ("Jānis Bērziņš (c-member) — interešu konflikts: strādā šajā iestādē"
            in page.inner_text("#not-offered"))
    _check(page, "/akreditacija/eksperti/")
    _check(page, f"/akreditacija/eksperti/{member.pk}/")
    # 3. The same in English.
    _check(page, f"/en{base}/appoint/")
    assert "Jānis Bērziņš (c-member) — conflict of interest: works at this institution" in page.inner_text(
        "#not-offered")
    names = [world["a1"].name, "Jānis Bērziņš"]
    assert language_slips(page, names) == []
    _check(page, "/en/akreditacija/eksperti/")
    assert language_slips(page, names) == []
    _check(page, f"/en/akreditacija/eksperti/{member.pk}/")
    assert language_slips(page, names) == []
    # The commission is appointed from the experts offered.
    page.goto(f"{base}/appoint/")
    page.select_option("#id_chair", str(people["chair"].pk))
    page.check(f"input[name=experts][value='{people['chair'].pk}']")
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()  # the chair cannot hold two seats; no one else is free
    assert not case.members.exists()
