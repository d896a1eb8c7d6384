"""Licensing by quarter against the same quarter a year before: applications by kind, decisions by kind and
amendments by the VIIS entry, with "no data" (never a 0 base) where the earlier year holds none; the page, its
export, who may open it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ikms.licensing import selectors, services
from ikms.licensing.models import LicenceApplication
from ikms.registry import services as registry
from ikms.registry.choices import DecisionKind, LicenceEntryKind
from ikms.registry.services import PlaceInput
from ikms.registry.testing import decision_input


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.IKMS_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("en"):
        yield


def test_licensing_quarters_against_the_year_before(world, client):
    # The world licenses two programmes on 5 May 2021 (Q2). 2022: an amendment (a new place) in Q2, a licence in Q4,
    # an application in Q1.
    officer, a1 = world["users"]["registry_officer"], world["a1"]
    registry.programme_licence_change(
        actor=officer, decision=decision_input(dt.date(2022, 5, 10)), programme=world["programme_a"],
        kind=DecisionKind.LICENCE_AMEND, entry_kind=LicenceEntryKind.AMENDMENT, values={"name": "Jauns nosaukums"})
    registry.programme_license(
        actor=officer, decision=decision_input(dt.date(2022, 11, 2)), institution=a1, code="21011112",
        name="Pamatizglītības programma", form="full_time",
        places=[PlaceInput(address=a1.address, municipality=a1.municipality)])
    application = services.application_submit(
        actor=world["users"]["head_a1"], institution=a1, kind="amend", programme=world["programme_a"],
        code="21011111", name="Programma", form="full_time",
        places=[PlaceInput(address=a1.address, municipality=a1.municipality)])
    LicenceApplication.objects.filter(pk=application.pk).update(submitted_on=dt.date(2022, 2, 1))

    trend = selectors.quarterly_trends(2022)
    issue = next(r for r in trend["decisions"] if r.label == "Issue programme licence")
    assert [(c.count, c.previous) for c in issue.quarters] == [(0, 0), (0, 2), (0, 0), (1, 0)]
    assert issue.quarters[1].change == -2 and issue.quarters[1].change_pct == -100.0
    assert (issue.total.count, issue.total.previous) == (1, 2)
    amend = next(r for r in trend["decisions"] if r.label == "Amend programme licence")
    assert (amend.quarters[1].count, amend.quarters[1].previous, amend.quarters[1].change_pct) == (1, 0, None)
    [entry] = trend["amendments"]
    assert entry.label == str(LicenceEntryKind.AMENDMENT.label) and entry.total.count == 1
    assert entry.total.previous == 0  # 2021 holds decisions, none of them an amendment: a real 0
    # 2021 holds no applications: no data, not 0.
    assert not trend["applications_held_before"]
    applications = next(r for r in trend["applications"] if r.label == "An amendment of a licence")
    assert applications.quarters[0].count == 1 and applications.quarters[0].previous is None
    assert applications.total.change is None

    # 2021 against 2020 (the world's institutions were registered then, no licence decision): no data.
    earlier = selectors.quarterly_trends(2021)
    assert not earlier["decisions_held_before"]
    assert all(c.previous is None for r in earlier["decisions"] for c in r.quarters)

    url = reverse("licensing:quarterly")
    client.force_login(world["users"]["head_a1"])
    assert client.get(url).status_code == 403
    client.force_login(world["users"]["analyst"])
    html = client.get(url + "?year=2022").content.decode()
    assert 'id="quarterly-decisions"' in html and 'id="quarterly-amendments"' in html and "no data" in html
    assert "−100" in html or "-100" in html
    response = client.get(url + "?year=2022&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert ("Licensing decisions", "Issue programme licence", "II", 0, 2, -2, -100) in rows
    assert client.get(url + "?year=1700").status_code == 400
