"""Complaint trends by quarter against the same quarter a year before: counts, change and change in per cent, "no
data" (never a 0 base) where the earlier year holds no complaints, the page and its CSV/XLSX export."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ikms.complaints import selectors, services
from ikms.core.quarters import QuarterChange, compare_rows


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("lv"):
        yield


def _register(world, received_on, institution="a1", topics=("teacher_ethics",)):
    return services.complaint_register(
        actor=world["users"]["supervision_inspector"], channel="email", submitter_type="parent",
        text="Skolotāja kliedz uz bērniem.", received_on=received_on, institutions=[world[institution]],
        topics=list(topics), submitter_name="Anna Bērziņa", submitter_contact="anna@example.lv",
    )


def test_quarter_change_and_no_data():
    assert QuarterChange(1, 6, 4).change == 2 and QuarterChange(1, 6, 4).change_pct == 50.0
    assert QuarterChange(1, 3, 0).change == 3 and QuarterChange(1, 3, 0).change_pct is None  # a real 0 base
    none = QuarterChange(1, 3, None)
    assert none.change is None and none.change_pct is None
    rows = compare_rows({"a": [1, 0, 0, 2]}, {"b": [4, 0, 0, 0]})
    assert [r.label for r in rows] == ["a", "b"]
    a, b = rows
    assert [c.previous for c in a.quarters] == [0, 0, 0, 0] and a.total.count == 3 and a.total.previous == 0
    assert b.total.count == 0 and b.total.previous == 4 and b.total.change_pct == -100.0
    assert all(c.previous is None for c in compare_rows({"a": [1, 0, 0, 0]}, None)[0].quarters)


def test_each_quarter_against_the_year_before(world, client):
    # 2023: two in Q1, one in Q3; 2024: three in Q1 (one of them Ogre's), one in Q4.
    for day in (dt.date(2023, 2, 1), dt.date(2023, 3, 31), dt.date(2023, 8, 15)):
        _register(world, day)
    for day in (dt.date(2024, 1, 10), dt.date(2024, 2, 10), dt.date(2024, 12, 31)):
        _register(world, day)
    _register(world, dt.date(2024, 3, 1), institution="b1")
    trend = selectors.trends(2024)
    total = trend["compare_total"]
    assert [(c.count, c.previous, c.change) for c in total.quarters] == [(3, 2, 1), (0, 0, 0), (0, 1, -1), (1, 0, 1)]
    assert total.quarters[0].change_pct == 50.0 and total.quarters[2].change_pct == -100.0
    assert total.quarters[3].change_pct is None  # 0 the year before: no per cent, the change is given
    assert (total.total.count, total.total.previous) == (4, 3)
    ogre = next(r for r in trend["compare"]["municipality"] if r.label == str(world["b1"].municipality))
    assert (ogre.quarters[0].count, ogre.quarters[0].previous) == (1, 0)  # 2023 holds complaints: a real 0

    # 2023 against 2022, which holds none: no data, not 0.
    earlier = selectors.trends(2023)
    assert not earlier["previous_held"]
    assert all(c.previous is None and c.change is None for c in earlier["compare_total"].quarters)

    client.force_login(world["users"]["analyst"])
    html = client.get(reverse("complaints:trends") + "?year=2023").content.decode()
    assert 'id="compare-no-data"' in html and "nav datu" in html
    html = client.get(reverse("complaints:trends") + "?year=2024").content.decode()
    assert 'id="compare-total"' in html and 'id="compare-topic"' in html and "+50" in html
    assert 'id="compare-no-data"' not in html
    response = client.get(reverse("complaints:trends") + "?year=2024&format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1].split(",")[2:] == ["I", "3", "2", "1", "50"]
    response = client.get(reverse("complaints:trends") + "?year=2023&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][2:5] == ("I", 2, "nav datu") and rows[1][5] is None
