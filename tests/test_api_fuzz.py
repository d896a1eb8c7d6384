"""schemathesis against the OpenAPI schema at /api/schema/: every operation of the API (the registers, monitoring,
the public endpoints, complaints and inspections), with generated requests (valid and invalid: unknown enum values,
bad school years, malformed paging, ids that are not numbers...), answers without a server error and exactly as the
schema says (a documented status code, the documented content type and headers, a body matching the response
schema), and every request the schema does not allow is rejected (4xx).

Run over the `monitored` data (and, for the complaint and inspection operations, a complaint forwarded to Riga's
founder and a1's inspection in follow-up: `supervised`) anonymous and as one user per kind of access: an IKVD
administrator (everything, complaints' submitters too), a registry officer (the registers and inspections, not the
risks or complaints), a founder (its institutions' monitoring data and inspections, the complaints forwarded to it),
an institution head (its own institution) and a user without a role (403 everywhere). The machinery (schema,
checks, Hypothesis settings, the session, the supervision data) is in tests/api_fuzzing.py.

No operation is left out: the schema drf-spectacular generates is precise enough for every one."""

import pytest

from tests.api_fuzzing import HYPOTHESIS, keep_test_connection, schema, session, supervised  # noqa: F401 (fixtures)

#: A cache key built from raw client text (which memcached refuses) is a server error here, as it would be there.
pytestmark = pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")


#: The operations that read supervision's data: run over `monitored` with a complaint and an inspection added
#: (`supervised`), so their lists answer with rows to check against the schema.
SUPERVISION_PATHS = ("/api/v1/complaints/", "/api/v1/inspections/")


def _fuzz(role: str):
    @schema.parametrize()
    @HYPOTHESIS
    @pytest.mark.usefixtures("keep_test_connection")
    def test(case, client, monitored, request):
        if case.operation.path.startswith(SUPERVISION_PATHS):
            request.getfixturevalue("supervised")
        case.call_and_validate(**session(client, monitored["users"][role], case))

    test.__doc__ = f"Every operation, requests generated from the schema, as {role}."
    return test


test_api_anonymous = _fuzz("anonymous")
test_api_as_ikvd_admin = _fuzz("ikvd_admin")
test_api_as_registry_officer = _fuzz("registry_officer")
test_api_as_founder = _fuzz("founder_riga")
test_api_as_institution_head = _fuzz("head_a1")
test_api_as_user_without_a_role = _fuzz("no_role")
