"""API input is checked the same way on every endpoint (ikms.core.api): an unknown enum value, unreadable paging
or a school year that is not one is a 400 naming the parameter, in the language asked for; a page past the end
and an id that is not a number are JSON 404s."""

import pytest

pytestmark = pytest.mark.django_db

INSTITUTIONS = "/api/v1/institutions/"
PUBLIC = "/api/v1/public/institutions/"
MONITORING = "/api/v1/monitoring/"


@pytest.fixture
def admin(client, world):
    client.force_login(world["users"]["ikvd_admin"])
    return client


def _error(response, parameter: str) -> str:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body["extra"]) == {parameter}
    return body["message"]


def test_unknown_enum_value_is_a_400_naming_the_parameter_and_the_allowed_values(client, world):
    en = _error(client.get(PUBLIC, {"status": "AAA"}, HTTP_ACCEPT_LANGUAGE="en"), "status")
    assert en == ("Unknown value “AAA” of the parameter “status”; allowed values: application, registered, "
                  "liquidated, refused, annulled.")
    lv = _error(client.get(PUBLIC, {"status": "AAA"}), "status")
    assert lv == ("Nezināma parametra “status” vērtība “AAA”; atļautās vērtības: application, registered, "
                  "liquidated, refused, annulled.")
    assert client.get(PUBLIC, {"status": "registered"}).json()["count"] == 3
    assert client.get(PUBLIC, {"status": ""}).json()["count"] == 3  # blank: no filter


@pytest.mark.parametrize(("url", "parameter"), [
    (INSTITUTIONS, "founder"), (INSTITUTIONS, "status"), ("/api/v1/programmes/", "status"),
    ("/api/v1/decisions/", "kind"), ("/api/v1/public/programmes/", "status"), (f"{MONITORING}runs/", "status"),
    (f"{MONITORING}visits/", "reason"), (f"{MONITORING}visits/", "status"), (f"{MONITORING}indicators/", "theme"),
    (f"{MONITORING}indicators/", "type"), (f"{MONITORING}values/", "grain"), (f"{MONITORING}values/", "indicator"),
    (f"{MONITORING}flags/", "rule"), (f"{MONITORING}risks/", "rule"),
])
def test_every_enum_parameter_is_checked(admin, url, parameter):
    message = _error(admin.get(url, {parameter: "AAA"}, HTTP_ACCEPT_LANGUAGE="en"), parameter)
    assert f"“{parameter}”" in message and "“AAA”" in message and "allowed values:" in message


def test_catalogue_codes_are_listed_as_the_allowed_values(admin):
    message = _error(admin.get(f"{MONITORING}flags/", {"rule": "R99"}, HTTP_ACCEPT_LANGUAGE="en"), "rule")
    assert message == "Unknown value “R99” of the parameter “rule”; allowed values: R1, R2, R3, R4, R5, R6, R7."
    assert admin.get(f"{MONITORING}flags/", {"rule": "R2"}).status_code == 200


def test_the_permission_check_comes_before_the_input_check(client, world):
    assert client.get(INSTITUTIONS, {"status": "AAA"}).status_code == 403
    client.force_login(world["users"]["no_role"])
    assert client.get(INSTITUTIONS, {"status": "AAA", "page_size": "null"}).status_code == 403


@pytest.mark.parametrize("query", [{"page_size": "null"}, {"page_size": "-1"}, {"page_size": "0"},
                                   {"page_size": "501"}, {"page_size": ""}, {"page_size": "2.5"}])
def test_malformed_page_size_is_a_400(client, world, query):
    en = _error(client.get(PUBLIC, query, HTTP_ACCEPT_LANGUAGE="en"), "page_size")
    assert en == "The parameter “page_size” must be a whole number from 1 to 500."
    lv = _error(client.get(PUBLIC, query), "page_size")
    assert lv == "Parametram “page_size” jābūt veselam skaitlim no 1 līdz 500."


@pytest.mark.parametrize("page", ["abc", "0", "-1", "last", ""])
def test_malformed_page_is_a_400(client, world, page):
    en = _error(client.get(PUBLIC, {"page": page}, HTTP_ACCEPT_LANGUAGE="en"), "page")
    assert en == "The parameter “page” must be a whole number, 1 or more."


def test_both_paging_errors_at_once(admin):
    response = admin.get(f"{MONITORING}runs/", {"page": "x", "page_size": "y"})
    assert response.status_code == 400 and set(response.json()["extra"]) == {"page", "page_size"}


def test_paging_within_range_works_and_a_page_past_the_end_is_a_json_404(client, world):
    first = client.get(PUBLIC, {"page_size": "2", "page": "1"}).json()
    second = client.get(PUBLIC, {"page_size": "2", "page": "2"}).json()
    assert first["count"] == 3 and len(first["results"]) == 2 and len(second["results"]) == 1
    assert client.get(PUBLIC, {"page_size": "500"}).status_code == 200
    past = client.get(PUBLIC, {"page_size": "2", "page": "3"})
    assert past.status_code == 404 and past["Content-Type"] == "application/json"
    assert set(past.json()) == {"detail"}


@pytest.mark.parametrize("path", [
    "/api/v1/institutions/abc/", "/api/v1/institutions/-1/", "/api/v1/monitoring/flags/1.5/",
    "/api/v1/monitoring/runs/abc/", "/api/v1/monitoring/visits/x/status/", "/api/v1/no-such-endpoint/",
])
def test_an_id_that_is_not_a_number_is_a_json_404(admin, path):
    response = admin.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("path", ["/api/v1/institutions/{}/", "/api/v1/monitoring/flags/{}/",
                                  "/api/v1/monitoring/runs/{}/", "/api/v1/monitoring/visits/{}/"])
def test_an_id_too_large_for_the_database_is_a_404(admin, path):
    response = admin.get(path.format(10**20))
    assert response.status_code == 404 and set(response.json()) == {"detail"}


@pytest.mark.parametrize("year", ["2023/2025", "2023/2023", "2023", "2023-2024", "23/24", "2023/2024x"])
def test_a_school_year_must_be_a_real_one(admin, year):
    for endpoint in ("values", "flags", "risks", "runs"):
        en = _error(admin.get(f"{MONITORING}{endpoint}/", {"school_year": year}, HTTP_ACCEPT_LANGUAGE="en"),
                    "school_year")
        assert en == "Enter the school year as YYYY/YYYY, for example 2023/2024."
    lv = _error(admin.get(f"{MONITORING}runs/", {"school_year": year}), "school_year")
    assert lv == "Ievadiet mācību gadu formā GGGG/GGGG, piemēram, 2023/2024."


def test_a_real_school_year_is_accepted(admin):
    assert admin.get(f"{MONITORING}runs/", {"school_year": "2023/2024"}).status_code == 200


def test_the_schema_declares_enums_and_the_400(client):
    schema = client.get("/api/schema/?format=json").json()
    listing = schema["paths"]["/api/v1/public/institutions/"]["get"]
    parameters = {p["name"]: p["schema"] for p in listing["parameters"]}
    assert set(parameters["status"]["enum"]) == {"application", "registered", "liquidated", "refused", "annulled",
                                                 ""}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert parameters["page"] == {"type": "integer", "minimum": 1}
    assert {"200", "400", "404"} <= set(listing["responses"])
    runs = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/monitoring/runs/"]["get"]["parameters"]}
    assert any(s.get("pattern") == r"^\d{4}/\d{4}$" for s in runs["school_year"]["oneOf"])


def test_every_api_view_checks_its_input_the_one_way():
    """Every endpoint of the schema is an ApiMixin view (language, query checking), every list pages with
    StandardPagination and declares its query parameters as a serializer."""
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.generics import ListAPIView

    from ikms.core.api import ApiMixin, StandardPagination

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    endpoints = [e for e in generator._get_paths_and_endpoints() if e[0].startswith("/api/v1/")]
    assert len(endpoints) >= 20
    for path, _regex, method, view in endpoints:
        assert isinstance(view, ApiMixin), path
        if isinstance(view, ListAPIView) and method == "GET":
            assert isinstance(view.paginator, StandardPagination), path
            assert view.query_serializer_class is not None, path
