"""The monitoring REST API: scoped exactly like the pages (founders their institutions, municipality and the
nation; heads their institution; IKVD staff everything; risk flags as on the pages, ADR 0016; the risk list
and the visit plan for IKVD staff only; runs scoped),
filters, pagination, the visit plan written through the services, flags with their evidence in sentences."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from ikms.core.models import AuditEvent
from ikms.monitoring import selectors
from ikms.monitoring.models import ComputationRun, IndicatorValue, RiskFlag, VisitPlanEntry
from ikms.monitoring.testing import store_run

pytestmark = pytest.mark.django_db

API = "/api/v1/monitoring/"
SOON = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()


def _as(client, monitored, role: str):
    client.force_login(monitored["users"][role])
    return client


def _units(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {r["unit"] for r in response.json()["results"]}


def _all(client, url: str, **query) -> list[dict]:
    """Every row of a paginated list."""
    rows, page = [], 1
    while True:
        response = client.get(url, {**query, "page": page, "page_size": 500})
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        if not response.json()["next"]:
            return rows
        page += 1


def _numbers(monitored, *keys) -> set[str]:
    return {monitored[k].registration_number for k in keys}


# --- values: scoping -----------------------------------------------------------------------------------------


def test_ikvd_staff_see_every_unit(client, monitored):
    _as(client, monitored, "analyst")
    units = {r["unit"] for r in _all(client, f"{API}values/", indicator="learners_enrolled")}
    assert units == _numbers(monitored, "a1", "a2", "b1") | {"LV-RIX", "LV-067", "LV"}


@pytest.mark.parametrize(("role", "institutions", "municipalities"), [
    ("founder_riga", ("a1", "a2"), {"LV-RIX"}),
    ("founder_ogre", ("b1",), {"LV-067"}),
    ("head_a1", ("a1",), set()),
])
def test_founders_and_heads_see_the_units_whose_pages_they_open(client, monitored, role, institutions,
                                                                municipalities):
    """Their institutions, a founder its municipality; the nation's page is IKVD's (ADR 0017)."""
    _as(client, monitored, role)
    units = {r["unit"] for r in _all(client, f"{API}values/", indicator="learners_enrolled")}
    assert units == _numbers(monitored, *institutions) | municipalities
    rows = _all(client, f"{API}values/")  # no filter at all: still only their units
    assert {r["unit"] for r in rows} == units
    assert client.get(f"{API}values/", {"grain": "nation"}).status_code == 403


def test_an_institutions_row_carries_the_dashboards_comparisons(client, monitored):
    """The institution's dashboard shows its municipality's and the nation's value beside its own; the API
    row gives the same two numbers, also to a head who may not open those pages."""
    _as(client, monitored, "head_a1")
    row = next(r for r in _all(client, f"{API}values/", indicator="learners_enrolled") if not r["level"])
    _as(client, monitored, "analyst")
    def value(unit):
        return next(r["value"] for r in _all(client, f"{API}values/", indicator="learners_enrolled", unit=unit)
                    if not r["level"] and r["semester"] == row["semester"] and r["category"] == row["category"])
    assert row["municipality_value"] == value("LV-RIX") and row["nation_value"] == value("LV")
    assert row["municipality_value"] is not None and row["nation_value"] is not None


@pytest.mark.parametrize("role", ["founder_ogre", "head_a1"])
def test_an_invisible_unit_is_a_404_like_a_missing_one(client, monitored, role):
    _as(client, monitored, role)
    other = monitored["a2"].registration_number  # Riga's pre-school: neither Ogre's nor head A1's
    assert client.get(f"{API}values/", {"unit": other}).status_code == 404
    assert client.get(f"{API}values/", {"unit": "9999999999"}).status_code == 404
    assert client.get(f"{API}values/", {"unit": "LV-067" if role == "head_a1" else "LV-RIX"}).status_code == 404
    assert client.get(f"{API}values/", {"unit": "LV"}).status_code == 403  # the nation's page is IKVD's


def test_ikvd_staff_get_404_only_for_missing_units(client, monitored):
    _as(client, monitored, "ikvd_admin")
    assert _units(client.get(f"{API}values/", {"unit": "LV-067"})) == {"LV-067"}
    assert client.get(f"{API}values/", {"unit": "LV-XXX"}).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("anonymous", 403), ("accreditation_expert", 403),
                                              ("no_role", 403), ("registry_officer", 200)])
def test_who_may_use_the_monitoring_api(client, monitored, role, status):
    if role != "anonymous":
        _as(client, monitored, role)
    for path in ("values/", "indicators/", "runs/"):
        assert client.get(API + path).status_code == status, path


# --- values: filters, defaults, recomputations, pagination ---------------------------------------------------


def test_values_default_to_the_latest_school_year_and_filter(client, monitored):
    _as(client, monitored, "ikvd_admin")
    a1 = monitored["a1"].registration_number
    latest = client.get(f"{API}values/", {"unit": a1, "indicator": "learners_enrolled"}).json()["results"]
    assert [(r["school_year"], r["value"], r["grain"]) for r in latest] == [("2023/2024", 120.0, "institution")]
    older = client.get(f"{API}values/", {"unit": a1, "indicator": "learners_enrolled",
                                         "school_year": "2022/2023"}).json()["results"]
    assert [r["value"] for r in older] == [110.0]
    semester2 = client.get(f"{API}values/", {"indicator": "learners_over_unexcused_lessons_threshold",
                                             "semester": 2, "grain": "municipality"}).json()["results"]
    assert {(r["unit"], r["semester"], r["value"]) for r in semester2} == {("LV-RIX", 2, 13.0), ("LV-067", 2, 0.0)}
    exams = client.get(f"{API}values/", {"category": "MAT", "grain": "nation"},
                       HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [(r["indicator"], r["value"], r["slice_label"]) for r in exams] == [
        ("exam_mean_score", 50.0, "Mathematics (secondary)")]
    secondary = client.get(f"{API}values/", {"level": "secondary", "unit": a1}).json()["results"]
    assert {r["indicator"] for r in secondary} == {"long_term_unexcused_absentees"}
    assert client.get(f"{API}values/", {"school_year": "1999/2000"}).json()["count"] == 0


def test_values_under_the_disclosure_minimum_are_marked_for_staff(client, monitored):
    _as(client, monitored, "founder_riga")
    rows = client.get(f"{API}values/", {"unit": monitored["a2"].registration_number,
                                        "indicator": "average_class_size"}).json()["results"]
    assert [(r["denominator"], r["suppressed"]) for r in rows] == [(5.0, False)]
    rows = client.get(f"{API}values/", {"unit": monitored["a2"].registration_number,
                                        "indicator": "learners_over_unexcused_lessons_threshold"}).json()["results"]
    assert {r["suppressed"] for r in rows} == {True}  # 4 learners


@pytest.mark.parametrize(("query", "field"), [
    ({"school_year": "2023-2024"}, "school_year"), ({"indicator": "no_such_indicator"}, "indicator"),
    ({"grain": "county"}, "grain"), ({"semester": "3"}, "semester"), ({"semester": "x"}, "semester"),
])
def test_bad_filters_are_a_400_with_the_message(client, monitored, query, field):
    _as(client, monitored, "ikvd_admin")
    response = client.get(f"{API}values/", query)
    assert response.status_code == 400
    body = response.json()
    assert set(body["extra"]) == {field} and body["message"]


def test_bad_filter_message_in_latvian_and_english(client, monitored):
    _as(client, monitored, "ikvd_admin")
    lv = client.get(f"{API}values/", {"school_year": "2023"}).json()["message"]
    en = client.get(f"{API}values/", {"school_year": "2023"}, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert en == "Enter the school year as YYYY/YYYY, for example 2023/2024."
    assert lv != en and "2023/2024" in lv
    en = client.get(f"{API}values/", {"indicator": "nope"}, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert en.startswith("Unknown value “nope” of the parameter “indicator”; allowed values: ")
    assert "learners_enrolled" in en


def test_a_single_institution_recomputation_is_honoured(client, monitored):
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    store_run("2023/2024", [{"indicator": "learners_enrolled", "grain": "institution", "unit": a1, "value": 125,
                             "numerator": 125, "denominator": 125}], scope=[a1], minutes_ago=5)
    _as(client, monitored, "ikvd_admin")
    rows = client.get(f"{API}values/", {"indicator": "learners_enrolled", "grain": "institution"}).json()["results"]
    by_unit = {r["unit"]: r["value"] for r in rows}
    assert by_unit[a1] == 125.0 and by_unit[b1] == 60.0


def test_values_are_paginated(client, monitored):
    _as(client, monitored, "ikvd_admin")
    everything = client.get(f"{API}values/", {"page_size": 500}).json()
    first = client.get(f"{API}values/", {"page_size": 10}).json()
    assert first["count"] == everything["count"] > 10
    assert len(first["results"]) == 10 and first["results"] == everything["results"][:10]
    assert "page=2" in first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["results"] == everything["results"][10:20]
    assert client.get(f"{API}values/", {"page": 999}).status_code == 404
    grains = [r["grain"] for r in everything["results"]]
    assert grains == sorted(grains, key=["nation", "municipality", "institution"].index)


# --- the catalogue and the runs ------------------------------------------------------------------------------


def test_indicator_catalogue(client, monitored):
    _as(client, monitored, "head_a1")
    data = client.get(f"{API}indicators/", {"page_size": 500}).json()
    assert data["count"] == len(selectors.indicators())
    enrolled = next(i for i in data["results"] if i["code"] == "learners_enrolled")
    assert enrolled["name_en"] == "Learners enrolled" and enrolled["unit"] == "count"
    assert enrolled["min_denominator"] == 5 and enrolled["theme"] == "institutions" and enrolled["version"]
    absences = client.get(f"{API}indicators/", {"theme": "absences"}).json()["results"]
    assert absences and {i["theme"] for i in absences} == {"absences"}
    percent = client.get(f"{API}indicators/", {"type": "ratio", "page_size": 500}).json()["results"]
    assert {i["type"] for i in percent} == {"ratio"}
    detail = client.get(f"{API}indicators/learners_enrolled/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["name"] == "Learners enrolled"
    assert client.get(f"{API}indicators/no_such_code/").status_code == 404
    assert client.get(f"{API}indicators/", {"theme": "weather"}).status_code == 400


def test_runs(client, monitored):
    _as(client, monitored, "founder_ogre")
    runs = client.get(f"{API}runs/").json()["results"]
    assert [r["school_year"] for r in runs] == ["2023/2024", "2022/2023"]  # newest first
    run = runs[0]
    assert run["engine"] == "duckdb" and run["status"] == "done" and run["scope"] == []
    assert run["snapshot"] == {"datasets": ["enrolments"], "files": 1, "data_as_of": "2025-06-30 12:00:00"}
    assert run["spec_version"] == "0" * 64
    assert run["flag_count"] == 1  # Ogre's b1 (R1); the run raised 3, the other two are Riga's (ADR 0016)
    assert [r["id"] for r in client.get(f"{API}runs/", {"school_year": "2022/2023"}).json()["results"]] == \
        [runs[1]["id"]]
    assert client.get(f"{API}runs/{run['id']}/").json()["id"] == run["id"]
    assert client.get(f"{API}runs/999999/").status_code == 404
    assert client.get(f"{API}runs/", {"status": "exploded"}).status_code == 400


def _recomputations(monitored):
    """Two later single-institution runs: one of Riga's a1 and Ogre's b1 together, one of b1 alone."""
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    both = store_run("2023/2024", [{"indicator": "learners_enrolled", "grain": "institution", "unit": u, "value": 9,
                                    "numerator": 9, "denominator": 9} for u in (a1, b1)],
                     [{"rule": "R2", "institution": a1}, {"rule": "R1", "institution": b1}], scope=[a1, b1],
                     minutes_ago=5)
    ogre = store_run("2023/2024", [{"indicator": "learners_enrolled", "grain": "institution", "unit": b1,
                                    "value": 8, "numerator": 8, "denominator": 8}],
                     [{"rule": "R1", "institution": b1}], scope=[b1], minutes_ago=2)
    return both, ogre


def test_ikvd_staff_see_every_run_with_its_national_counts(client, monitored):
    both, ogre = _recomputations(monitored)
    _as(client, monitored, "analyst")
    runs = client.get(f"{API}runs/").json()["results"]
    assert [r["id"] for r in runs[:2]] == [ogre.pk, both.pk] and len(runs) == 4
    assert runs[1]["scope"] == sorted(both.scope) and runs[1]["flag_count"] == 2 and runs[1]["value_count"] == 2
    complete = ComputationRun.objects.get(pk=runs[2]["id"])
    assert runs[2]["flag_count"] == complete.flag_count == 3
    assert runs[2]["value_count"] == complete.value_count == IndicatorValue.objects.filter(run=complete).count()
    assert client.get(f"{API}runs/{ogre.pk}/").json()["scope"] == [monitored["b1"].registration_number]


@pytest.mark.parametrize(("role", "institutions", "units"), [
    ("founder_riga", ("a1", "a2"), {"LV-RIX"}),
    ("head_a1", ("a1",), set()),
])
def test_founders_and_heads_see_runs_only_within_their_scope(client, monitored, role, institutions, units):
    both, ogre = _recomputations(monitored)
    own = _numbers(monitored, *institutions)
    _as(client, monitored, role)
    runs = client.get(f"{API}runs/").json()["results"]
    assert ogre.pk not in {r["id"] for r in runs}  # another founder's institution recomputed alone
    assert client.get(f"{API}runs/{ogre.pk}/").status_code == 404
    assert len(runs) == 3 and runs[0]["id"] == both.pk
    shared = client.get(f"{API}runs/{both.pk}/").json()
    assert shared["scope"] == [monitored["a1"].registration_number]  # b1 is not listed
    assert shared["flag_count"] == 1 and shared["value_count"] == 1
    complete = runs[1]
    assert complete["scope"] == []
    assert complete["flag_count"] == RiskFlag.objects.filter(run_id=complete["id"], institution__in=own).count() == 2
    assert complete["value_count"] == IndicatorValue.objects.filter(
        run_id=complete["id"], unit__in=own | units).count() < \
        IndicatorValue.objects.filter(run_id=complete["id"]).count()


# --- risk flags and the risk list ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["founder_riga", "head_a1", "accreditation_expert", "no_role"])
def test_the_risk_list_and_visits_are_for_ikvd_staff_only(client, monitored, role):
    _as(client, monitored, role)
    for path in ("risks/", "visits/"):
        assert client.get(API + path).status_code == 403, path


@pytest.mark.parametrize("role", ["accreditation_expert", "no_role", "anonymous"])
def test_flags_are_never_for_the_public_or_other_roles(client, monitored, role):
    if role != "anonymous":
        _as(client, monitored, role)
    flag = RiskFlag.objects.first()
    for path in ("flags/", f"flags/{flag.pk}/"):
        assert client.get(API + path).status_code == 403, path


@pytest.mark.parametrize(("role", "expected"), [
    ("analyst", {("a1", "R2"), ("a1", "R4"), ("b1", "R1")}),
    ("registry_officer", {("a1", "R2"), ("a1", "R4"), ("b1", "R1")}),
    ("founder_riga", {("a1", "R2"), ("a1", "R4")}),
    ("founder_ogre", {("b1", "R1")}),
    ("head_a1", {("a1", "R2"), ("a1", "R4")}),
])
def test_flags_are_scoped_as_on_the_pages(client, monitored, role, expected):
    """ADR 0016: the API gives each user exactly the flags its pages show."""
    numbers = {monitored[k].registration_number: k for k in ("a1", "a2", "b1")}
    _as(client, monitored, role)
    flags = _all(client, f"{API}flags/")
    assert {(numbers[f["institution"]], f["rule"]) for f in flags} == expected
    shown = {(numbers[f.institution], f.rule)
             for f in selectors.risk_flags_visible_to(monitored["users"][role], "2023/2024")}
    assert shown == expected
    for f in flags:
        assert client.get(f"{API}flags/{f['id']}/").json()["rule"] == f["rule"]
    if role in ("founder_riga", "head_a1"):  # their own municipality narrows; another is a 404
        riga = _all(client, f"{API}flags/", municipality="LV-RIX")
        assert {(numbers[f["institution"]], f["rule"]) for f in riga} == expected
        assert client.get(f"{API}flags/", {"municipality": "LV-067"}).status_code == 404


def test_another_founders_institution_is_a_404_in_both_channels(client, monitored):
    a1 = monitored["a1"].registration_number
    a1_flag = RiskFlag.objects.filter(institution=a1, school_year="2022/2023").get()  # an older year's, too
    _as(client, monitored, "founder_ogre")
    assert client.get(f"{API}flags/", {"institution": a1}).status_code == 404
    assert client.get(f"{API}flags/{a1_flag.pk}/").status_code == 404
    assert client.get(f"{API}flags/", {"municipality": "LV-RIX"}).status_code == 404
    assert client.get(f"/monitoring/iestades/{a1}/").status_code == 404
    assert client.get(f"/monitoring/iestades/{a1}/lieta/").status_code == 404
    _as(client, monitored, "founder_riga")
    assert client.get(f"{API}flags/{a1_flag.pk}/").json()["institution"] == a1
    b1_flag = RiskFlag.objects.get(institution=monitored["b1"].registration_number)
    assert client.get(f"{API}flags/{b1_flag.pk}/").status_code == 404


def test_a_founders_pages_show_the_flags_its_api_gives(client, monitored):
    a1 = monitored["a1"].registration_number
    _as(client, monitored, "founder_riga")
    rules = sorted(f["rule"] for f in _all(client, f"{API}flags/", institution=a1))
    assert rules == ["R2", "R4"]
    municipality = client.get("/en/monitoring/pasvaldibas/LV-RIX/").content.decode()
    row = re.search(rf'data-institution="{a1}".*?</tr>', municipality, re.S).group(0)
    assert "Risk rules triggered" in municipality
    assert sorted(re.findall(r"<li data-rule>[^<]*\((R\d+)\)", row)) == rules
    dossier = client.get(f"/en/monitoring/iestades/{a1}/lieta/").content.decode()
    assert all(f"Risk rule {r}" in dossier for r in rules)


def test_flags_with_evidence_sentences(client, monitored):
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    _as(client, monitored, "supervision_inspector")
    flags = client.get(f"{API}flags/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert {(f["institution"], f["rule"]) for f in flags} == {(a1, "R2"), (a1, "R4"), (b1, "R1")}
    r2 = next(f for f in flags if f["rule"] == "R2")
    assert r2["evidence"]["threshold"] == 1.0 and r2["evidence"]["periods"]["2023/2024"][0]["value"] == 12.0
    assert r2["evidence_sentences"] == [
        "In semester 2 of 2023/2024, 12 learners missed more than 20 lessons without a valid reason (of 120 learners "
        "in all); the rule: at least 1 learner."]
    assert r2["institution_name"] == "Rīgas Testa vidusskola" and r2["municipality"] == "LV-RIX"
    assert r2["importance"] in ("high", "medium", "low") and r2["rule_name"]
    assert r2["school_year"] == "2023/2024"
    lv = client.get(f"{API}flags/{r2['id']}/").json()
    assert lv["evidence_sentences"] == [
        "Mācību gada 2023/2024 2. semestrī 12 izglītojamo bez attaisnojoša iemesla kavēja vairāk nekā 20 mācību "
        "stundu (iestādē kopā 120 izglītojamo); noteikums: vismaz 1 izglītojamais."]


def test_flag_filters(client, monitored):
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    _as(client, monitored, "analyst")

    def pairs(**query):
        response = client.get(f"{API}flags/", query)
        assert response.status_code == 200, response.content
        return {(f["institution"], f["rule"]) for f in response.json()["results"]}

    assert pairs(rule="R1") == {(b1, "R1")}
    assert pairs(institution=a1) == {(a1, "R2"), (a1, "R4")}
    assert pairs(municipality="LV-067") == {(b1, "R1")}
    assert pairs(school_year="2022/2023") == {(a1, "R4")}
    assert pairs(school_year="2022/2023", rule="R2") == set()
    assert client.get(f"{API}flags/", {"rule": "R99"}).status_code == 400
    assert client.get(f"{API}flags/", {"institution": "9999999999"}).status_code == 404
    assert client.get(f"{API}flags/", {"municipality": "LV-XXX"}).status_code == 404
    assert client.get(f"{API}flags/999999/").status_code == 404


def test_risk_list_ranks_institutions(client, monitored):
    a1, b1 = monitored["a1"].registration_number, monitored["b1"].registration_number
    _as(client, monitored, "quality_expert")
    ranked = client.get(f"{API}risks/").json()["results"]
    assert [r["institution"] for r in ranked] == [a1, b1]
    assert ranked[0]["rules"] == ["R2", "R4"] and ranked[0]["score"] > ranked[1]["score"]
    assert ranked[0]["planned_visit"] is None and len(ranked[0]["flags"]) == 2
    assert [r["institution"] for r in client.get(f"{API}risks/", {"rule": "R1"}).json()["results"]] == [b1]
    assert [r["institution"] for r in client.get(f"{API}risks/", {"municipality": "LV-RIX"}).json()["results"]] \
        == [a1]
    assert client.get(f"{API}risks/", {"min_score": ranked[0]["score"]}).json()["count"] == 1


# --- the visit plan ------------------------------------------------------------------------------------------


def test_plan_a_visit_and_change_its_status(client, monitored):
    a1 = monitored["a1"]
    _as(client, monitored, "quality_expert")
    response = client.post(f"{API}visits/", {"institution": a1.registration_number, "planned_date": SOON,
                                             "reason": "risk", "school_year": "2023/2024"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["rules"] == ["R2", "R4"] and entry["status"] == "planned" and entry["created_by"] == "quality"
    assert VisitPlanEntry.objects.get(pk=entry["id"]).institution == a1
    assert AuditEvent.objects.filter(action="monitoring.visit_planned").count() == 1
    ranked = client.get(f"{API}risks/").json()["results"]
    assert ranked[0]["planned_visit"] == entry["id"]
    assert [v["id"] for v in client.get(f"{API}visits/", {"status": "planned"}).json()["results"]] == [entry["id"]]
    assert client.get(f"{API}visits/", {"status": "done"}).json()["count"] == 0

    again = client.post(f"{API}visits/", {"institution": a1.registration_number, "planned_date": SOON,
                                          "reason": "complaint"}, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert again.json()["message"] == "This institution is already on the visit plan."

    url = f"{API}visits/{entry['id']}/status/"
    no_note = client.post(url, {"status": "cancelled"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert no_note.status_code == 400 and no_note.json()["extra"] == {"note": ["Say why the visit is cancelled."]}
    done = client.post(url, {"status": "done", "note": "Visited on time."}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert client.get(f"{API}visits/{entry['id']}/").json()["status_note"] == "Visited on time."
    twice = client.post(url, {"status": "cancelled", "note": "x"}, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="en")
    assert twice.status_code == 400 and twice.json()["message"] == "Only a planned visit can change its status."
    assert client.post(f"{API}visits/999999/status/", {"status": "done"},
                       content_type="application/json").status_code == 404


A1 = "A1"  # replaced by institution A1's registration number


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"institution", "planned_date", "reason"}),
    ({"institution": "4999999999", "planned_date": SOON, "reason": "complaint"}, {"institution"}),
    ({"institution": A1, "planned_date": "soon", "reason": "whim"}, {"planned_date", "reason"}),
    ({"institution": A1, "planned_date": "2020-01-01", "reason": "complaint"}, {"planned_date"}),
    ({"institution": A1, "planned_date": SOON, "reason": "risk"}, {"note"}),
    ({"institution": A1, "planned_date": SOON, "reason": "risk", "school_year": "24/25"}, {"school_year"}),
])
def test_visit_validation_errors(client, monitored, body, fields):
    if body.get("institution") == A1:
        body = {**body, "institution": monitored["a1"].registration_number}
    _as(client, monitored, "ikvd_admin")
    response = client.post(f"{API}visits/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert set(response.json()["extra"]) == fields and response.json()["message"]
    assert VisitPlanEntry.objects.count() == 0


def test_past_date_message_in_english(client, monitored):
    _as(client, monitored, "ikvd_admin")
    response = client.post(f"{API}visits/", {"institution": monitored["a1"].registration_number,
                                             "planned_date": "2020-01-01", "reason": "complaint"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"message": "The planned date cannot be in the past.",
                               "extra": {"planned_date": ["The planned date cannot be in the past."]}}


def test_visit_planning_rights(client, monitored):
    from ikms.monitoring.permissions import can_plan_visits

    body = {"institution": monitored["a1"].registration_number, "planned_date": SOON, "reason": "complaint"}
    readers = [r for r in ("registry_officer", "analyst", "quality_expert", "supervision_inspector")
               if not can_plan_visits(monitored["users"][r])]
    assert "registry_officer" in readers
    for role in readers:  # IKVD staff who read the plan but may not plan visits
        _as(client, monitored, role)
        assert client.get(f"{API}visits/").status_code == 200
        assert client.post(f"{API}visits/", body, content_type="application/json").status_code == 403
    for role in ("founder_riga", "head_a1"):
        _as(client, monitored, role)
        assert client.post(f"{API}visits/", body, content_type="application/json").status_code == 403
    assert VisitPlanEntry.objects.count() == 0


def test_session_posts_need_the_csrf_token(monitored):
    client = Client(enforce_csrf_checks=True)
    client.force_login(monitored["users"]["ikvd_admin"])
    body = {"institution": monitored["a1"].registration_number, "planned_date": SOON, "reason": "complaint"}
    assert client.post(f"{API}visits/", body, content_type="application/json").status_code == 403
    client.cookies["csrftoken"] = token = "0123456789abcdefghijklmnopqrstuv"
    response = client.post(f"{API}visits/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


# --- the schema and its documentation ------------------------------------------------------------------------


def test_schema_and_docs(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = [p for p in schema["paths"] if p.startswith(API)]
    assert len(paths) == 11
    values = schema["paths"][f"{API}values/"]["get"]
    assert {p["name"] for p in values["parameters"]} >= {"school_year", "indicator", "grain", "unit", "level",
                                                          "semester", "category", "page", "page_size"}
    assert set(values["responses"]) == {"200", "400", "403", "404"}
    assert set(schema["paths"][f"{API}visits/"]["post"]["responses"]) == {"201", "400", "403"}
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn" not in docs.content.lower()
    assert client.get("/api/redoc/").status_code == 200
    missing = client.get("/api/v1/institutions/not-a-number/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"  # as the schema says
    assert missing.json() == {"detail": "Not found."}
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_malformed_body_is_a_400_of_the_usual_shape(client, monitored):
    _as(client, monitored, "ikvd_admin")
    response = client.post(f"{API}visits/", b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"} and "non_field_errors" in response.json()["extra"]


def test_filter_text_reaches_the_cache_only_hashed(client, monitored):
    """Found by the API fuzzing: the risk ranking's cache key held the raw `type` filter, which memcached would
    refuse (spaces, control characters, over 250 characters) with a server error."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    _as(client, monitored, "ikvd_admin")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        response = client.get(f"{API}risks/", {"type": "a b\x0bč" + "x" * 30, "municipality": ""})
        assert response.status_code == 200 and response.json()["count"] == 0
        secondary = client.get(f"{API}risks/", {"type": "secondary"})
    assert [r["institution"] for r in secondary.json()["results"]] == [
        monitored["a1"].registration_number, monitored["b1"].registration_number]
