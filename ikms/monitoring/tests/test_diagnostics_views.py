"""The pupil diagnostics and well-being page (issue 15, item 6): IKVD sees the nation and any municipality, a
founder only its own; small cells are hidden ([c]) and so is the cell that the municipality's total row would give
away (secondary suppression); marks and exams stand beside the diagnostics; no data is said so."""

import csv
import io
import re

import pytest
from django.core.cache import cache

from ikms.monitoring.testing import store_run

pytestmark = pytest.mark.django_db

YEAR = "2023/2024"
URL = "/monitoring/diagnostika/"


@pytest.fixture
def diagnosed(world):
    a1, a2, b1 = (world[k].registration_number for k in ("a1", "a2", "b1"))
    riga, ogre = world["a1"].municipality.code, world["b1"].municipality.code
    grade3 = "diagnostic_mean_score_grade3"
    rows = []

    def add(indicator, grain, unit, value, den, category=""):  # noqa: PLR0917
        rows.append({"indicator": indicator, "grain": grain, "unit": unit, "category": category, "value": value,
                     "numerator": None if value is None else value * den, "denominator": den})

    # grade 3: a2 numeracy has 3 pupils (primary), so a1 numeracy (Riga's total minus a2) is hidden too
    add(grade3, "institution", a1, 61.5, 20, "numeracy")
    add(grade3, "institution", a1, 71.5, 20, "literacy")
    add(grade3, "institution", a2, 50.0, 3, "numeracy")
    add(grade3, "institution", a2, 55.5, 12, "literacy")
    add(grade3, "institution", b1, 44.5, 10, "numeracy")
    add(grade3, "municipality", riga, 60.1, 23, "numeracy")
    add(grade3, "municipality", riga, 66.6, 32, "literacy")
    add(grade3, "municipality", ogre, 44.5, 10, "numeracy")
    add(grade3, "nation", "LV", 55.2, 33, "numeracy")
    add(grade3, "nation", "LV", 66.6, 32, "literacy")
    add("wellbeing_pupil_index", "institution", a1, 3.8, 40)
    add("wellbeing_teacher_index", "institution", a1, 4.1, 2)
    add("wellbeing_pupil_index", "municipality", riga, 3.8, 40)
    add("wellbeing_teacher_index", "municipality", riga, 4.1, 2)
    add("wellbeing_pupil_index", "nation", "LV", 3.7, 70)
    add("wellbeing_pupil_favourable", "municipality", riga, 62.5, 40, "P01")
    add("wellbeing_pupil_favourable", "municipality", riga, 50.0, 3, "P02")
    add("learners_average_7_or_more_basic", "institution", a1, 57.3, 100)
    add("exam_mean_score", "institution", a1, 48.7, 20, "MAT9")
    store_run(YEAR, rows)
    cache.clear()
    return world


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def _table(html: str, table_id: str) -> list[list[str]]:
    part = html[html.index(f'id="{table_id}"'):]
    part = part[:part.index("</table>")]
    body = part[part.index("<tbody"):]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S)]


def test_ikvd_sees_a_municipality_with_primary_and_secondary_suppression(client, diagnosed):
    html = _client(client, diagnosed, "analyst").get(URL, {"municipality": "LV-RIX"}).content.decode()
    rows = {r[0]: r[1:] for r in _table(html, "diagnostics-table")}
    a1, a2 = diagnosed["a1"].name, diagnosed["a2"].name
    # numeracy, literacy, science (not assessed in grade 3)
    assert rows[a2] == ["[c]", "55,5", "[z]"]
    assert rows[a1] == ["[c]", "71,5", "[z]"]  # secondary: Riga's numeracy total would give a2's away
    total = _table(html, "diagnostics-table")[-1]
    assert total[1:] == ["60,1", "66,6", "[z]"]
    assert "Konfidenciāls" in html  # the legend, in Latvian
    wellbeing = _table(html, "wellbeing-table")
    assert wellbeing[0][1:] == ["3,8", "[c]"]  # 2 teachers
    assert wellbeing[-1][1:] == ["3,8", "[c]"]
    questions = {r[0]: r[2] for r in _table(html, "questions-table")}
    assert questions["P01"] == "62,5" and questions["P02"] == "[c]" and questions["T01"] == "[x]"
    compare = {r[0]: r[1:] for r in _table(html, "compare-table")}
    assert compare[a1] == ["57,3", "[x]", "48,7"]  # marks, LAT9, MAT9 beside the diagnostics


def test_ikvd_sees_the_nation_by_municipality(client, diagnosed):
    html = _client(client, diagnosed, "analyst").get(URL).content.decode()
    rows = _table(html, "diagnostics-table")
    riga, ogre = diagnosed["a1"].municipality.name, diagnosed["b1"].municipality.name
    by = {r[0]: r[1:] for r in rows}
    assert by[riga][:2] == ["60,1", "66,6"] and by[ogre][:2] == ["44,5", "[x]"]
    assert rows[-1][1:3] == ["55,2", "66,6"]  # Latvia, the total row


def test_founder_sees_only_its_own_municipality(client, diagnosed):
    c = _client(client, diagnosed, "founder_ogre")
    html = c.get(URL).content.decode()
    names = [r[0] for r in _table(html, "diagnostics-table")]
    assert diagnosed["b1"].name in names and diagnosed["a1"].name not in names
    assert c.get(URL, {"municipality": "LV-RIX"}).status_code == 404
    riga = _client(client, diagnosed, "founder_riga").get(URL).content.decode()
    assert diagnosed["a1"].name in riga and diagnosed["b1"].name not in riga


def test_export_shows_the_markers_not_the_hidden_numbers(client, diagnosed):
    response = _client(client, diagnosed, "analyst").get(URL, {"municipality": "LV-RIX", "format": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    a2 = next(r for r in rows if r[0] == diagnosed["a2"].name)
    assert a2[1] == "[c]" and "50" not in a2[1]
    assert "61.5" not in text and "61,5" not in text


def test_english_and_no_data(client, diagnosed, world):
    html = _client(client, diagnosed, "analyst").get("/en" + URL, {"year": "2022/2023"})
    assert html.status_code == 400  # not a year held
    html = _client(client, diagnosed, "analyst").get("/en" + URL).content.decode()
    assert "Confidential" in html and "Pupil diagnostics and well-being" in html


def test_no_results_at_all(client, world):
    html = _client(client, world, "analyst").get(URL).content.decode()
    assert 'id="diagnostics-table"' not in html


def test_a_year_without_diagnostics_says_so(client, world):
    store_run(YEAR, [{"indicator": "learners_enrolled", "grain": "nation", "unit": "LV", "value": 10,
                      "numerator": 10, "denominator": 10}])
    cache.clear()
    html = _client(client, world, "analyst").get(URL).content.decode()
    assert 'id="no-diagnostics"' in html
    assert _table(html, "diagnostics-table")[-1][1:] == ["[x]", "[x]", "[z]"]
