"""schemathesis against the OpenAPI schema at /api/schema/: every operation of the API (the registers, monitoring
and the public endpoints), with generated requests, answers without a server error and exactly as the schema
says (a documented status code, the documented content type, a body matching the response schema).

The schema is loaded from the Django application itself (in-process WSGI, no server), over the `monitored`
data, once signed in as an IKVD administrator and once anonymous.

Authentication: a real session. The administrator is logged in with Django's test client and its session
cookie is sent with every generated request; for POSTs the CSRF double-submit pair (a `csrftoken` cookie and the
same value in `X-CSRFToken`) is sent too, so the API runs with DRF's SessionAuthentication and its CSRF check
exactly as in production (no test-only authentication class).

Deterministic (derandomize, no example database) and small (15 examples per operation and mode; positive and
negative generation, as schemathesis does by default). The schema is loaded when the module is collected:
schemathesis.pytest.from_fixture cannot be used with pytest 9.2 (it sets the removed `Node._nodeid`)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CSRF_TOKEN = "0123456789abcdefghijklmnopqrstuv"  # 32 characters: a valid unmasked CSRF secret
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
HYPOTHESIS = settings(
    max_examples=15, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


#: The schema is served without touching the database, so it can be loaded when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture(autouse=True)
def _keep_test_connection(db):
    """Keep the test's database connection (and its transaction) across requests, as Django's test client
    does: a plain WSGI handler would close it when each request finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def admin_cookies(client, monitored):
    client.force_login(monitored["users"]["ikvd_admin"])
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN}


@schema.parametrize()
@HYPOTHESIS
def test_api_as_ikvd_admin(case, admin_cookies):
    case.call_and_validate(cookies=admin_cookies, headers={"X-CSRFToken": CSRF_TOKEN}, checks=CHECKS)


@schema.parametrize()
@HYPOTHESIS
def test_api_anonymous(case, monitored):
    case.call_and_validate(checks=CHECKS)


def test_successful_answers_match_the_schema(monitored, admin_cookies):
    """Generated data rarely names a real institution, so the success answers of the writes and of the detail
    endpoints are checked here with real data: planning a visit (201), cancelling it (200), reading it, a risk
    flag, a run and an institution (200)."""
    import datetime

    from django.utils import timezone

    from ikms.monitoring.models import RiskFlag

    a1 = monitored["a1"]
    call = {"cookies": admin_cookies, "headers": {"X-CSRFToken": CSRF_TOKEN}, "checks": CHECKS}
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


def test_schema_is_valid_and_free_of_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn`: every endpoint is described precisely (no guessed
    types, no unresolved serializers, no enum name clashes) and the document is valid OpenAPI 3."""
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text(encoding="utf-8").startswith("openapi: 3")
