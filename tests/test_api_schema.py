"""The OpenAPI schema at /api/schema/ is valid and precise, and the success answers that generated requests rarely
reach (they seldom name a real institution) match it. The generated requests themselves, every operation as
anonymous and as a user per kind of access, are in tests/test_api_fuzz.py."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from ikms.monitoring.models import RiskFlag
from tests.api_fuzzing import keep_test_connection, schema, session, supervised  # noqa: F401 (fixtures)

keeps_connection = pytest.mark.usefixtures("keep_test_connection")


@keeps_connection
def test_successful_answers_match_the_schema(client, monitored):
    """Planning a visit (201), the same again (400), cancelling it (200), reading it, a risk flag, a run, an
    institution and an indicator (200), as an IKVD administrator, checked against the schema."""
    a1 = monitored["a1"]
    call = session(client, monitored["users"]["ikvd_admin"])
    planned = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    created = schema["/api/v1/monitoring/visits/"]["POST"].Case(
        body={"institution": a1.registration_number, "planned_date": planned, "reason": "risk",
              "school_year": "2023/2024"}, media_type="application/json").call_and_validate(**call)
    assert created.status_code == 201, created.text
    entry = created.json()
    assert entry["rules"] == ["R2", "R4"]
    again = schema["/api/v1/monitoring/visits/"]["POST"].Case(
        body={"institution": a1.registration_number, "planned_date": planned, "reason": "complaint"},
        media_type="application/json").call_and_validate(**call)
    assert again.status_code == 400
    cancelled = schema["/api/v1/monitoring/visits/{id}/status/"]["POST"].Case(
        path_parameters={"id": entry["id"]}, body={"status": "cancelled", "note": "Merged with another visit."},
        media_type="application/json").call_and_validate(**call)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    flag = RiskFlag.objects.filter(institution=a1.registration_number, school_year="2023/2024").first()
    for path, pk in (("/api/v1/monitoring/visits/{id}/", entry["id"]), ("/api/v1/monitoring/flags/{id}/", flag.pk),
                     ("/api/v1/monitoring/runs/{id}/", flag.run_id), ("/api/v1/institutions/{id}/", a1.pk)):
        response = schema[path]["GET"].Case(path_parameters={"id": pk}).call_and_validate(**call)
        assert response.status_code == 200, path
    response = schema["/api/v1/monitoring/indicators/{code}/"]["GET"].Case(
        path_parameters={"code": "learners_enrolled"}).call_and_validate(**call)
    assert response.status_code == 200


@keeps_connection
@pytest.mark.parametrize("role", ["supervision_inspector", "founder_riga", "head_a1"])
def test_complaint_and_inspection_answers_match_the_schema(client, request, role):
    """The complaint and inspection lists and details, with the fields each role gets (the submitter for
    supervision staff, left out for the founder; the inspection for its head and founder), as documented."""
    data = request.getfixturevalue("supervised")
    call = session(client, data["users"][role])
    complaints = role != "head_a1"
    for path, pk, expected in (("/api/v1/complaints/", None, 200 if complaints else 403),
                               ("/api/v1/complaints/{id}/", data["complaint"].pk, 200 if complaints else 403),
                               ("/api/v1/inspections/", None, 200),
                               ("/api/v1/inspections/{id}/", data["inspection"].pk, 200)):
        case = schema[path]["GET"].Case(path_parameters={"id": pk} if pk else None,
                                        query={"year": "2024"} if path == "/api/v1/complaints/" else None)
        response = case.call_and_validate(**call)
        assert response.status_code == expected, (path, response.text)
        if expected == 200 and pk is None:
            assert len(response.json()["results"]) == 1, path
        if path == "/api/v1/complaints/{id}/" and expected == 200:
            assert ("submitter" in response.json()) == (role == "supervision_inspector")


@keeps_connection
def test_rejected_input_answers_match_the_schema(client, monitored):
    """The 400 of an unknown enum value, a school year that is not one and malformed paging, and the 404 of a
    page past the end, as documented."""
    call = session(client, monitored["users"]["ikvd_admin"])
    for path, query, code in (("/api/v1/institutions/", {"status": "AAA"}, 400),
                              ("/api/v1/monitoring/runs/", {"school_year": "2023/2025"}, 400),
                              ("/api/v1/monitoring/values/", {"page_size": "null"}, 400),
                              ("/api/v1/public/programmes/", {"page": "abc"}, 400),
                              ("/api/v1/decisions/", {"page": "99"}, 404),
                              ("/api/v1/complaints/", {"state": "pending"}, 400),
                              ("/api/v1/complaints/", {"year": "1990"}, 400),
                              ("/api/v1/inspections/", {"kind": "surprise"}, 400),
                              ("/api/v1/inspections/", {"year": "20x4"}, 400)):
        response = schema[path]["GET"].Case(query=query).call_and_validate(**call)
        assert response.status_code == code, (path, query, response.text)


def test_schema_is_valid_and_free_of_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`: every endpoint is described precisely (no guessed
    types, no unresolved serializers, no enum name clashes) and the document is valid OpenAPI 3."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text(encoding="utf-8").startswith("openapi: 3")
