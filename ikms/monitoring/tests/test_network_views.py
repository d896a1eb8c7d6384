"""The school network pages (issue 15 item 1) on a tiny lake of the `world` schools: IKVD sees every
municipality, a founder its own (another one: 404); "no data" where the declared children or a capacity were
not received; CSV/XLSX exports."""

import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from analytics.lake.schemas import DATASETS, INSTITUTIONS, partition_dir

pytestmark = pytest.mark.django_db
YEARS = ("2023/2024", "2024/2025")


def _write(root: Path, dataset: str, year: str, columns: dict) -> None:
    schema = INSTITUTIONS.schema if dataset == "institutions" else DATASETS[dataset].schema
    folder = root / dataset / partition_dir(year)
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), folder / "part-0.parquet")


@pytest.fixture
def lake(world, tmp_path, settings):
    """a1 (Riga): 30 learners a year in grades 1-3, capacity 60; b1 (Ogre): 12 learners, no capacity. The
    population register's count came for Riga only."""
    a1, b1 = world["a1"].registration_number, world["b1"].registration_number
    for t, year in enumerate(YEARS):
        rows = [(f"a{t}-{i}", a1, 1 + i % 3) for i in range(30)] + [(f"b{t}-{i}", b1, 1 + i % 3) for i in range(12)]
        _write(tmp_path, "enrolments", year, {
            "learner_id": [r[0] for r in rows], "institution": [r[1] for r in rows],
            "programme_code": ["21011111"] * len(rows), "level": ["basic"] * len(rows),
            "special": [False] * len(rows), "grade": [r[2] for r in rows],
            "class_id": [f"{r[2]}a" for r in rows], "start_date": [datetime.date(2023, 9, 1)] * len(rows),
            "end_date": [None] * len(rows)})
        _write(tmp_path, "institutions", year, {
            "institution": [a1, b1], "name": [world["a1"].name, world["b1"].name], "type": ["secondary"] * 2,
            "kind": ["general"] * 2, "municipality": ["LV-RIX", "LV-067"], "founder_kind": ["municipality"] * 2,
            "capacity": [60, None]})
        _write(tmp_path, "classes", year, {
            "institution": [a1] * 3 + [b1] * 2, "class_id": ["1a", "2a", "3a", "1b", "2b"],
            "grades": ["1", "2", "3", "1", "2,3"], "combined": [False, False, False, False, True],
            "learners": [10, 10, 10, 4, 8]})
    _write(tmp_path, "declared_children", YEARS[-1], {
        "declared_municipality": ["LV-RIX"] * 4, "birth_year": [2016, 2017, 2018, 2019], "children": [11, 10, 9, 8],
        "as_of": [datetime.date(2024, 7, 1)] * 4})
    settings.IKMS_LAKE_DIR = tmp_path
    return world


def _get(client, user, name, **query):
    client.force_login(user)
    return client.get(reverse(name), query)


def test_ikvd_sees_every_municipality(client, lake):
    page = _get(client, lake["users"]["analyst"], "monitoring:network")
    text = page.content.decode()
    assert page.status_code == 200
    assert lake["a1"].name in text and lake["b1"].name in text and 'id="network-municipalities"' in text
    csv = _get(client, lake["users"]["analyst"], "monitoring:network", format="csv").content.decode("utf-8-sig")
    a1_line = next(line for line in csv.splitlines() if lake["a1"].registration_number in line)
    # 30 learners, 3 classes, none combined, all 3 under Riga's minimum of 20, average 10, no learners per teacher
    # computed (no run), capacity 60 → 50 %, a small school
    assert a1_line.endswith(",Rīga,30,3,0,3,10,,60,50,jā")
    b1_line = next(line for line in csv.splitlines() if lake["b1"].registration_number in line)
    # 12 learners, 2 classes (1 combined; 4 and 8 learners: the 4 under the novads minimum of 8), average 6, no
    # capacity recorded: empty (no data), not 0
    assert b1_line.endswith(",12,2,1,1,6,,,,jā")
    assert _get(client, lake["users"]["analyst"], "monitoring:network", format="xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_founder_sees_only_its_municipality(client, lake):
    ogre = lake["users"]["founder_ogre"]
    page = _get(client, ogre, "monitoring:network")
    text = page.content.decode()
    assert page.status_code == 200 and lake["b1"].name in text and lake["a1"].name not in text
    # b1: one combined class, 2 classes under the novads minimum of grades 1-6 (4 and 8 learners)
    assert "Nav datu par noslodzi" in text or "no design capacity" in text
    assert _get(client, ogre, "monitoring:network", municipality="LV-RIX").status_code == 404
    assert _get(client, ogre, "monitoring:network-projection", municipality="LV-RIX").status_code == 404
    csv = _get(client, ogre, "monitoring:network", format="csv").content.decode("utf-8-sig")
    assert lake["a1"].registration_number not in csv and lake["b1"].registration_number in csv


def test_projection_and_the_no_data_case(client, lake):
    analyst = lake["users"]["analyst"]
    page = _get(client, analyst, "monitoring:network-projection", municipality="LV-RIX")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="projection-bands"' in text and lake["a1"].name in text
    # entry rate: 10 grade-1 learners in each of 2023 and 2024 over 11 (born 2016) + 10 (born 2017) = 20/21
    assert "0,952" in text
    csv = _get(client, analyst, "monitoring:network-projection", municipality="LV-RIX", format="csv",
               table="schools").content.decode("utf-8-sig")
    assert lake["a1"].registration_number in csv
    # Ogre: the count of declared children was not received → no data, no projection
    none = _get(client, analyst, "monitoring:network-projection", municipality="LV-067").content.decode()
    assert 'id="projection-bands"' not in none and "declared_children" in none
    # the founder of Riga sees its own projection
    assert _get(client, lake["users"]["founder_riga"], "monitoring:network-projection").status_code == 200


def test_english(client, lake):
    client.force_login(lake["users"]["analyst"])
    page = client.get("/en" + reverse("monitoring:network-projection"), {"municipality": "LV-RIX"})
    assert page.status_code == 200 and "Assumptions" in page.content.decode()
