"""What the schemathesis tests share (tests/test_api_fuzz.py, tests/test_api_schema.py): the schema loaded from
the Django application itself (in-process WSGI, no server), the checks, the Hypothesis settings and a signed-in
session.

Authentication is a real session: the user is logged in with Django's test client and its session cookie is sent
with every generated request; for POSTs the CSRF double-submit pair (a `csrftoken` cookie and the same value in
`X-CSRFToken`) is sent too, so the API runs with DRF's SessionAuthentication and its CSRF check exactly as in
production (no test-only authentication class).

The schema is loaded when the module is imported (it is served without touching the database):
schemathesis.pytest.from_fixture cannot be used with pytest 9.2 (it sets the removed `Node._nodeid`)."""

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CSRF_TOKEN = "0123456789abcdefghijklmnopqrstuv"  # 32 characters: a valid unmasked CSRF secret
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]
#: `negative_data_rejection`: a request the schema does not allow (an unknown enum value, a school year or a
#: page size out of pattern or range, a string too long...) must be answered 4xx, never 200.
#: Deterministic (derandomize, no example database) and small: 15 examples per operation and user; positive and
#: negative generation, as schemathesis does by default.
HYPOTHESIS = settings(
    max_examples=15, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)

schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture
def keep_test_connection(db):
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
def supervised(world):
    """`world` with a complaint about a1 forwarded to Riga's founder (its submitter named) and a1's inspection in
    follow-up (an act with a finding and an order)."""
    from ikms.complaints import services as complaints
    from ikms.inspections.testing import drive

    users = world["users"]
    inspector = users["supervision_inspector"]
    complaint = complaints.complaint_register(
        actor=inspector, channel="email", submitter_type="parent", text="Sūdzība. Rūta Zvaigzne",
        received_on=dt.date(2024, 5, 2), institutions=[world["a1"]], topics=["safety"],
        submitter_name="Rūta Zvaigzne", submitter_contact="ruta@example.lv", personal_code="010190-12345")
    complaints.complaint_forward(actor=inspector, complaint=complaint, founder=world["riga"],
                                 summary="Lūdzam izvērtēt.", forwarded_on=dt.date(2024, 5, 6))
    inspection = drive(inspector=inspector, head=users["head_a1"], institution=world["a1"], state="follow_up")
    return {**world, "complaint": complaint, "inspection": inspection}


def session(client, user, case=None) -> dict:
    """Keyword arguments of `call_and_validate` for requests made as `user` (None: anonymous).

    A generated case whose cookies are the negative part ("missing `sessionid` cookie", the schema's cookie
    authentication) is sent with the session anyway, so it is not a rejected-input case: schemathesis cannot
    tell that the caller put the cookie back, and `negative_data_rejection` is left out for it (only)."""
    if user is None:
        return {"checks": CHECKS}
    client.force_login(user)
    checks = CHECKS
    if case is not None and case.meta is not None and case.meta.is_negative_at(ParameterLocation.COOKIE):
        checks = [c for c in CHECKS if c is not negative_data_rejection]
    return {"cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN},
            "headers": {"X-CSRFToken": CSRF_TOKEN}, "checks": checks}
