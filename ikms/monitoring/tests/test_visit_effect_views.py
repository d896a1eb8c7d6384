"""The effect of visits page (issue 17, item 4) and its visits: accreditation evaluations and inspections reach
monitoring through the registered providers (ikms.monitoring.visits), never by import; IKVD staff see the nation
or a municipality, a founder only its own (another's is 404); the figures are the worked DiD of a hand-made
three-year table; too few institutions say so; the table exports to CSV."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from ikms.monitoring.models import VisitPlanEntry, VisitReason, VisitStatus
from ikms.monitoring.testing import store_run
from ikms.monitoring.visits import INSPECTION
from ikms.registry.testing import register_institution

YEARS = ("2022/2023", "2023/2024", "2024/2025")
URL = "/en/monitoring/vizisu-ietekme/"


@pytest.fixture
def visited(world, officer):
    """24 secondary schools of about 150 learners (one size band): a1, b1 and 22 more (11 in Riga, 11 in Ogre).
    Exam means: every school starts at 50 + k % 5; the 12 visited in 2023/2024 (a1, 10 more in Riga, one in
    Ogre; the visit plan's entries marked done) rise by 7 by 2024/2025, the 12 others by 2: DiD 5."""
    schools = [world["a1"], world["b1"]]
    for k in range(22):
        founder = world["riga"] if k < 11 else world["ogre"]
        schools.append(register_institution(actor=officer, founder=founder, name=f"Testa vidusskola {k}"))
    riga = [s for s in schools if s.municipality == world["a1"].municipality]
    treated = [*riga[:11], world["b1"]]
    staff = world["users"]["supervision_inspector"]
    for s in treated:
        VisitPlanEntry.objects.create(institution=s, planned_date=datetime.date(2023, 11, 15),
                                      reason=VisitReason.RISK, status=VisitStatus.DONE, created_by=staff)
    for i, year in enumerate(YEARS):
        rows = []
        for k, s in enumerate(schools):
            rise = (7 if s in treated else 2) if i == 2 else 0
            mean = 50 + k % 5 + rise
            rows.append({"indicator": "learners_enrolled", "grain": "institution", "unit": s.registration_number,
                         "value": 150, "numerator": 150, "denominator": 150})
            rows.append({"indicator": "exam_mean_score", "grain": "institution", "unit": s.registration_number,
                         "category": "MAT", "value": mean, "numerator": mean * 20, "denominator": 20})
        store_run(year, rows, minutes_ago=30 - i)
    cache.clear()
    return {**world, "treated": treated}


def _row(response, name: str) -> str:
    body = response.content.decode()
    start = body.index(name)
    return body[start:body.index("</tr>", start)]


@pytest.mark.django_db
def test_ikvd_sees_the_nations_did_with_its_institutions(client, visited):
    client.force_login(visited["users"]["analyst"])
    page = client.get(URL, {"kind": INSPECTION})
    assert page.status_code == 200
    row = _row(page, "Mean centralised examination score")
    # before 52.0 (visited: k % 5 means over 12 schools) → 59.0; comparison matched per cell; DiD 5; 12 and 12
    assert ">5<" in row and ">12<" in row
    assert "Improved more than comparable institutions" in row
    assert "Too few to tell" in _row(page, "Support staff FTE per 100 learners")  # no values: never a 0
    csv = client.get(URL, {"kind": INSPECTION, "format": "csv"})
    assert csv.status_code == 200 and "Mean centralised examination score" in csv.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_accreditation_visits_of_the_demo_kind_none_here_are_too_few(client, visited):
    client.force_login(visited["users"]["analyst"])
    page = client.get(URL)  # accreditation by default: none held
    assert "Too few to tell" in _row(page, "Mean centralised examination score")


@pytest.mark.django_db
def test_a_founder_sees_its_own_municipality_against_the_nation(client, visited):
    client.force_login(visited["users"]["founder_riga"])
    page = client.get(URL, {"kind": INSPECTION})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Visited institutions of this municipality against comparable institutions of the whole country" in body
    assert ">11<" in _row(page, "Mean centralised examination score")  # Riga's 11 visited schools
    assert client.get(URL, {"municipality": visited["ogre"].municipality.code}).status_code == 404
    client.force_login(visited["users"]["head_a1"])
    assert client.get(URL).status_code == 403
