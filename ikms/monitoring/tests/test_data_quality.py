"""The data-quality page on a small lake with known gaps: completeness per source and school year, the
institutions that have not sent data, timeliness against the due dates, implausible changes in the stored
results, founders' scoping, exports, and each institution's coverage on its page and dossier.

The lake (`dq_lake`): the register of 2022/2023 and 2023/2024 holds a1 and a2 (Riga), b1 (Ogre) and R9, a Riga
school known only to the lake. Enrolments (due 1 October 2023) of 2023/2024: a1 on 20 September, R9 on
25 September (both on time), b1 on 15 November (45 days late; corrected on 10 January), a2 never. Examinations:
a1 only (a2, a pre-school, is not expected to sit them). Learners (national): received on time; out-of-school
children: not received. 2022/2023: enrolments from all four, on time."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ImproperlyConfigured

from ikms.monitoring import data_quality as dq
from ikms.monitoring.testing import store_run, write_receipt, write_register_lake

pytestmark = pytest.mark.django_db

URL = "/monitoring/datu-kvalitate/"
LAKE_ONLY = "9000000009"


@pytest.fixture
def dq_lake(world, settings, tmp_path):
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    root = write_register_lake(tmp_path / "lake", [
        (a1, world["a1"].name, "secondary", "general", "LV-RIX"),
        (a2, world["a2"].name, "preschool", "preschool", "LV-RIX"),
        (b1, world["b1"].name, "secondary", "general", "LV-067"),
        (LAKE_ONLY, "Rīgas reģistra pamatskola", "basic", "general", "LV-RIX"),
    ])
    write_receipt(root, "enrolments", "2022/2023", [a1, a2, b1, LAKE_ONLY], "2022-09-20T08:00:00+00:00")
    write_receipt(root, "enrolments", "2023/2024", [a1], "2023-09-20T08:00:00+00:00", source_file="a1-uznemsana.csv")
    write_receipt(root, "enrolments", "2023/2024", [LAKE_ONLY], "2023-09-25T08:00:00+00:00")
    write_receipt(root, "enrolments", "2023/2024", [b1], "2023-11-15T08:00:00+00:00", source_file="b1-uznemsana.csv")
    write_receipt(root, "enrolments", "2023/2024", [b1], "2024-01-10T08:00:00+00:00", source_file="b1-labojums.csv")
    write_receipt(root, "exams", "2023/2024", [a1], "2024-07-10T08:00:00+00:00", source_file="eksameni.csv")
    write_receipt(root, "learners", "2023/2024", [], "2023-09-15T08:00:00+00:00", source_file="izglitojamie.csv")
    settings.IKMS_LAKE_DIR = root
    world["lake"] = root
    return world


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def _row(report, source):
    return next(r for r in report.sources if r.source == source)


def test_due_dates_follow_the_rules_and_overrides():
    assert dq.due_date("enrolments", "2023/2024") == dt.date(2023, 10, 1)
    assert dq.due_date("graduates", "2023/2024") == dt.date(2024, 11, 30)
    every = {s: {"year": "end", "month": 7, "day": 1} for s in dq.SOURCES}
    custom = dq._parse_settings({"due": every, "overrides": {"2023/2024": {"exams": "2024-08-15"}}})
    assert custom.overrides[("2023/2024", "exams")] == dt.date(2024, 8, 15)
    with pytest.raises(ImproperlyConfigured, match="no due date for"):
        dq._parse_settings({"due": {"learners": {"year": "start", "month": 10, "day": 1}}})
    fallback = dq._parse_settings({"due": {"default": {"year": "end", "month": 6, "day": 30}}})
    assert fallback.due["wellbeing"] == dq.DueRule(year="end", month=6, day=30)
    with pytest.raises(ImproperlyConfigured, match="not a date"):
        dq._parse_settings({"due": {"default": {"year": "end", "month": 2, "day": 30}}})
    with pytest.raises(ImproperlyConfigured, match="unknown source"):
        dq._parse_settings({"due": {**every, "lessons": {"year": "end", "month": 7, "day": 1}}})


def test_every_source_has_a_name_and_its_own_due_date():
    """A source added to the lake needs a name people read and a due date decided for it."""
    from analytics.lake.schemas import DATASETS
    from ikms.monitoring.labels import SOURCES

    assert set(DATASETS) <= set(SOURCES)
    assert set(DATASETS) <= set(dq.yaml.safe_load(dq.CONFIG_PATH.read_text(encoding="utf-8"))["due"])


def test_completeness_and_timeliness_counts(dq_lake):
    scope = dq.scope_for(dq_lake["users"]["analyst"])
    report = dq.report(scope=scope, year="2023/2024")
    assert report.basis == "lake" and report.expected_institutions == 4
    enrolments = _row(report, "enrolments")
    assert (enrolments.expected, enrolments.received, enrolments.missing) == (4, 3, 1)
    assert round(enrolments.percent) == 75
    assert (enrolments.on_time, enrolments.late) == (2, 1)
    exams = _row(report, "exams")  # the pre-school a2 is not expected to sit examinations
    assert (exams.expected, exams.received, exams.missing) == (3, 1, 2)
    national = {n.status.source: n.status.status for n in report.national}
    assert national == {"learners": dq.ON_TIME, "out_of_school": dq.MISSING, "declared_children": dq.MISSING}
    # the school years side by side: everyone in 2022/2023
    trend = dict((label.source, dict((y, r) for y, r in cells)) for label, cells in report.trend)
    assert trend["enrolments"]["2022/2023"].percent == 100
    assert trend["enrolments"]["2023/2024"].received == 3
    # by municipality: Riga has a1, a2 and R9; Ogre b1
    munis = {m.code: m for m in dq.report(scope=scope, year="2023/2024", source="enrolments").municipalities}
    assert (munis["LV-RIX"].institutions, munis["LV-RIX"].received, munis["LV-RIX"].with_gaps) == (3, 2, 1)
    assert (munis["LV-067"].received, munis["LV-067"].with_gaps) == (1, 0)


def test_first_receipt_decides_timeliness_newest_is_shown(dq_lake):
    report = dq.report(scope=dq.scope_for(dq_lake["users"]["analyst"]), year="2023/2024", source="enrolments")
    late = report.listed("late")
    assert [r.unit.number for r in late] == [dq_lake["b1"].registration_number]
    status = late[0].statuses[0]
    assert status.days_late == 45
    assert status.receipt.first_on == dt.date(2023, 11, 15)
    assert status.receipt.received_on == dt.date(2024, 1, 10) and status.receipt.file == "b1-labojums.csv"


def test_page_lists_the_institutions_that_have_not_reported(client, dq_lake):
    c = _client(client, dq_lake, "analyst")
    html = c.get(f"/en{URL}?year=2023/2024&source=enrolments").content.decode()
    assert "Institutions that have not sent data, 2023/2024: Enrolments" in html
    a2 = dq_lake["a2"].registration_number
    listing = html[html.index('id="institution-table"'):]
    listing = listing[:listing.index("</table>")]
    assert f'data-institution="{a2}"' in listing
    assert f'href="/en/monitoring/iestades/{a2}/?year=2023/2024"' in listing
    assert f'href="/en/monitoring/iestades/{a2}/lieta/"' in listing
    assert dq_lake["a1"].registration_number not in listing  # a1 sent its enrolments
    assert "Not received" in listing and "due 1 October 2023" in listing
    # the counts link to the institutions behind them
    assert "?year=2023%2F2024&amp;source=enrolments&amp;show=late#institutions" in html
    late = c.get(f"/en{URL}?year=2023/2024&source=enrolments&show=late").content.decode()
    assert "45 days after the due date" in late and "b1-labojums.csv" in late
    # an institution only the lake's register knows: listed, without a link
    everything = c.get(f"/en{URL}?year=2023/2024&show=all").content.decode()
    assert "Rīgas reģistra pamatskola" in everything and "not in the register of institutions" in everything
    assert f"/monitoring/iestades/{LAKE_ONLY}/" not in everything
    # Latvian by default
    lv = c.get(f"{URL}?year=2023/2024&source=enrolments").content.decode()
    assert "Datu kvalitāte" in lv and "Nav saņemti" in lv


def test_national_data_sets_shown_as_received_or_not(client, dq_lake):
    html = _client(client, dq_lake, "analyst").get(f"/en{URL}?year=2023/2024").content.decode()
    national = html[html.index('id="national-table"'):]
    national = national[:national.index("</table>")]
    assert "Learners" in national and "On time" in national and "15 September 2023" in national
    assert "Out-of-school children" in national and "Not received" in national
    only = _client(client, dq_lake, "analyst").get(f"/en{URL}?year=2023/2024&source=out_of_school").content.decode()
    assert 'data-source="out_of_school"' in only and 'data-source="learners"' not in only
    assert 'id="institution-table"' not in only  # a national data set has no institutions to list


def test_municipality_filter_for_ikvd(client, dq_lake):
    c = _client(client, dq_lake, "analyst")
    page = c.get(f"/en{URL}?year=2023/2024&source=enrolments").content.decode()
    riga = page[page.index('data-municipality="LV-RIX"'):]
    riga = riga[:riga.index("</tr>")]
    assert "?year=2023%2F2024&amp;source=enrolments&amp;show=missing&amp;municipality=LV-RIX#institutions" in riga
    html = c.get(f"/en{URL}?year=2023/2024&municipality=LV-067&show=all").content.decode()
    listing = html[html.index('id="institution-table"'):]
    assert dq_lake["b1"].registration_number in listing
    assert dq_lake["a1"].registration_number not in listing


def test_founder_sees_only_its_institutions(client, dq_lake):
    a1, a2, b1 = (dq_lake[k].registration_number for k in ("a1", "a2", "b1"))
    c = _client(client, dq_lake, "founder_riga")
    report = dq.report(scope=dq.scope_for(dq_lake["users"]["founder_riga"], "LV-067"), year="2023/2024",
                       source="enrolments")
    assert {r.unit.number for r in report.institutions} == {a1, a2}  # the municipality filter is IKVD's only
    assert (_row(report, "enrolments").expected, _row(report, "enrolments").received) == (2, 1)
    html = c.get(f"/en{URL}?year=2023/2024&show=all&municipality=LV-067").content.decode()
    assert a1 in html and a2 in html
    assert b1 not in html and LAKE_ONLY not in html and "Rīgas reģistra pamatskola" not in html
    assert 'name="municipality"' not in html  # no municipality filter
    export = c.get(f"{URL}?year=2023/2024&show=all&format=csv&table=institutions").content.decode("utf-8-sig")
    numbers = {row[0] for row in list(csv.reader(io.StringIO(export)))[1:]}
    assert numbers == {a1, a2}
    # another founder's institution is not found
    assert c.get(f"/monitoring/iestades/{b1}/").status_code == 404
    assert c.get(f"/monitoring/iestades/{b1}/lieta/").status_code == 404
    ogre = _client(client, dq_lake, "founder_ogre").get(f"/en{URL}?year=2023/2024&show=all").content.decode()
    assert b1 in ogre and a1 not in ogre


def test_who_may_open_the_page(client, dq_lake):
    assert _client(client, dq_lake, "head_a1").get(URL).status_code == 403
    assert _client(client, dq_lake, "accreditation_expert").get(URL).status_code == 403
    a1 = dq_lake["a1"].registration_number
    head = _client(client, dq_lake, "head_a1").get(f"/en/monitoring/iestades/{a1}/lieta/").content.decode()
    assert "Long-term absentees by institution" in head and "/monitoring/datu-kvalitate/" not in head
    founder = _client(client, dq_lake, "founder_riga").get(f"/en/monitoring/iestades/{a1}/lieta/").content.decode()
    assert 'href="/en/monitoring/datu-kvalitate/">Data quality</a>' in founder


def test_web_register_when_the_lake_has_no_register_for_the_year(client, dq_lake):
    write_receipt(dq_lake["lake"], "enrolments", "2024/2025", [dq_lake["a1"].registration_number],
                  "2024-09-10T08:00:00+00:00")
    report = dq.report(scope=dq.scope_for(dq_lake["users"]["analyst"]), year="2024/2025", source="enrolments")
    assert report.basis == "register"
    assert {r.unit.number for r in report.institutions} == {dq_lake[k].registration_number
                                                          for k in ("a1", "a2", "b1")}
    assert (_row(report, "enrolments").received, _row(report, "enrolments").missing) == (1, 2)
    html = _client(client, dq_lake, "analyst").get(f"/en{URL}").content.decode()  # the newest year by default
    assert "3 institutions are expected to send data for 2024/2025" in html


def _store_years(world):
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))

    def values(learners_a1, learners_a2, b1_absent):
        rows = [{"indicator": "learners_enrolled", "grain": "institution", "unit": u, "value": n, "numerator": n,
                 "denominator": n} for u, n in ((a1, learners_a1), (a2, learners_a2), (b1, 60))]
        rows.append({"indicator": "learners_over_unexcused_lessons_threshold", "grain": "institution", "unit": b1,
                     "semester": 2, "value": b1_absent, "numerator": b1_absent, "denominator": 60})
        return rows

    store_run("2022/2023", values(100, 4, 2), minutes_ago=30)
    store_run("2023/2024", values(300, 12, 20), minutes_ago=20)


def test_implausible_changes_from_the_stored_results(client, dq_lake):
    _store_years(dq_lake)
    a1, a2, b1 = (dq_lake[k].registration_number for k in ("a1", "a2", "b1"))
    found = dq.outliers(year="2023/2024", units=None)
    by = {(o.number, o.indicator): o for o in found}
    enrolled = by[(a1, "learners_enrolled")]
    assert (enrolled.before, enrolled.after, enrolled.change) == (100, 300, 2.0)
    share = by[(b1, "learners_over_unexcused_lessons_threshold")]  # 2 of 60 learners, then 20 of 60
    assert round(share.before, 2) == 3.33 and round(share.after, 2) == 33.33 and share.percent
    assert (a2, "learners_enrolled") not in by  # 4 → 12 learners: under the minimum base of 20
    assert (b1, "learners_enrolled") not in by  # unchanged
    assert dq.outliers(year="2022/2023", units=None) == []  # no earlier year to compare with
    html = _client(client, dq_lake, "analyst").get(f"/en{URL}?year=2023/2024").content.decode()
    table = html[html.index('id="outlier-table"'):]
    table = table[:table.index("</table>")]
    assert f'data-institution="{a1}" data-indicator="learners_enrolled"' in table
    assert f'href="/en/monitoring/iestades/{a1}/?year=2023/2024"' in table
    assert ">100<" in table and ">300<" in table and "+200" in table
    # scoped: Ogre's founder sees b1's change only
    ogre = _client(client, dq_lake, "founder_ogre").get(f"/en{URL}?year=2023/2024").content.decode()
    ogre_table = ogre[ogre.index('id="outlier-table"'):]
    assert f'data-institution="{b1}"' in ogre_table and f'data-institution="{a1}"' not in ogre_table
    # filtered by source: enrolment checks only for enrolments, absence checks for absences
    assert {o.indicator for o in dq.outliers(year="2023/2024", units=None, source="absences")} == {
        "learners_over_unexcused_lessons_threshold"}
    export = _client(client, dq_lake, "analyst").get(f"{URL}?year=2023/2024&format=xlsx&table=outliers")
    assert export.content[:2] == b"PK"


def test_exports(client, dq_lake):
    c = _client(client, dq_lake, "analyst")
    text = c.get(f"/en{URL}?year=2023/2024&format=csv").content.decode("utf-8-sig")
    rows = {r[1]: r for r in csv.reader(io.StringIO(text))}
    assert rows["Enrolments"][4:10] == ["4", "3", "75", "1", "2", "1"]  # whole numbers without ".0"
    assert rows["Learners"][2] == "national data set" and rows["Learners"][5] == "1"
    institutions = c.get(f"/en{URL}?year=2023/2024&source=enrolments&show=late&format=csv&table=institutions")
    lines = list(csv.reader(io.StringIO(institutions.content.decode("utf-8-sig"))))
    assert lines[1][0] == dq_lake["b1"].registration_number
    assert lines[1][4:9] == ["Late", "2023-10-01", "2023-11-15", "2024-01-10", "b1-labojums.csv"]
    for table in ("municipalities", "trend"):
        assert c.get(f"{URL}?year=2023/2024&format=xlsx&table={table}").content[:2] == b"PK"


def test_institution_page_and_dossier_show_its_coverage(client, dq_lake):
    _store_years(dq_lake)
    a1 = dq_lake["a1"].registration_number
    c = _client(client, dq_lake, "head_a1")
    for url in (f"/monitoring/iestades/{a1}/?year=2023/2024", f"/monitoring/iestades/{a1}/lieta/"):
        html = c.get(url).content.decode()
        panel = html[html.index('id="coverage"'):]
        assert "20.09.2023." in panel and "a1-uznemsana.csv" in panel
        assert "Nav datu" in panel
    years, rows = dq.institution_coverage(a1)
    assert years == ["2022/2023", "2023/2024"]
    cells = dict(rows)
    with_data = {label for label, cells_ in rows if any(c.receipt for c in cells_)}
    # enrolments and examinations, and so the per-school exam results too (per-learner rows stand in for them)
    assert len(with_data) == 3
    assert all(c.receipt is None for c in cells[next(iter(set(cells) - with_data))])
    en = c.get(f"/en/monitoring/iestades/{a1}/lieta/").content.decode()
    assert "Data received" in en and "No data" in en


def test_empty_lake(client, world, settings, tmp_path):
    settings.IKMS_LAKE_DIR = tmp_path / "nothing"
    html = _client(client, world, "analyst").get(f"/en{URL}").content.decode()
    assert "IKMS has not received any data yet." in html


def test_a_wrong_school_year_is_answered_with_the_message_not_another_year(client, dq_lake):
    c = _client(client, dq_lake, "analyst")
    for year, message in (("2023/2025", "Enter the school year as YYYY/YYYY"),
                          ("2019/2020", "2019/2020 is not one of them")):
        response = c.get("/en" + URL, {"year": year, "source": "enrolments"})
        assert response.status_code == 400 and message in response.content.decode()
        assert 'name="source" value="enrolments"' in response.content.decode()
    assert c.get("/en" + URL, {"year": "2022/2023"}).status_code == 200
