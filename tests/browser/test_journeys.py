"""Every role's main task, done in headless Chromium as its user does it (issue 12): from the entry point
(the home page, or signing in from its header) by links, buttons and forms, in Latvian and in English (/en/).

Each page of a journey is checked at 1280 px on the way (the page's language and nothing of the other one, no
axe-core WCAG 2.1 A/AA violation, no sideways scrolling) and again at 375 px at the end (no wider than the phone,
wide tables in focusable scroll boxes, no axe violation). With `--screenshots DIR` (`make screenshots`) each
journey saves its key page into DIR: Latvian at 1280 and 375 px, English at 1280 px (docs/screenshots/)."""

import csv
import datetime as dt
import io
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.accreditation import services as accreditation
from ikms.accreditation.choices import CaseState
from ikms.accreditation.framework import framework
from ikms.accreditation.models import SelfEvaluationState
from ikms.accreditation.testing import bulk_tasks, drive, experts, new_case
from ikms.core.school_year import school_year_of
from ikms.monitoring.models import VisitPlanEntry
from ikms.registry import services as registry
from ikms.registry.choices import DecisionKind, InstitutionStatus
from ikms.registry.models import Decision, Founder, Institution, InstitutionType, Municipality, Programme
from ikms.registry.testing import decision_input
from tests.browser.conftest import (
    axe_violations,
    language_slips,
    page_width,
    unreachable_scroll_boxes,
)

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
LANGUAGES = pytest.mark.parametrize("prefix", ["", "/en"], ids=["lv", "en"])


def _data_names(*typed: str) -> set[str]:
    """What the pages show as it is stored, in either language: names of schools, places, founders and people,
    the legal basis of decisions, and what the journey typed."""
    names = set(typed)
    for values in (Institution.objects.values_list("name", "address", "head_name"),
                   Municipality.objects.values_list("name_lv", "name_en"), Founder.objects.values_list("name"),
                   Programme.objects.values_list("name"), Decision.objects.values_list("legal_basis", "justification"),
                   User.objects.values_list("username")):
        for row in values:
            names.update(row)
    return names


def _in(lang: str, message: str) -> str:
    """A message of the catalogue in the language."""
    with translation.override(lang):
        return translation.gettext(message)


def _date(lang: str, day: dt.date) -> str:
    with translation.override(lang):
        return formats.date_format(day)


class Journey:
    """One user's way through the pages: each page checked at 1280 px as it is reached, all of them again at
    375 px at the end."""

    def __init__(self, page, prefix: str, name: str, screenshots):
        self.page, self.prefix, self.name, self.screenshots = page, prefix, name, screenshots
        self.lang = "en" if prefix else "lv"
        self.pages: dict[str, str | None] = {}  # address → on the journey's key page, the part that shows its outcome
        self.texts: list[str] = []  # data the pages show as entered (typed on the way or before)
        page.set_viewport_size(DESKTOP)

    def start(self, username: str | None = None) -> None:
        """The home page of the language; a user signs in from the header and lands on "Mani darbi"."""
        self.page.goto(f"{self.prefix}/")
        if username:
            self.page.click("#navigation a[href$='/accounts/login/']")  # "Pieslēgties" in the header
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", "test-password-123")
            self.page.click("main button[type=submit]")
            self.page.wait_for_url(f"**{self.prefix}/mani-darbi/")
        self.check()

    def data(self, *texts: str) -> None:
        self.texts.extend(texts)

    def type(self, selector: str, text: str) -> None:
        self.texts.append(text)
        self.page.fill(selector, text)

    def submit(self, selector: str = "main form[method=post] button[type=submit]") -> None:
        with self.page.expect_navigation():
            self.page.click(selector)

    def check(self, *, key: str | None = None) -> None:
        """The page now open: in the journey's language with nothing of the other one, no axe violation, no wider
        than the window. `key`: this is the journey's key page, and the selector of the part showing the outcome
        (its screenshot goes down to it)."""
        page = self.page
        page.wait_for_load_state("load")
        parts = urlsplit(page.url)
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        assert address.startswith("/en/") == (self.lang == "en"), address
        assert page.evaluate("document.documentElement.lang") == self.lang, address
        assert page.locator(".govuk-error-summary").count() == 0, address
        slips = language_slips(page, _data_names(*self.texts))
        assert not slips, f"{address}: {slips}"
        assert page_width(page) <= DESKTOP["width"], address
        assert unreachable_scroll_boxes(page) == [], address
        assert axe_violations(page) == [], address
        self.pages[address] = self.pages.get(address) or key
        if key:
            self.screenshot("1280", key)

    def screenshot(self, width: str, until: str) -> None:
        if self.screenshots is not None:
            self.screenshots(self.page, f"{self.name}-{self.lang}-{width}", until)

    def on_a_phone(self) -> None:
        """Every page of the journey again at 375 px."""
        page = self.page
        page.set_viewport_size(PHONE)
        for address, key in self.pages.items():
            page.goto(address)
            assert page_width(page) <= PHONE["width"], address
            assert unreachable_scroll_boxes(page) == [], address
            assert axe_violations(page) == [], address
            if key and self.lang == "lv":
                self.screenshot("375", key)


@pytest.fixture
def journey(page, screenshots):
    return lambda prefix, name: Journey(page, prefix, name, screenshots)


def _main(page) -> str:
    return page.locator("main").inner_text()


# --- parent ------------------------------------------------------------------------------------------------


@LANGUAGES
def test_parent_compares_three_schools_found_without_diacritics(page, monitored, journey, prefix):
    a1, a2, b1 = (monitored[k] for k in ("a1", "a2", "b1"))
    j = journey(prefix, "parent")
    j.start()
    page.click("#school-profiles a.govuk-button")  # "Atrast skolu"
    page.wait_for_url(f"**{prefix}/profili/")
    j.check()
    for query, schools in (("rigas", (a1, a2)), ("ogres testa", (b1,))):
        j.type("#id_q", query)
        j.submit("form[role=search] button[type=submit]")
        found = page.locator("main table tbody").inner_text()
        for school in schools:
            assert school.name in found
            j.submit(f"tr[data-number='{school.registration_number}'] button[type=submit]")
            assert page.input_value("#id_q") == query  # back on the same search
    basket = page.locator("#basket")
    assert [basket.locator("li > a").nth(i).inner_text() for i in range(3)] == [a1.name, a2.name, b1.name]
    assert ("3 of 3" if prefix else "3 no 3") in basket.inner_text()
    j.check()

    basket.locator("a.govuk-button").click()  # "Salīdzināt izvēlētās skolas"
    page.wait_for_url(f"**{prefix}/profili/salidzinat/")
    header = page.locator("table[data-block='chart-school'] thead th").all_inner_texts()
    assert [h for h in header if h in (a1.name, a2.name, b1.name)] == [a1.name, a2.name, b1.name]
    learners = page.locator("table[data-block='chart-school'] tr[data-key='learners_enrolled:::']").inner_text()
    assert "120" in learners and "60" in learners
    assert ("fewer than 5 learners" if prefix else "mazāk nekā 5 izglītojamie") in learners  # a2 has 4
    page.locator("[data-plotly] svg.main-svg").first.wait_for(state="attached")
    j.check(key="table[data-block='chart-school']")
    j.on_a_phone()


# --- municipal board -----------------------------------------------------------------------------------------


@LANGUAGES
def test_municipal_board_finds_and_exports_its_three_riskiest_schools(page, board, journey, prefix):
    riskiest = [board[k] for k in ("a4", "a1", "a3")]
    j = journey(prefix, "municipal-board")
    j.start("founder-riga")
    at_risk = page.locator("section[aria-labelledby=work-founder] .govuk-summary-card__title")
    assert at_risk.all_inner_texts() == [i.name for i in riskiest]  # the start page ranks them already

    page.locator("#navigation").get_by_role("link", name="Monitoring" if prefix else "Monitorings").click()
    page.wait_for_url(f"**{prefix}/monitoring/pasvaldibas/LV-RIX/")
    j.check()
    page.check("#id_at_risk")
    j.submit("form[role=search] button[type=submit]")
    assert "at_risk=on" in page.url
    rows = page.locator("#institutions-table tbody tr")
    assert [rows.nth(i).get_attribute("data-institution") for i in range(rows.count())] == [
        i.registration_number for i in riskiest]
    first = rows.first
    rows.first.locator("summary").click()  # the rules and their evidence, folded in the row
    assert ("unexcused" if prefix else "bez attaisnojoša iemesla kavēja") in first.inner_text()
    j.check(key="#institutions-table")

    with page.expect_download() as download:
        page.locator("#institutions-export").get_by_role("link", name="CSV").first.click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    names = [line[1] for line in lines[1:]]
    assert names == [i.name for i in riskiest]
    assert [line[4] for line in lines[1:]] == ["8", "5", "3"]
    headers = ("Rank", "Institution", "Institution type", "Learners", "Risk score")
    assert lines[0][:5] == [_in(j.lang, h) for h in headers]

    # sorted by a column header, the ranking keeps its ranks and the filter; the chart of the scores is drawn
    page.locator("#institutions-table thead").get_by_role("link", name="Learners" if prefix else "Izglītojamie").click()
    page.wait_for_url("**sort=learners**")
    assert "at_risk=on" in page.url
    assert page.locator("#institutions-table th[aria-sort]").inner_text().startswith(_in(j.lang, "Learners"))
    page.locator("[data-plotly='risk-scores'] svg.main-svg").first.wait_for(state="attached")
    j.check()
    j.on_a_phone()


# --- analyst -------------------------------------------------------------------------------------------------


@LANGUAGES
def test_analyst_reads_a_flags_evidence_and_plans_a_visit(page, monitored, journey, prefix):
    a1 = monitored["a1"]
    j = journey(prefix, "analyst")
    j.start("analyst")
    page.locator("section[aria-labelledby=work-supervision] a[href$='/monitoring/riski/']").click()
    page.wait_for_url(f"**{prefix}/monitoring/riski/")
    first = page.locator("ol.ikms-risk-list > li").first
    assert first.get_attribute("data-institution") == a1.registration_number
    flags = first.locator(".govuk-summary-card")
    assert [t.split(" — ")[0] for t in flags.locator(".govuk-summary-card__title").all_inner_texts()] == ["R2", "R4"]
    evidence = flags.first.locator(".govuk-summary-card__content").inner_text()
    assert "12" in evidence and "120" in evidence  # R2's evidence: 12 of 120 learners, in the second semester
    j.check(key="ol.ikms-risk-list > li")

    first.locator("a[href*='/apmeklejums/']").click()  # "Iekļaut apmeklējumu plānā"
    page.wait_for_url(f"**{prefix}/monitoring/iestades/{a1.registration_number}/apmeklejums/**")
    assert evidence.splitlines()[0] in _main(page)  # the same evidence beside the form
    j.check()
    day = timezone.localdate() + dt.timedelta(days=14)
    page.fill("#id_planned_date", day.isoformat())
    page.select_option("#id_reason", "risk")
    j.type("#id_note", "Ilgstoši neattaisnoti kavējumi pieaug")
    j.submit()
    page.wait_for_url(f"**{prefix}/monitoring/apmeklejumi/")
    plan = page.locator("main table tbody").inner_text()
    assert a1.name in plan and _date(j.lang, day) in plan
    j.check()
    entry = VisitPlanEntry.objects.get(institution=a1)
    assert (entry.planned_date, entry.rules, entry.created_by.username) == (day, ["R2", "R4"], "analyst")

    page.locator("#navigation").get_by_role("link", name="My work" if prefix else "Mani darbi").click()
    page.wait_for_url(f"**{prefix}/mani-darbi/")
    work = page.locator("section[aria-labelledby=work-supervision]")
    visits = work.locator("table").nth(1).inner_text()
    assert a1.name in visits and _date(j.lang, day) in visits
    work.locator("a[href$='/monitoring/riski/']").click()
    assert _in(j.lang, "On the visit plan") in page.locator("ol.ikms-risk-list > li").first.inner_text()
    j.on_a_phone()


# --- head of an institution ----------------------------------------------------------------------------------


@pytest.fixture
def headed(world):
    """a1 with a decided accreditation that set two tasks, and a draft self-evaluation report of this school
    year."""
    a1, users = world["a1"], world["users"]
    people = {**experts("h"), "head": users["head_a1"], "ikvd": users["quality_expert"]}
    case = drive(new_case(institution=a1, head=users["head_a1"]), CaseState.DECIDED, people)
    today = timezone.localdate()
    tasks = bulk_tasks(case, [
        {"deadline": today + dt.timedelta(days=90), "description": "Izstrādāt kavējumu mazināšanas plānu"},
        {"deadline": today + dt.timedelta(days=200), "description": "Pilnveidot mācību stundu vērošanu",
         "criterion": "2.2"}])
    report = accreditation.self_evaluation_create(actor=users["head_a1"], institution=a1,
                                                  school_year=school_year_of(today),
                                                  sections={"general": "Skolas konteksts"})
    return {**world, "tasks": tasks, "report": report}


@LANGUAGES
def test_head_edits_the_self_evaluation_and_sees_the_tasks(page, headed, journey, prefix):
    report, tasks = headed["report"], headed["tasks"]
    j = journey(prefix, "head")
    j.data("Skolas konteksts", *(t.description for t in tasks))
    j.start("head-a1")
    work = page.locator("section[aria-labelledby=work-head]")
    listed = work.locator("table").first.inner_text()
    assert all(t.description in listed for t in tasks)

    work.locator(f"a[href$='/pasnovertejumi/{report.pk}/labot/']").click()  # "Pabeidz to un iesniedz dibinātājam"
    page.wait_for_url(f"**{prefix}/akreditacija/pasnovertejumi/{report.pk}/labot/")
    assert page.input_value("#id_section_general") == "Skolas konteksts"
    j.check()
    text = "Skolā mācās 120 izglītojamie; 2024. gadā atvērta jauna sporta zāle."
    j.type("#id_section_general", text)
    j.submit()
    page.wait_for_url(f"**{prefix}/akreditacija/pasnovertejumi/{report.pk}/")
    assert text in _main(page)
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert _in(j.lang, "The self-evaluation report is saved.") in banner
    j.check()
    report.refresh_from_db()
    assert report.sections["general"] == text and report.state == SelfEvaluationState.DRAFT

    page.locator("#navigation").get_by_role("link", name="My work" if prefix else "Mani darbi").click()
    page.wait_for_url(f"**{prefix}/mani-darbi/")
    rows = page.locator("section[aria-labelledby=work-head] table").first.locator("tbody tr")
    assert [r.locator("a").inner_text() for r in rows.all()] == [t.description for t in tasks]  # by deadline
    j.check(key="section[aria-labelledby=work-head]")
    rows.first.locator("a").click()
    page.wait_for_url(f"**{prefix}/akreditacija/uzdevumi/{tasks[0].pk}/")
    assert tasks[0].description in _main(page)
    j.check()
    j.on_a_phone()


# --- registry officer ----------------------------------------------------------------------------------------


@pytest.fixture
def application(world, officer):
    """An application to register a new school, postponed (so under consideration), in Riga."""
    registry.institution_application_record(
        actor=officer, decision=decision_input(dt.date(2025, 2, 3)), kind=DecisionKind.POSTPONE,
        registration_number="4000009001", name="Rīgas Jaunā sākumskola",
        type=InstitutionType.objects.get(code="basic"), founder=world["riga"],
        municipality=world["riga"].municipality, address="Ūdens iela 3, Rīga", head_name="Līga Ozola")
    return {**world, "application": Institution.objects.get(registration_number="4000009001")}


@LANGUAGES
def test_registry_officer_records_a_decision_and_reads_it_in_the_history(page, application, journey, prefix):
    school = application["application"]
    j = journey(prefix, "registry-officer")
    j.data(school.address)  # the old address, in the history once it has changed
    j.start("officer")
    work = page.locator("section[aria-labelledby=work-registry]")
    work.get_by_role("link", name=school.name).click()  # the application waiting for a decision
    page.wait_for_url(f"**{prefix}/staff/institutions/{school.pk}/")
    j.check()
    page.locator(f"a[href$='/institutions/{school.pk}/decide/register/']").click()
    page.wait_for_url("**/decide/register/")
    assert page.input_value("#id_name") == school.name  # the application's data, ready to be checked
    j.check()
    j.type("#id_address", "Ūdens iela 5, Rīga")
    j.type("#id_number", "1-14/275")
    page.fill("#id_date", timezone.localdate().isoformat())
    j.type("#id_legal_basis", "Izglītības likuma 24. pants")
    j.submit()
    page.wait_for_url(f"**{prefix}/staff/institutions/{school.pk}/")
    school.refresh_from_db()
    assert school.status == InstitutionStatus.REGISTERED and school.address == "Ūdens iela 5, Rīga"

    decisions = page.locator("#decisions ~ .ikms-table-scroll table, #decisions + * table").first.inner_text()
    assert "1-14/275" in decisions
    history = page.locator("#history + .ikms-table-scroll table tbody tr").first.inner_text()
    status, address = (Institution._meta.get_field(f) for f in ("status", "address"))
    with translation.override(j.lang):
        for change in (f"{capfirst(status.verbose_name)}: {InstitutionStatus.APPLICATION.label} → "
                       f"{InstitutionStatus.REGISTERED.label}",
                       f"{capfirst(address.verbose_name)}: Ūdens iela 3, Rīga → Ūdens iela 5, Rīga"):
            assert change in history
    assert "1-14/275" in history and "officer" in history
    j.check(key="#history + .ikms-table-scroll")
    page.locator("#history + .ikms-table-scroll").get_by_role("link", name="1-14/275").click()
    page.wait_for_url(f"**{prefix}/staff/decisions/*/")
    assert "Ūdens iela 5, Rīga" in _main(page)
    j.check()
    j.on_a_phone()


# --- accreditation expert ------------------------------------------------------------------------------------


@pytest.fixture
def assigned(world):
    """a1's accreditation case, its commission (a chair and the expert) appointed and the evaluation planned."""
    users = world["users"]
    people = {"chair": make_user(Role.ACCREDITATION_EXPERT, username="e-chair"),
              "member": users["accreditation_expert"], "head": users["head_a1"], "ikvd": users["quality_expert"]}
    case = drive(new_case(institution=world["a1"], head=users["head_a1"]), CaseState.COMMISSION, people)
    today = timezone.localdate()
    case = accreditation.case_transition(actor=people["chair"], case=case, action="plan", data={
        "mode": "remote", "methods": ["interviews", "documents"], "visit_start": today,
        "visit_end": today + dt.timedelta(days=3), "day_plan": "1. diena: intervijas"})
    return {**world, "case": case}


@LANGUAGES
def test_expert_rates_an_assigned_case(page, assigned, journey, prefix):
    case = assigned["case"]
    criteria = framework().criteria
    levels = ["good", "very_good", "needs_improvement", "excellent"]
    j = journey(prefix, "expert")
    j.data(case.head_goals, case.founder_criterion, case.day_plan)
    j.start("expert")
    owed = page.locator("section[aria-labelledby=work-expert] table").nth(1)
    with translation.override(j.lang):
        assert translation.ngettext("%(n)s criterion", "%(n)s criteria", 12) % {"n": 12} in owed.inner_text()
    owed.locator(f"a[href$='/lietas/{case.pk}/vertejumi/']").click()
    page.wait_for_url(f"**{prefix}/akreditacija/lietas/{case.pk}/vertejumi/")
    j.check()
    for i, c in enumerate(criteria):
        key = c.code.replace(".", "_")
        page.check(f"input[name=level_{key}][value={levels[i % 4]}]")
        j.type(f"#id_justification_{key}", f"Pierādījumi kritērijam {c.code}: intervijas un dokumenti")
    j.submit()
    page.wait_for_url(f"**{prefix}/akreditacija/lietas/{case.pk}/")
    stored = {r.criterion: (r.level, r.justification) for r in case.ratings.all()}
    assert stored == {c.code: (levels[i % 4], f"Pierādījumi kritērijam {c.code}: intervijas un dokumenti")
                      for i, c in enumerate(criteria)}
    shown = page.locator("#ratings tbody tr")
    assert shown.count() == len(criteria)
    assert "Pierādījumi kritērijam 1.1: intervijas un dokumenti" in shown.first.inner_text()
    j.check(key="#ratings")
    j.on_a_phone()


def test_the_language_check_finds_the_other_language(page, live_server):
    """What the journeys' language check finds: a message of the catalogue in the other language, English words on a
    Latvian page, Latvian letters on an English page; not a name, nor a part marked with its own `lang`."""
    add = """(html) => document.querySelector('main').insertAdjacentHTML('beforeend', html)"""
    page.goto("/palidziba/")
    page.evaluate(add, "<p>Riska punkti</p><p>Risk score</p><p>Skatīt the list</p><p lang='en'>The list of schools</p>"
                       "<p>Rīgas Testa vidusskola</p><button aria-label='Open the menu'>☰</button>")
    assert language_slips(page) == ["Risk score", "Skatīt the list", "Open the menu"]
    page.goto("/en/palidziba/")
    page.evaluate(add, "<p>Risk score</p><p>Riska punkti</p><p>Pievienots salīdzinājumam: Ogres skola (1 no 3).</p>"
                       "<p>See Ābeļu iela</p><p>School: Rīgas Testa vidusskola</p><p lang='lv'>Latviešu</p>")
    assert language_slips(page, ["Rīgas Testa vidusskola"]) == [
        "Riska punkti", "Pievienots salīdzinājumam: Ogres skola (1 no 3).", "See Ābeļu iela"]
