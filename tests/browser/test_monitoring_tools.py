"""The monitoring tools of issue 15 in the browser: each tool's main page as IKVD and as a founder (scoped), in
Latvian and English, at 1280 and 375 px, axe-clean (the `Pages` checks of tests/browser/conftest.py)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from ikms.monitoring.international import DEMO_FILE, import_international_results
from ikms.monitoring.testing import store_run, write_network_lake
from ikms.monitoring.tests.test_tools_graduates_support import tools  # noqa: F401 (the fixture)
from tests.browser.conftest import PHONE, Pages, as_user, fill_date

pytestmark = pytest.mark.browser


def test_absence_handoff_founder_records_an_action_ikvd_views_the_list(page, world):
    """Item 8: a school's report reaches the municipality of residence; its founder records an action on the case
    page; IKVD sees the list without the learner's name."""
    from ikms.attendance import services

    case = services.absence_report(
        actor=world["users"]["head_a1"], institution=world["a1"], personal_code="01020312349",
        learner_name="Jānis Bērziņš", parent_contact="+371 20000000", residence=world["riga"].municipality,
        school_year="2024/2025", semester=1, level="basic", reason="family_circumstances")
    pages = Pages(page, name="absence-handoff")
    as_user(page, "founder-riga")
    pages.open(f"/kavejumu-lietas/{case.pk}/", "Jānis Bērziņš", "+371 20000000")
    assert "Jānis Bērziņš" in page.inner_text("#learner-name")
    page.check("input[name=kind][value=social_service]")
    fill_date(page, "taken_on", timezone.localdate())
    with page.expect_navigation():
        page.click("#action-form button[type=submit]")
    assert "Informēts sociālais dienests" in page.inner_text("#case-actions")
    pages.check("Jānis Bērziņš", "+371 20000000")
    as_user(page, "analyst")
    pages.open("/kavejumu-lietas/")
    assert case.learner[:10] in page.inner_text("#absence-cases")
    pages.open(f"/kavejumu-lietas/{case.pk}/")
    assert "Jānis" not in page.inner_text("main")
def test_school_network_pages(page, world, tmp_path, settings):
    """The school network and the projection: IKVD nation-wide and for Riga; Ogre's founder its own municipality
    (no declared children received there: the projection says so)."""
    write_network_lake(tmp_path, world)
    settings.IKMS_LAKE_DIR = tmp_path
    names = (world["a1"].name, world["b1"].name)
    pages = Pages(page, name="network")
    as_user(page, "analyst")
    pages.open("/monitoring/skolu-tikls/", *names)
    assert world["b1"].name in page.locator("#network-institutions").inner_text()
    pages.open("/monitoring/skolu-tikls/prognoze/", *names)
    assert page.locator("#projection-municipalities").is_visible()
    pages.open("/monitoring/skolu-tikls/prognoze/?municipality=LV-RIX", *names)
    assert page.locator("#projection-bands").is_visible() and page.locator("#projection-schools").is_visible()
    as_user(page, "founder-ogre")
    pages.open("/monitoring/skolu-tikls/", *names)
    assert world["a1"].name not in page.locator("main").inner_text()
    pages.open("/monitoring/skolu-tikls/prognoze/", *names)
    assert page.locator("#projection-bands").count() == 0
def test_teaching_profession(page, world, tmp_path):
    from django.core.cache import cache

    from ikms.monitoring.testing import store_teaching_runs

    store_teaching_runs(world, tmp_path)
    cache.clear()
    pages = Pages(page)
    as_user(page, "analyst")
    pages.open("/monitoring/skolotaji/", world["a1"].name, world["b1"].name)
    pages._view("/en/monitoring/skolotaji/", PHONE)
    assert page.locator("#teaching-subjects").count() == 1
    pages.open("/monitoring/skolotaji/?year=2023/2024")  # first-format files: no data, said so
    assert page.locator("#teaching-partial").count() == 1
    as_user(page, "founder-riga")
    pages.open("/monitoring/skolotaji/", world["a1"].name, world["a2"].name)
    pages._view("/en/monitoring/skolotaji/", PHONE)
    text = page.locator("#teaching-units").inner_text()
    assert world["a1"].name in text and world["b1"].name not in text
    assert page.goto(f"/monitoring/skolotaji/?municipality={world['b1'].municipality.code}").status == 404
def test_graduates_and_support_pages(page, tools):  # noqa: F811
    names = [tools[k].name for k in ("a1", "a2", "b1")]
    pages = Pages(page)
    for user in ("admin", "founder-riga"):
        as_user(page, user)
        pages.open("/monitoring/absolventi/", *names)
        pages.open(f"/monitoring/absolventi/?institution={tools['a1'].registration_number}", *names)
        pages.open("/monitoring/atbalsts/", *names)
    # the public part: the school profile with its graduates' destinations and fields of further study
    a1 = tools["a1"]  # the profile shows register data as stored: its founder, head and programme names
    pages.open(f"/profili/{a1.registration_number}/", *names, a1.founder.name, a1.head_name, tools["programme_a"].name)
    assert page.locator("#chart-graduate-fields-basic-heading").count() == 1
YEAR = "2023/2024"


def _diagnostic_values(world) -> list[dict]:
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    riga, ogre = world["a1"].municipality.code, world["b1"].municipality.code
    rows = []
    for grain, unit, n in (("institution", a1, 20), ("institution", a2, 3), ("institution", b1, 10),
                           ("municipality", riga, 23), ("municipality", ogre, 10), ("nation", "LV", 33)):
        for domain, value in (("numeracy", 60.5), ("literacy", 66.0)):
            rows.append({"indicator": "diagnostic_mean_score_grade3", "grain": grain, "unit": unit,
                         "category": domain, "value": value, "numerator": value * n, "denominator": n})
        rows.append({"indicator": "wellbeing_pupil_index", "grain": grain, "unit": unit, "value": 3.8,
                     "numerator": 3.8 * n, "denominator": n})
        rows.append({"indicator": "learners_enrolled", "grain": grain, "unit": unit, "value": n * 10,
                     "numerator": n * 10, "denominator": n * 10})
    return rows


def test_pupil_diagnostics_and_wellbeing_page(page, world):
    store_run(YEAR, _diagnostic_values(world))
    cache.clear()
    pages = Pages(page)
    names = [world[k].name for k in ("a1", "a2", "b1")]
    as_user(page, "admin")
    pages.open("/monitoring/diagnostika/", *names)
    pages.open("/monitoring/diagnostika/?municipality=LV-RIX&grade=grade6", *names)
    as_user(page, "founder-riga")
    pages.open("/monitoring/diagnostika/", *names)
    assert "[c]" in page.locator("#diagnostics-table").inner_text()  # a2's 3 pupils, and a1 beside them
    pages.assert_clean()


def test_general_overview_page(page, world):
    store_run("2022/2023", _diagnostic_values(world), minutes_ago=30)
    store_run(YEAR, _diagnostic_values(world))
    import_international_results(DEMO_FILE)
    cache.clear()
    pages = Pages(page)
    as_user(page, "admin")
    pages.open("/monitoring/parskats/", "IKMS demo data", "PISA", "TIMSS", "PIRLS", "ICCS")
    as_user(page, "founder-riga")
    pages.open("/monitoring/parskats/", "IKMS demo data")
    assert page.locator("#international-table").count() == 1
    pages.assert_clean()
