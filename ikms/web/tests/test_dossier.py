"""The institution dossier on hand-made stored results (the `monitored` fixture): one timeline of register
decisions, indicator changes, risk flags, visits, evaluations and tasks, newest first, filtered by kind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from ikms.accreditation.testing import new_case
from ikms.monitoring import services

pytestmark = pytest.mark.django_db


def reverse_lv(name, *args):
    """The Latvian (unprefixed) path, whatever language an earlier request left active."""
    with translation.override("lv"):
        return reverse(name, args=args)


def _client(client, world, role):
    client.force_login(world["users"][role])
    return client


def test_the_dossier_keeps_its_address_under_monitoring():
    assert reverse_lv("web:dossier", "4000000001") == "/monitoring/iestades/4000000001/lieta/"


def test_dossier_joins_decisions_indicators_flags_and_visits(client, monitored):
    admin = monitored["users"]["ikvd_admin"]
    a1 = monitored["a1"]
    services.visit_plan_add(actor=admin, institution=a1, planned_date=timezone.localdate() + dt.timedelta(days=9),
                            reason="risk", note="Kavējumi", school_year="2023/2024")
    html = _client(client, monitored, "founder_riga").get(
        f"/en/monitoring/iestades/{a1.registration_number}/lieta/").content.decode()
    assert "Institution registered (decision " in html  # the registration decision
    assert "Risk rule R2 triggered" in html and "Risk rule R4 triggered again" in html
    assert "rose from 3 in 2022/2023 to 12 in 2023/2024" in html  # long-term absentees, semester 1 and 2
    assert "Visit planned" not in html  # the visit plan is IKVD's (VISIT policy), on the dossier too
    staff = _client(client, monitored, "analyst").get(
        f"/en/monitoring/iestades/{a1.registration_number}/lieta/").content.decode()
    assert "Visit planned: risk-based" in staff
    # newest first
    assert staff.index("Visit planned") < staff.index("Institution registered")
    only_risks = _client(client, monitored, "founder_riga").get(
        f"/en/monitoring/iestades/{a1.registration_number}/lieta/?kind=risk").content.decode()
    assert "Institution registered" not in only_risks and "Risk rule R2" in only_risks


def test_dossier_shows_evaluations_and_tasks(client, monitored):
    a1 = monitored["a1"]
    case = new_case(institution=a1, head=monitored["users"]["head_a1"])
    html = _client(client, monitored, "founder_riga").get(
        f"/en/monitoring/iestades/{a1.registration_number}/lieta/?kind=evaluation").content.decode()
    assert "Accreditation of the institution: application submitted" in html
    assert reverse_lv("accreditation:case-detail", case.pk).split("/lietas/")[1] in html
    assert "Institution registered" not in html
