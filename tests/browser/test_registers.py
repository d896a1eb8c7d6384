"""The registers IKVD keeps beside the institution register, each in one journey as its users walk it in Chromium:
psychologists (an officer records the board's meeting, an application and the decisions that register a psychologist
and grant supervisor rights; the public search finds them with only the public fields), child supervision providers
(application, registration, public search), teacher private-practice certificates (issue, then annul for the state
language check) and the spent-conviction commission (the secretary records a decision, a member gives an opinion,
the data protection officer reads the read log, anyone else meets a plain "no access" page).

Each key page is checked in Latvian at 1280 and 375 px and in English at 1280 px: no axe-core WCAG 2.1 A/AA
violation, nothing of the other language, the page no wider than the window (wide tables scroll in their own
focusable box)."""

import datetime as dt

import pytest
from django.utils import timezone

from ikms.psychologists.testing import personal_code
from tests.browser.conftest import Pages, as_user, fill_date, submit

pytestmark = pytest.mark.browser

def _decision(page, number: str, day: dt.date, justification: str, *, legal_basis: str | None = None) -> None:
    page.fill("#id_number", number)
    fill_date(page, "date", day)
    if legal_basis is not None:
        page.fill("#id_legal_basis", legal_basis)
    page.fill("#id_justification", justification)


# --- psychologists -----------------------------------------------------------------------------------------------


def test_psychologist_registered_and_made_supervisor_then_found_in_the_public_register(page, world, screenshots):
    from ikms.psychologists import testing
    from ikms.psychologists.choices import ExamKind, WorkArea
    from ikms.psychologists.models import Psychologist

    today = timezone.localdate()
    officer = world["users"]["registry_officer"]
    pages = Pages(page, screenshots, "psychologists")
    as_user(page, "officer")
    pages.open("/psihologi/")
    # The board's meeting.
    page.click("a[href='/psihologi/sedes/jauna/']")
    pages.check()
    held = today - dt.timedelta(days=30)
    page.fill("#id_number", "2026/14")
    fill_date(page, "date", held)
    page.fill("#id_agenda", "Reģistrācijas iesniegumi; supervizora tiesības")
    submit(page)
    pages.check("Reģistrācijas iesniegumi; supervizora tiesības")
    # The application for registration.
    page.goto("/psihologi/iesniegumi/jauns/")
    pages.check()
    page.check("input[name=kind][value=registration]")
    fill_date(page, "received_on", held - dt.timedelta(days=10))
    page.fill("#id_first_name", "Līga")
    page.fill("#id_last_name", "Kalniņa")
    code = personal_code(4242)
    page.fill("#id_personal_code", code)
    page.fill("#id_education", "Latvijas Universitāte, psiholoģijas maģistrs")
    submit(page)
    page.wait_for_url("**/psihologi/iesniegumi/*/")
    pages.check("Līga", "Kalniņa", "Latvijas Universitāte, psiholoģijas maģistrs")
    # The board registers her.
    page.click("main a[href$='/lemums/']")
    pages.check("Līga Kalniņa")
    page.check("input[name=kind][value=register]")
    meeting = page.locator("#id_meeting option", has_text="2026/14").get_attribute("value")
    page.select_option("#id_meeting", meeting)
    _decision(page, "PSI-2026/101", held, "Iesniegums atbilst Psihologu likuma prasībām.",
              legal_basis="Psihologu likums, 8. pants")
    submit(page)
    psychologist = Psychologist.objects.get(last_name="Kalniņa")
    page.goto(f"/psihologi/{psychologist.pk}/")
    pages.check("Līga Kalniņa", "Latvijas Universitāte, psiholoģijas maģistrs",
                "Iesniegums atbilst Psihologu likuma prasībām.")
    # A certificate and a passed supervisor examination (the board's earlier work), then the supervisor rights.
    testing.certified(actor=officer, psychologist=psychologist, day=today - dt.timedelta(days=5),
                      area=WorkArea.EDUCATIONAL)
    result = testing.passed(actor=officer, psychologist=psychologist, day=today - dt.timedelta(days=1),
                            area=WorkArea.EDUCATIONAL, kind=ExamKind.SUPERVISOR)
    today_meeting = testing.meeting(actor=officer, day=today)
    page.click(f"main a[href='/psihologi/{psychologist.pk}/lemums/']")
    pages.check("Līga Kalniņa")
    page.check("input[name=kind][value=grant_supervisor]")
    page.select_option("#id_meeting", str(today_meeting.pk))
    page.select_option("#id_exam_result", str(result.pk))
    _decision(page, "PSI-2026/102", today, "Supervizora eksāmens nokārtots.", legal_basis="Psihologu likums")
    submit(page)
    page.wait_for_url(f"**/psihologi/{psychologist.pk}/")
    assert psychologist.certificates.get().supervisor
    # The entry lists the application it was made on.
    application = psychologist.decisions.get(kind="register").application
    assert application.reference in page.inner_text("#applications-heading + *")
    pages.check("Supervizora eksāmens nokārtots.")
    # The year's figures, in the annual report's words of each language.
    pages.open(f"/psihologi/statistika/?year={held.year}")
    registered = page.locator("tr", has=page.locator("th", has_text="Reģistrētie psihologi")).locator("td")
    assert registered.inner_text() == "1"
    # The public register: no sign-in; the search finds her, with the public fields only.
    page.context.clear_cookies()
    page.goto("/")
    page.click("main a[href='/registrs/psihologi/']")
    page.fill("#id_q", "Kalniņa")
    page.check("#id_supervisor")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "1" in page.inner_text("#results-heading")
    pages.check("Kalniņa, Līga")
    page.locator("main table a", has_text="Kalniņa").click()
    page.wait_for_url(f"**/registrs/psihologi/{psychologist.registration_number}/")
    main = page.inner_text("main")
    assert psychologist.registration_number in main
    for private in (code, "Iesniegums atbilst", "Supervizora eksāmens nokārtots", "2026/14"):
        assert private not in main, private
    pages.check("Līga Kalniņa", "Latvijas Universitāte, psiholoģijas maģistrs")
    pages.assert_clean()


# --- child supervision providers ---------------------------------------------------------------------------------


def test_child_supervision_provider_from_application_to_the_public_register(page, world, screenshots):
    from ikms.childcare.models import Provider

    today = timezone.localdate()
    riga = world["a1"].municipality
    pages = Pages(page, screenshots, "childcare")
    as_user(page, "officer")
    pages.open("/bernu-uzraudziba/")
    page.click("main a[href='/bernu-uzraudziba/pieteikums/']")
    pages.check()
    page.check("input[name=kind][value=natural]")
    page.fill("#id_name", "Ilze Ozola")
    code = personal_code(777)
    page.fill("#id_personal_code", code)
    page.check("input[name=service_type][value=short_term]")
    page.fill("#id_address", "Brīvības iela 12, Rīga")
    page.select_option("#id_municipality", str(riga.pk))
    page.fill("#id_application_number", "4-2/1187")
    fill_date(page, "applied_on", today - dt.timedelta(days=5))
    submit(page)
    provider = Provider.objects.get(name="Ilze Ozola")
    page.wait_for_url(f"**/bernu-uzraudziba/{provider.pk}/")
    pages.check("Ilze Ozola", "Brīvības iela 12, Rīga")
    page.click(f"main a[href='/bernu-uzraudziba/{provider.pk}/lemums/register/']")
    pages.check("Ilze Ozola")
    _decision(page, "BU-2026/55", today, "Pakalpojuma sniedzēja kvalifikācija un pirmās palīdzības apliecība ir.")
    submit(page)
    page.wait_for_url(f"**/bernu-uzraudziba/{provider.pk}/")
    provider.refresh_from_db()
    assert provider.status == "registered"
    pages.check("Pakalpojuma sniedzēja kvalifikācija un pirmās palīdzības apliecība ir.")
    # The public register: no sign-in.
    page.context.clear_cookies()
    page.goto("/")
    page.click("main a[href='/registrs/bernu-uzraudziba/']")
    page.fill("#id_q", "Ozola")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    pages.check("Ilze Ozola", "Brīvības iela 12, Rīga")
    page.locator("main table a", has_text="Ilze Ozola").click()
    page.wait_for_url(f"**/registrs/bernu-uzraudziba/{provider.registration_number}/")
    main = page.inner_text("main")
    assert "Brīvības iela 12, Rīga" in main
    for private in (code, "4-2/1187", "pirmās palīdzības"):
        assert private not in main, private
    pages.check("Ilze Ozola", "Brīvības iela 12, Rīga")
    pages.assert_clean()


# --- teacher private-practice certificates -----------------------------------------------------------------------


def test_private_practice_certificate_issued_then_annulled_after_the_language_check(page, world, screenshots):
    from ikms.practice.models import Certificate

    today = timezone.localdate()
    pages = Pages(page, screenshots, "practice")
    as_user(page, "officer")
    pages.open("/privatprakse/")
    page.click("main a[href='/privatprakse/izsniegt/']")
    pages.check()
    page.fill("#id_teacher_name", "Pēteris Liepa")
    code = personal_code(901)
    page.fill("#id_personal_code", code)
    page.check("input[name=education_kind][value=interest]")
    page.select_option("#id_programme_area", "culture")
    page.fill("#id_programme_name", "Ģitārspēle bērniem")
    _decision(page, "PP-2026/12", today - dt.timedelta(days=30), "Pedagoga izglītība atbilst programmai.")
    submit(page)
    certificate = Certificate.objects.get(teacher__name="Pēteris Liepa")
    page.wait_for_url(f"**/privatprakse/{certificate.pk}/")
    pages.check("Pēteris Liepa", "Ģitārspēle bērniem", "Pedagoga izglītība atbilst programmai.")
    page.click(f"main a[href='/privatprakse/{certificate.pk}/lemums/annul/']")
    pages.check("Pēteris Liepa")
    page.check("input[name=reason][value=state_language]")
    _decision(page, "PP-2026/31", today, "Valsts valodas centra pārbaudē valsts valodas lietojums zem B2 līmeņa.")
    submit(page)
    page.wait_for_url(f"**/privatprakse/{certificate.pk}/")
    certificate.refresh_from_db()
    assert certificate.status == "annulled"
    pages.check("Pēteris Liepa", "Ģitārspēle bērniem", "Pedagoga izglītība atbilst programmai.",
                "Valsts valodas centra pārbaudē valsts valodas lietojums zem B2 līmeņa.")
    page.context.clear_cookies()
    page.goto("/")
    page.click("main a[href='/registrs/privatprakse/']")
    page.fill("#id_q", "Liepa")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Pēteris Liepa" in page.inner_text("main")
    assert code not in page.content()
    pages.check("Pēteris Liepa", "Ģitārspēle bērniem")
    pages.assert_clean()


# --- the spent-conviction commission -----------------------------------------------------------------------------


def test_spent_conviction_decision_recorded_read_log_shown_outsiders_refused(page, world, screenshots):
    from ikms.convictions.choices import TargetGroup
    from ikms.convictions.forms import LEGAL_BASIS
    from ikms.convictions.models import Application

    today = timezone.localdate()
    users = world["users"]
    member = users["conviction_commission"]
    member.first_name, member.last_name = "Dace", "Ābele"
    member.save()
    pages = Pages(page, screenshots, "convictions")
    # The secretary registers the application and the meeting.
    as_user(page, "secretary")
    pages.open("/personu-izvertesana/")
    page.click("main a[href='/personu-izvertesana/jauns/']")
    pages.check()
    fill_date(page, "received_on", today - dt.timedelta(days=20))
    page.fill("#id_person_name", "Andris Krūmiņš")
    page.fill("#id_personal_code", personal_code(313))
    page.fill("#id_intended_work", "mūzikas skolotājs")
    page.fill("#id_conviction_article", "Krimināllikuma 180. panta pirmā daļa")
    submit(page)
    application = Application.objects.get()
    page.wait_for_url(f"**/personu-izvertesana/{application.pk}/")
    names = ("Andris Krūmiņš", "mūzikas skolotājs", "Krimināllikuma 180. panta pirmā daļa", "Dace Ābele")
    pages.check(*names)
    page.goto("/personu-izvertesana/sedes/jauna/")
    pages.check(*names)
    page.fill("#id_number", "2026/7")
    fill_date(page, "held_on", today)
    page.check(f"input[name=members][value='{member.pk}']")
    submit(page)
    pages.check(*names)
    # A member gives an opinion.
    as_user(page, "commission")
    page.goto(f"/personu-izvertesana/{application.pk}/")
    page.click(f"main a[href='/personu-izvertesana/{application.pk}/viedoklis/']")
    pages.check(*names)
    page.check("input[name=position][value=permit_limited]")
    page.fill("#id_note", "Tikai pieaugušie izglītojamie.")
    pages.names.add("Tikai pieaugušie izglītojamie.")
    submit(page)
    # The secretary records the commission's decision.
    as_user(page, "secretary")
    page.goto(f"/personu-izvertesana/{application.pk}/")
    page.click(f"main a[href='/personu-izvertesana/{application.pk}/lemums/']")
    pages.check(*names)
    page.select_option("#id_meeting", label="2026/7")
    page.check("input[name=kind][value=permit_limited]")
    # Several target groups may be chosen: checkboxes, drawn as checkboxes (not as radios).
    assert page.locator(".govuk-checkboxes input[name=target_groups]").count() == len(TargetGroup)
    page.check("input[name=target_groups][value=adults]")
    _decision(page, "PIK-2026/7-1", today, "Kopš sodāmības pagājuši 12 gadi; darbs tikai ar pieaugušajiem.")
    submit(page)
    page.wait_for_url(f"**/personu-izvertesana/{application.pk}/")
    assert application.decisions.count() == 1
    pages.check("Kopš sodāmības pagājuši 12 gadi; darbs tikai ar pieaugušajiem.", LEGAL_BASIS)
    # The data protection officer reads the log, not the records.
    as_user(page, "dpo")
    pages.open("/personu-izvertesana/lasisanas-zurnals/", *names, "secretary", "commission")
    log = page.inner_text("main")
    assert application.reference in log and "Andris" not in log
    page.goto(f"/personu-izvertesana/{application.pk}/")
    assert "Andris" not in page.inner_text("main")
    # Anyone outside the commission: no access, said plainly.
    for outsider in ("admin", "officer"):
        as_user(page, outsider)
        response = page.goto("/personu-izvertesana/")
        assert response.status == 403
        assert "Jums nav tiesību atvērt šo lapu." in page.inner_text("main")
        pages.check()
        response = page.goto(f"/personu-izvertesana/{application.pk}/")
        assert response.status in (403, 404)
        assert "Andris" not in page.inner_text("main")
    pages.assert_clean()


# --- accreditation experts (their journey with a conflict of interest is in test_accreditation.py) ---------------


def test_experts_register_on_a_phone_and_in_both_languages(page, world, screenshots):
    """The experts register's pages that test_accreditation.py walks at 1280 px, here at 375 px as well: the
    expert's own entry and its edit form, and IKVD's list of experts."""
    expert = world["users"]["accreditation_expert"]
    expert.first_name, expert.last_name = "Jānis", "Bērziņš"
    expert.save()
    pages = Pages(page, screenshots, "experts")
    pages.names.update({"Jānis Bērziņš", "expert"})
    as_user(page, "expert")
    page.goto("/akreditacija/eksperti/mans/")
    page.wait_for_url(f"**/akreditacija/eksperti/{expert.pk}/")
    pages.check()
    page.click(f"main a[href='/akreditacija/eksperti/{expert.pk}/labot/']")
    pages.check()
    as_user(page, "quality")
    pages.open("/akreditacija/eksperti/")
    pages.assert_clean()
