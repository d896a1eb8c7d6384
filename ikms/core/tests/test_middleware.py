"""NUL characters in a request never reach the database (PostgreSQL text cannot hold them)."""

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_query_parameters_is_removed(client, world):
    a1 = world["a1"]
    response = client.get("/api/v1/public/institutions/", {"q": "Rīgas Testa\x00"})
    assert response.status_code == 200
    assert [row["registration_number"] for row in response.json()["results"]] == [a1.registration_number]
    page = client.get("/registrs/iestades/", {"q": "\x00Testa", "municipality": "\x00"})
    assert page.status_code == 200


def test_nul_in_the_path_is_not_found(client, world):
    assert client.get(f"/registrs/iestades/{world['a1'].registration_number}%00/").status_code == 404
