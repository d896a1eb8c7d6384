"""The general overview (issue 15, item 5) with the international study results (item 7): the key national series
over the years held with their data year and sources, "no data" for a missing year, a founder's municipality
beside the nation (and no other municipality), and the imported international results with their source."""

import re

import pytest
from django.core.cache import cache

from ikms.monitoring.international import DEMO_FILE, import_international_results
from ikms.monitoring.testing import store_run

pytestmark = pytest.mark.django_db

URL = "/monitoring/parskats/"


@pytest.fixture
def years(world):
    riga = world["a1"].municipality.code
    for year, n, size in (("2022/2023", 1000, None), ("2023/2024", 1100, 21.5)):
        rows = [{"indicator": "learners_enrolled", "grain": "nation", "unit": "LV", "value": n, "numerator": n,
                 "denominator": n},
                {"indicator": "learners_enrolled", "grain": "municipality", "unit": riga, "value": n / 10,
                 "numerator": n / 10, "denominator": n / 10}]
        if size is not None:
            rows.append({"indicator": "average_class_size", "grain": "nation", "unit": "LV", "value": size,
                         "numerator": size * 10, "denominator": 10})
        store_run(year, rows)
    cache.clear()
    return world


def _section(html: str, anchor: str) -> str:
    part = html[html.index(f'id="{anchor}"'):]
    return part[:part.index("</section>")]


def _cells(part: str) -> list[list[str]]:
    body = part[part.index("<tbody"):]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S)]


def test_ikvd_sees_the_national_series_with_no_data_years(client, years):
    client.force_login(years["users"]["analyst"])
    html = client.get(URL).content.decode()
    learners = _section(html, "series-learners_enrolled")
    assert _cells(learners) == [["2022/2023", "1\xa0000"], ["2023/2024", "1\xa0100"]]
    assert "2023/2024" in learners and "<code>enrolments</code>" in learners
    size = _section(html, "series-average_class_size")
    assert _cells(size) == [["2022/2023", "nav datu"], ["2023/2024", "21,5"]]
    wellbeing = _section(html, "series-wellbeing_pupil_index")
    assert "Nevienā mācību gadā nav datu." in wellbeing
    assert 'id="no-international"' in html


def test_founder_sees_its_municipality_beside_the_nation(client, years):
    client.force_login(years["users"]["founder_riga"])
    html = client.get(URL).content.decode()
    assert _cells(_section(html, "series-learners_enrolled"))[1] == ["2023/2024", "1\xa0100", "110"]
    client.force_login(years["users"]["founder_ogre"])
    assert client.get(URL, {"municipality": years["a1"].municipality.code}).status_code == 404


def test_international_results_with_year_and_source(client, years):
    import_international_results(DEMO_FILE)
    client.force_login(years["users"]["analyst"])
    html = client.get("/en" + URL).content.decode()
    table = html[html.index('id="international-table"'):]
    assert "PISA · 15 years" in table and "IKMS demo data" in table and "demonstration values" in table
    assert client.get(URL, {"format": "csv"}).status_code == 200


def test_no_results_at_all(client, world):
    client.force_login(world["users"]["analyst"])
    assert "series-learners_enrolled" not in client.get(URL).content.decode()
