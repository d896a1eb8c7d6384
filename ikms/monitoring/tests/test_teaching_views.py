"""The teaching profession page (issue 15): values computed by the engine from the tiny tables of
analytics/tests/fixtures/teaching_lake.yaml, with the `world` register's institutions in place of A1, A2 and C1
(A1 and A2 in Riga, C1 in Ogre). 2024/2025's staff files have birth years, qualifications and subjects; 2023/2024's
are files of the first format (without them), so those figures are no data there, never 0."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ikms.monitoring.testing import store_teaching_runs

URL = "/en/monitoring/skolotaji/"


@pytest.fixture
def teaching(world, tmp_path):
    store_teaching_runs(world, tmp_path)
    cache.clear()
    return world


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def _table(html: str, table_id: str) -> str:
    return html.split(f'id="{table_id}"')[1].split("</table>", maxsplit=1)[0]


def test_ikvd_sees_the_nation_by_municipality_and_subject(client, teaching):
    html = _client(client, teaching, "analyst").get(URL).content.decode()
    key = _table(html, "teaching-key")
    # Nation, 2024/25: 3 of 7 teacher rows of known age near retirement (42.9 %); 4 teacher vacancies, on average
    # 90.75 days open.
    assert "42.9" in key and "90.8" in key
    subjects = _table(html, "teaching-subjects")
    assert "Mathematics" in subjects and "66.7" in subjects  # 2 open MAT vacancies per 3 MAT teachers
    units = _table(html, "teaching-units")
    assert teaching["a1"].municipality.name_en in units and teaching["b1"].municipality.name_en in units
    assert "teaching-not-received" not in html and "teaching-partial" not in html
    ages = _table(html, "teaching-ages")
    assert "65 and over" in ages
    assert 'data-chart="teacher-ages"' in html


def test_founder_sees_only_its_municipality(client, teaching):
    c = _client(client, teaching, "founder_riga")
    html = c.get(URL).content.decode()
    assert teaching["a1"].municipality.name_en in html
    units = _table(html, "teaching-units")
    assert teaching["a1"].name in units and teaching["b1"].name not in units
    # Riga: 2 of 5 known ages near retirement.
    assert ">40<" in _table(html, "teaching-key")
    assert c.get(URL + f"?municipality={teaching['b1'].municipality.code}").status_code == 404
    assert c.get(URL + f"?municipality={teaching['a1'].municipality.code}").status_code == 200
    assert _client(client, teaching, "head_a1").get(URL).status_code == 403


def test_a_year_of_first_format_files_says_no_data(client, teaching):
    html = _client(client, teaching, "analyst").get(URL + "?year=2023/2024").content.decode()
    assert 'id="teaching-partial"' in html
    assert 'id="teaching-ages-none"' in html and 'id="teaching-subjects-none"' in html
    key = _table(html, "teaching-key")
    near = key.split("Reaching retirement age within 5 years, %")[1].split("</tr>")[0]
    assert "no data" in near and ">0<" not in near
    unknown = key.split("Age unknown, %")[1].split("</tr>")[0]
    assert ">100<" in unknown


def test_a_year_without_staff_data_says_not_received(client, monitored):
    html = _client(client, monitored, "analyst").get(URL).content.decode()
    assert 'id="teaching-not-received"' in html


def test_exports(client, teaching):
    c = _client(client, teaching, "analyst")
    subjects = c.get(URL + "?format=csv&table=subjects").content.decode("utf-8-sig")
    assert "Mathematics" in subjects and "66.7" in subjects
    assert c.get(URL + "?format=xlsx&table=units").status_code == 200
    ages = c.get(URL + "?format=csv&table=age&raw=1").content.decode("utf-8-sig")
    assert "28.57142857" in ages  # 60-64: 2 of 7
    founder = _client(client, teaching, "founder_riga").get(URL + "?format=csv&table=units").content.decode(
        "utf-8-sig")
    assert teaching["b1"].name not in founder
