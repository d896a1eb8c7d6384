"""The web load harness (benchmarks/web.py) against Django's live test server: it signs in, requests every
benchmarked page for a few seconds with a few users and reports per-page figures. This keeps the harness
working; it says nothing about speed (the full run is in docs/benchmarks.md)."""

import json

import pytest
from django.urls import reverse

from benchmarks.web import PAGES, load, page_plan

PAGE_KEYS = {"p50_ms", "p95_ms", "requests", "errors"}


@pytest.mark.django_db(transaction=True)
def test_load_requests_every_page_without_errors(monitored, live_server):
    pages, routes, missing = page_plan(institutions=5)
    assert missing == []
    assert set(pages) == {p.name for p in PAGES}
    assert routes == {p.name: p.route for p in PAGES}
    # the largest secondary schools first (a1 has 120 learners, b1 60)
    schools = [monitored[k].registration_number for k in ("a1", "b1")]
    assert pages["institution"] == ("staff", [reverse("monitoring:institution", args=[n]) for n in schools])
    assert pages["profile"] == ("public", [reverse("portal:profile", args=[n]) for n in schools])
    assert monitored["a2"].registration_number not in json.dumps(pages)  # a preschool: not a secondary school

    result = load(live_server.url, pages, users=3, duration=3, think=0.1, ramp=0.6,
                  login=("analyst", "test-password-123"), seed=7)

    assert result["errors"] == 0, result
    assert result["ramp_errors"] == 0, result
    assert result["login"]["requests"] == result["staff_users"] == 2
    assert result["login"]["errors"] == 0
    assert set(result["pages"]) == {p.name for p in PAGES}
    for name, figures in result["pages"].items():
        assert PAGE_KEYS <= set(figures), name
        assert figures["requests"] >= 1, name  # every page was requested inside the window
        assert figures["errors"] == 0, (name, figures["error_kinds"])
        assert figures["p50_ms"] <= figures["p95_ms"], name
    assert result["requests"] == sum(f["requests"] for f in result["pages"].values())
    json.dumps(result)  # the result is written as JSON as it is


@pytest.mark.django_db(transaction=True)
def test_load_counts_a_refused_page_as_an_error(monitored, live_server):
    """An anonymous user sent to a staff page is redirected to sign in: that is an error, not a success."""
    pages = {"nation-anonymous": ("public", [reverse("monitoring:nation")]), "home": ("public", ["/"])}
    result = load(live_server.url, pages, users=1, duration=1, think=0.05, ramp=0)

    assert result["pages"]["home"]["errors"] == 0
    refused = result["pages"]["nation-anonymous"]
    assert refused["requests"] >= 1
    assert refused["errors"] == refused["requests"]
    assert refused["error_kinds"] == {"HTTP 302": refused["requests"]}
    assert result["staff_users"] == 0


def test_load_rejects_bad_arguments():
    with pytest.raises(ValueError, match="users"):
        load("http://127.0.0.1:1", {"home": ("public", ["/"])}, users=0, duration=1, think=0, ramp=0)
    with pytest.raises(ValueError, match="login"):
        load("http://127.0.0.1:1", {"nation": ("staff", ["/"])}, users=1, duration=1, think=0, ramp=0)
