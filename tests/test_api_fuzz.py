"""schemathesis against the OpenAPI schema at /api/schema/: every operation of the API (the registers, monitoring
and the public endpoints), with generated requests (valid and invalid: unknown enum values, bad school years,
malformed paging, ids that are not numbers...), answers without a server error and exactly as the schema says (a
documented status code, the documented content type and headers, a body matching the response schema), and
every request the schema does not allow is rejected (4xx).

Run over the `monitored` data anonymous and as one user per kind of access: an IKVD administrator (everything),
a registry officer (the registers, not the risks), a founder (its institutions' monitoring data), an institution
head (its own institution) and a user without a role (403 everywhere). The machinery (schema, checks, Hypothesis
settings, the session) is in tests/api_fuzzing.py.

No operation is left out: the schema drf-spectacular generates is precise enough for every one."""

import pytest

from tests.api_fuzzing import HYPOTHESIS, keep_test_connection, schema, session  # noqa: F401 (a fixture)

#: A cache key built from raw client text (which memcached refuses) is a server error here, as it would be there.
pytestmark = pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")


def _fuzz(role: str):
    @schema.parametrize()
    @HYPOTHESIS
    @pytest.mark.usefixtures("keep_test_connection")
    def test(case, client, monitored):
        case.call_and_validate(**session(client, monitored["users"][role], case))

    test.__doc__ = f"Every operation, requests generated from the schema, as {role}."
    return test


test_api_anonymous = _fuzz("anonymous")
test_api_as_ikvd_admin = _fuzz("ikvd_admin")
test_api_as_registry_officer = _fuzz("registry_officer")
test_api_as_founder = _fuzz("founder_riga")
test_api_as_institution_head = _fuzz("head_a1")
test_api_as_user_without_a_role = _fuzz("no_role")
