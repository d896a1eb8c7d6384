"""The school network pages (issue 15 item 1) on a tiny lake of the `world` schools: IKVD sees every
municipality, a founder its own (another one: 404); "no data" where the declared children or a capacity were
not received; CSV/XLSX exports."""

import pytest
from django.urls import reverse

from ikms.monitoring.testing import write_network_lake

pytestmark = pytest.mark.django_db


@pytest.fixture
def lake(world, tmp_path, settings):
    """The tiny lake of `write_network_lake`: a1 (Riga, capacity 60), b1 (Ogre, no capacity); declared children
    for Riga only."""
    write_network_lake(tmp_path, world)
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


def test_demo_capacities(lake, officer, settings):
    """The demo step: a capacity from the lake's learners for the general education schools (own stream: the
    same seed gives the same capacities), some changed by a recorded amendment decision."""
    from ikms.monitoring.network_demo import demo_capacities
    from ikms.registry.models import Decision, Institution

    before = Decision.objects.count()
    n = demo_capacities(lake_root=settings.IKMS_LAKE_DIR, seed=7, officer=officer)
    caps = dict(Institution.objects.filter(capacity__isnull=False).values_list("registration_number", "capacity"))
    assert n >= 1 and len(caps) == n and set(caps) <= {lake["a1"].registration_number, lake["b1"].registration_number}
    # a1 has 30 learners in the latest year: capacity ≥ 30 (margin ≥ 1, rounded to 10), or more after a decision
    assert all(c >= 20 and c % 10 == 0 for c in caps.values())
    assert Decision.objects.count() - before == min(5, n)
    assert all(d.changes["capacity"]["new"] > d.changes["capacity"]["old"]
               for d in Decision.objects.filter(reason="capacity"))


def test_national_projection_table(client, lake):
    """IKVD without a municipality: every municipality's learners now and in 5 years; Ogre has no declared
    children received, so no projection (no data, not 0)."""
    analyst = lake["users"]["analyst"]
    text = _get(client, analyst, "monitoring:network-projection").content.decode()
    assert 'id="projection-municipalities"' in text
    csv = _get(client, analyst, "monitoring:network-projection", format="csv").content.decode("utf-8-sig")
    lines = {line.split(",")[0]: line for line in csv.splitlines()[1:]}
    # Riga in 2024: 30 learners (a1); Ogre: no projection → empty cells
    assert lines["Rīga"].startswith("Rīga,2024,30,")
    assert lines["Ogres novads"] == "Ogres novads,,,,,"
