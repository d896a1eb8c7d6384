"""The EQAVET page (issue 16): the ten indicators for IKVD staff (the nation or a municipality) and a founder (its
own municipality only), the engine's values, indicator 1 counted from the register, "No data" where a value is
missing (never 0), the lines saying which data the others lack, and the CSV export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from ikms.monitoring.testing import store_run
from ikms.registry.choices import DecisionKind
from ikms.registry.services import accreditation_decide
from ikms.registry.testing import decision_input, register_institution


def _values(grain: str, unit: str, learners: float, placement: float) -> list[dict]:
    return [{"indicator": "eqavet_vocational_learners", "grain": grain, "unit": unit, "value": learners,
             "numerator": learners},
            {"indicator": "eqavet_placement", "grain": grain, "unit": unit, "value": placement,
             "numerator": placement / 5, "denominator": 20},
            {"indicator": "eqavet_special_needs_learners", "grain": grain, "unit": unit, "value": 4.0,
             "numerator": learners / 25, "denominator": learners}]


@pytest.fixture
def eqavet(world):
    """Two vocational institutions in Riga, one accredited (from 1 June 2022 for six years); values of 2023/2024
    for the nation (120 learners, 75 % placed) and Riga (80, 70 %), none of early leaving (no next year yet);
    2022/2023 holds no EQAVET value."""
    officer, riga = world["users"]["registry_officer"], world["riga"]
    v1 = register_institution(actor=officer, founder=riga, type_code="vocational_secondary", name="Rīgas tehnikums")
    register_institution(actor=officer, founder=riga, type_code="vocational_secondary", name="Rīgas koledža")
    accreditation_decide(actor=world["users"]["ikvd_admin"], decision=decision_input(dt.date(2022, 6, 1)),
                         institution=v1, kind=DecisionKind.ACCREDITATION_GRANT)
    store_run("2022/2023", [{"indicator": "learners_enrolled", "grain": "nation", "unit": "LV", "value": 10.0,
                             "numerator": 10.0}], minutes_ago=30)
    store_run("2023/2024", _values("nation", "LV", 120.0, 75.0) + _values("municipality", "LV-RIX", 80.0, 70.0),
              minutes_ago=20)
    cache.clear()
    return world


def _as(client, world, role):
    client.force_login(world["users"][role])
    return client


def test_eqavet_for_ikvd_staff(client, eqavet):
    html = _as(client, eqavet, "analyst").get("/en/monitoring/eqavet/?year=2023/2024").content.decode()
    table = html.split('id="eqavet"')[1].split("</table>")[0]
    rows = table.split("<tr")[2:]
    assert len(rows) == 10
    assert "1. Relevance of quality assurance systems" in rows[0] and ">50 %<" in rows[0]  # 1 of 2 accredited
    assert ">120 learners<" in rows[2] and ">75 %<" in rows[4] and ">4 %<" in rows[7]
    assert "No data" in rows[3]  # early leaving needs the next school year: no data, not 0
    for i in (1, 5, 6, 8, 9):
        assert "Cannot be computed:" in rows[i]
    assert "training of teachers and trainers" in rows[1] and "labour-market follow-up" in rows[5]
    assert "qualitative indicator" in rows[8]
    assert "1 of 2 registered vocational institutions" in html
    years = html.split('id="eqavet-years"')[1].split("</table>")[0]
    assert "2022/2023" in years and "2023/2024" in years and 'id="eqavet-trend"' in html
    # A municipality chosen: Riga's values.
    riga = client.get("/en/monitoring/eqavet/?year=2023/2024&municipality=LV-RIX").content.decode()
    assert ">80 learners<" in riga.split('id="eqavet"')[1]
    csv = client.get("/en/monitoring/eqavet/?year=2023/2024&format=csv").content.decode("utf-8-sig").splitlines()
    assert len(csv) == 11 and csv[3].startswith("3. Participation rate in VET programmes,120,learners")
    assert "Cannot be computed" in csv[0] and csv[2].split(",")[1] == ""


def test_eqavet_for_a_founder_and_in_latvian(client, eqavet):
    html = _as(client, eqavet, "founder_riga").get("/monitoring/eqavet/?year=2023/2024").content.decode()
    table = html.split('id="eqavet"')[1].split("</table>")[0]
    assert ">80 izglītojamie<" in table and "Nevar aprēķināt:" in table
    assert "Nav datu par bezdarbu" in table  # indicator 7's lacking data, in Latvian
    assert client.get("/monitoring/eqavet/?municipality=LV-067").status_code == 404
    assert client.get("/monitoring/eqavet/?year=2023/2024&municipality=LV-RIX").status_code == 200
