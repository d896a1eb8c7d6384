"""The municipal education-quality report: its tables for Riga against the nation with worked numbers (the
`monitored` fixture's hand-made results), no data where a year's source is missing, the founder's scope, and the
narratives' versions (the report prints the latest published one, not a later draft)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from ikms.core.exceptions import PermissionDeniedError
from ikms.monitoring.testing import store_run
from ikms.reports import kinds, municipal, services
from ikms.reports.document import Suppressed
from ikms.reports.models import Narrative

YEARS = ["2022/2023", "2023/2024"]


def _build(world, years=YEARS, **extra):
    params = {"municipality": world["a1"].municipality.code, "years": years, **extra}
    return municipal.build(params, language="en", progress=lambda share, step: None)


@pytest.fixture
def three_years(monitored):
    """`monitored` with 2021/2022 held, but only enrolments computed for it (no exams, no absences)."""
    riga = monitored["a1"].municipality.code
    store_run("2021/2022", [{"indicator": "learners_enrolled", "grain": g, "unit": u, "value": v, "numerator": v,
                             "denominator": v} for g, u, v in (("municipality", riga, 100), ("nation", "LV", 150))],
              minutes_ago=40)
    return monitored


def test_indicators_against_the_nation_and_comparator_groups(monitored):
    report = _build(monitored)
    table = report.table("indicators")
    # Riga: a1's 120 learners and a2's 4 in 2023/2024 (110 + 4 in 2022/2023); the nation 60 more (Ogre's b1)
    assert table.cell("learners_enrolled|None||", "m_2023_2024") == 124
    assert table.cell("learners_enrolled|None||", "n_2023_2024") == 184
    assert table.cell("learners_enrolled|None||", "m_2022_2023") == 114
    assert table.cell("average_class_size|None||", "m_2023_2024") == pytest.approx(24.8)
    # median of Riga's institutions: a2 (4 learners) is under the minimum, so only a1 counts
    assert table.cell("learners_enrolled|None||", "median") == 120
    assert table.cell("learners_enrolled|None||", "units") == 1
    assert table.disclosure_minimum == 5 and table.lineage.specs and table.lineage.query
    # a1 (secondary, 120 learners) is alone in its comparator group: b1 has 60 learners (another size band)
    comparators = report.table("comparators")
    row = f"{monitored['a1'].registration_number}|learners_enrolled|None||"
    assert comparators.cell(row, "comparator") == 120 and comparators.cell(row, "comparator_n") == 1
    assert comparators.cell(row, "nation") == 184
    a2_row = f"{monitored['a2'].registration_number}|learners_enrolled|None||"
    assert comparators.cell(a2_row, "value") == Suppressed("[c]")
    # Ogre's school is not Riga's
    assert not any(k.startswith(monitored["b1"].registration_number) for k in comparators.row_keys)


def test_risks_absences_and_records(monitored):
    report = _build(monitored)
    rules = report.table("risk_rules")
    assert rules.cell("R2", "2022_2023") == 0 and rules.cell("R2", "2023_2024") == 1
    assert rules.cell("R4", "2022_2023") == 1 and rules.cell("flagged", "2023_2024") == 1
    assert "R1" not in rules.row_keys  # Ogre's flag
    course = report.table("risk_course")
    assert course.cell(monitored["a1"].registration_number, "2023_2024") == "R2, R4"
    assert course.cell(monitored["a1"].registration_number, "2022_2023") == "R4"
    assert course.cell(monitored["a2"].registration_number, "2023_2024") == "–"
    absentees = report.table("absentees")
    assert absentees.cell("secondary", "2023_2024_1") == 12 and absentees.cell("secondary", "2022_2023_2") == 3
    assert absentees.cell("preschool", "2023_2024_1") is None  # no data, not 0
    assert absentees.cell("total", "2023_2024_2") == 12
    out = report.table("out_of_school")
    assert out.cell("no_information", "children") == 7 and out.cell("long_term_ill", "children") == 2
    assert report.table("complaints").cell("received", "2023_2024") == 0
    assert report.table("accreditation").cell("total", "2023_2024") == 0
    charts = [b for s in report.sections for b in s.blocks if type(b).__name__ == "Chart"]
    assert {c.table for c in charts} <= {t.key for t in report.tables()}


def test_a_year_without_a_source_is_no_data(three_years):
    report = _build(three_years, years=["2021/2022", *YEARS])
    table = report.table("indicators")
    assert table.cell("learners_enrolled|None||", "m_2021_2022") == 100
    assert table.cell("exam_mean_score|None||MAT", "m_2021_2022") is None
    assert table.cell("exam_mean_score|None||MAT", "m_2023_2024") == 45.0
    assert report.table("absentees").cell("total", "2021_2022_1") is None
    assert report.table("risk_rules").cell("flagged", "2021_2022") == 0


def test_who_may_make_the_report(client, monitored):
    kind = kinds.get("municipal")
    assert kind.formats == ("pdf", "docx", "xlsx")
    users, riga = monitored["users"], monitored["a1"].municipality.code
    params = {"municipality": riga, "years": YEARS}
    assert kind.allowed(users["founder_riga"], params) and kind.allowed(users["analyst"], params)
    assert not kind.allowed(users["founder_ogre"], params) and not kind.allowed(users["head_a1"], params)
    client.force_login(users["founder_ogre"])
    assert client.get(reverse("reports:municipal", args=[riga])).status_code == 404
    client.force_login(users["founder_riga"])
    response = client.get(reverse("reports:municipal-choose"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:municipal", args=[riga])


def test_narratives_versions_and_the_published_text(client, monitored):
    users, muni = monitored["users"], monitored["a1"].municipality
    founder = users["founder_riga"]
    kw = {"actor": founder, "municipality": muni, "years": YEARS, "section": "summary"}
    first = services.narrative_save(**kw, text="Pirmais melnraksts.")
    second = services.narrative_save(**kw, text="Otrais melnraksts.")
    assert (first.version, second.version, second.status) == (1, 2, "draft")
    before = _build(monitored, draft=True)
    assert "not yet published" in before.sections[0].blocks[0].paragraphs[0]
    assert not any(type(b).__name__ == "Text" for b in _build(monitored).sections[0].blocks)  # no placeholder
    published = services.narrative_publish(**kw, text="Skolu rezultāti uzlabojas.\n\nOtrā rindkopa.")
    services.narrative_save(**kw, text="Vēl nepublicēts labojums.")
    assert (published.version, Narrative.objects.count()) == (3, 4)
    report = _build(monitored)
    assert report.sections[0].blocks[0].paragraphs == ["Skolu rezultāti uzlabojas.", "Otrā rindkopa."]
    assert report.inputs["narratives"] != before.inputs["narratives"]  # a new publication is a new input
    # IKVD reads, does not write
    with pytest.raises(PermissionDeniedError):
        services.narrative_save(**{**kw, "actor": users["analyst"]}, text="x")
    # the page: the founder publishes through the form and sees the text in the preview
    client.force_login(founder)
    url = reverse("reports:municipal", args=[muni.code]) + "?years=2022/2023&years=2023/2024"
    response = client.post(url, {"section": "plans", "plans-text": "Plānojam jaunu skolu.", "action": "publish"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Plānojam jaunu skolu." in page and "Vēl nepublicēts labojums." in page  # history and form keep the draft
    client.force_login(users["analyst"])
    page = client.get(url).content.decode()
    assert "Plānojam jaunu skolu." in page and 'name="plans-text"' not in page
    assert client.post(url, {"section": "plans", "plans-text": "x", "action": "save"}).status_code == 403


def test_bad_input_is_refused_in_both_languages_and_writes_nothing(client, monitored):
    users, muni = monitored["users"], monitored["a1"].municipality
    kw = {"actor": users["founder_riga"], "municipality": muni, "section": "summary"}
    with translation.override("lv"), pytest.raises(ValidationError) as empty:
        services.narrative_publish(**kw, years=YEARS, text="   ")
    assert "Uzrakstiet tekstu" in str(empty.value)
    with translation.override("en"), pytest.raises(ValidationError) as not_held:
        services.narrative_save(**kw, years=["2019/2020"], text="Teksts.")
    assert "IKMS holds no results for the school year 2019/2020" in str(not_held.value)
    with translation.override("lv"), pytest.raises(ValidationError) as not_held_lv:
        municipal.parse(users["founder_riga"], {"municipality": muni.code, "years": "2019/2020"})
    assert "2019/2020" in str(not_held_lv.value) and "IKMS" in str(not_held_lv.value)
    client.force_login(users["founder_riga"])
    url = reverse("reports:municipal", args=[muni.code])
    response = client.post(url + "?years=2023/2024", {"section": "summary", "summary-text": "", "action": "publish"})
    assert response.status_code == 400 and "Uzrakstiet tekstu" in response.content.decode()
    response = client.get("/en" + url + "?years=2019/2020")
    assert response.status_code == 400 and "IKMS holds no results" in response.content.decode()
    assert Narrative.objects.count() == 0


def test_records_are_those_the_founder_sees(monitored):
    """Complaints forwarded to Riga's founder (not those kept by IKVD), inspections of its schools once the act is
    sent (not a planned one, nor Ogre's), and its open accreditation tasks (one past its deadline)."""
    import datetime as dt

    from django.utils import timezone

    from ikms.accreditation.testing import bulk_tasks, new_case
    from ikms.complaints import services as complaint_services
    from ikms.inspections.testing import drive

    users, a1, b1 = monitored["users"], monitored["a1"], monitored["b1"]
    inspector = users["supervision_inspector"]
    forwarded, _kept_by_ikvd = (complaint_services.complaint_register(
        actor=inspector, channel="email", submitter_type="parent", text="Sūdzība", received_on=dt.date(2024, 5, 2),
        institutions=[a1], submitter_name="Anna Bērziņa") for _ in range(2))
    complaint_services.complaint_forward(actor=inspector, complaint=forwarded, founder=monitored["riga"],
                                         summary="Lūdzam izvērtēt.", forwarded_on=dt.date(2024, 5, 6))
    drive(inspector=inspector, head=users["head_a1"], institution=a1, state="follow_up")
    drive(inspector=inspector, head=users["head_a1"], institution=a1, state="planned")
    drive(inspector=inspector, head=None, institution=b1, state="follow_up")
    today = timezone.localdate()
    bulk_tasks(new_case(institution=a1, head=users["head_a1"]),
               [{"deadline": today - dt.timedelta(days=1)}, {"deadline": today + dt.timedelta(days=30)},
                {"deadline": today, "status": "done"}])
    this_year = municipal.school_year_of(today)
    if this_year not in YEARS:
        store_run(this_year, [], minutes_ago=5)  # the school year of today's inspections, held
    report = _build(monitored, years=["2023/2024", this_year])
    assert report.table("complaints").cell("received", "2023_2024") == 1
    key = this_year.replace("/", "_")
    assert report.table("inspections").cell("inspections", key) == 1
    tasks = report.table("tasks")
    assert tasks.cell(a1.name, "open") == 2 and tasks.cell(a1.name, "overdue") == 1


def test_demo_narratives(monitored):
    """The demo step: the first founder account's municipality (Ogre's here: founder-ogre) publishes its summary and
    plans for the years held and keeps a later draft; the report prints the published summary."""
    from ikms.reports import demo

    assert demo.generate() == {"municipal report narratives": 3}
    report = municipal.build({"municipality": monitored["b1"].municipality.code, "years": YEARS}, language="lv",
                             progress=lambda share, step: None)
    assert report.sections[0].blocks[0].paragraphs[0] == demo.SUMMARY.split("\n\n")[0]
    assert Narrative.objects.filter(section="summary").count() == 2


def test_choosing_the_municipality_and_years(client, monitored):
    """IKVD chooses a municipality and years and is sent to its report; a year not held is said in the page's
    language; a link with only the municipality preselects it."""
    client.force_login(monitored["users"]["analyst"])
    url = reverse("reports:municipal-choose")
    response = client.get(url, {"municipality": "LV-RIX", "years": ["2023/2024", "2022/2023"], "open": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:municipal", args=["LV-RIX"]) + \
        "?years=2022%2F2023&years=2023%2F2024"
    response = client.get(url, {"municipality": "LV-RIX", "years": ["2019/2020"], "open": "1"})
    assert response.status_code == 400 and "IKMS nav rezultātu par 2019/2020 mācību gadu." in \
        response.content.decode()
    response = client.get(url, {"municipality": "LV-RIX"})
    assert response.status_code == 200 and '<option value="LV-RIX" selected>' in response.content.decode()
