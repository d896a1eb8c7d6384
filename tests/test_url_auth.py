"""The access matrix: every URL and API route of the URLConf, for every role.

Every named route must appear in RULES; a new route without a rule fails this test, so nobody can
add a page without deciding who may open it (default deny)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ikms.registry.models import Decision

ROLES = ["anonymous", "ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst",
         "accreditation_expert", "founder_riga", "founder_ogre", "head_a1", "no_role"]
IKVD = {"ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst"}
SCOPED_A1 = IKVD | {"founder_riga", "head_a1"}  # who may see institution A1 (Riga's school)
STAFF_AREA = IKVD | {"founder_riga", "founder_ogre", "head_a1"}
DECIDERS = {"ikvd_admin", "registry_officer"}
ACCREDITORS = {"ikvd_admin", "quality_expert"}


def _view(allowed: set[str], *, visible: set[str] | None = None, api: bool = False):
    """Expected status: 200 if allowed; 404 if the object is invisible; 403 otherwise; anonymous → login."""

    def rule(role: str) -> int:
        if role == "anonymous":
            return 403 if api else 302
        if visible is not None and role not in visible:
            return 404
        return 200 if role in allowed else 403

    return rule


def _public(role: str) -> int:
    return 200


def _login_only(role: str) -> int:
    return 302 if role == "anonymous" else 200


def _admin(role: str) -> int:
    return 200 if role == "ikvd_admin" else 302


RULES = {
    "portal:home": _public,
    "portal:institution-list": _public,
    "portal:institution-detail": _public,
    "portal:programme-list": _public,
    "accounts:login": lambda role: 302 if role != "anonymous" else 200,  # signed-in users are sent on
    "accounts:logout": None,  # POST only: tested separately
    "set_language": None,  # POST only: tested separately
    "accounts:profile": _login_only,
    "api-schema": _public,
    "registry-api:public-institution-list": _public,
    "registry-api:public-programme-list": _public,
    "registry:staff-home": _view(STAFF_AREA),
    "registry:institution-list": _view(STAFF_AREA),
    "registry:decision-list": _view(STAFF_AREA),
    "registry:statistics": _view(IKVD),
    "registry:institution-register": _view(DECIDERS),
    "registry:founder-create": _view(DECIDERS),
    "registry:institution-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:programme-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:decision-detail": _view(SCOPED_A1, visible=SCOPED_A1),
    "registry:institution-decide": "per-action",
    "registry:programme-decide": _view(DECIDERS, visible=SCOPED_A1),
    "registry:decision-revoke": _view(DECIDERS, visible=SCOPED_A1),
    "registry-api:institution-list": _view(STAFF_AREA, api=True),
    "registry-api:institution-detail": _view(SCOPED_A1, visible=SCOPED_A1 | {"accreditation_expert", "no_role"},
                                             api=True),
    "registry-api:programme-list": _view(STAFF_AREA, api=True),
    "registry-api:decision-list": _view(STAFF_AREA, api=True),
}
DECIDE_ACTIONS = {
    "amend": _view(DECIDERS, visible=SCOPED_A1),
    "application": _view(DECIDERS, visible=SCOPED_A1),
    "strike-off": _view(DECIDERS, visible=SCOPED_A1),
    "programme": _view(DECIDERS, visible=SCOPED_A1),
    "accreditation": _view(ACCREDITORS, visible=SCOPED_A1),
}


def _named_routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace == "admin":
                continue
            yield from _named_routes(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def _kwargs(name: str, world) -> dict:
    a1 = world["a1"]
    if name == "portal:institution-detail":
        return {"registration_number": a1.registration_number}
    if name in ("registry:institution-detail", "registry-api:institution-detail"):
        return {"pk": a1.pk}
    if name in ("registry:programme-detail", "registry:programme-decide"):
        return {"pk": world["programme_a"].pk}
    if name in ("registry:decision-detail", "registry:decision-revoke"):
        return {"pk": Decision.objects.filter(institution=a1, kind="register").get().pk}
    return {}


def _client(client, world, role):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


def test_every_route_has_a_rule(db):
    names = set(_named_routes())
    missing = names - set(RULES)
    assert not missing, f"routes without an access rule: {sorted(missing)}"
    assert set(RULES) - names == set(), "rules for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, world, role):
    failures = []
    for name, rule in RULES.items():
        if rule is None:
            continue
        if rule == "per-action":
            for action, action_rule in DECIDE_ACTIONS.items():
                url = reverse(name, kwargs={"pk": world["a1"].pk, "action": action})
                status = _client(client, world, role).get(url).status_code
                if status != action_rule(role):
                    failures.append((url, status, action_rule(role)))
            continue
        url = reverse(name, kwargs=_kwargs(name, world))
        status = _client(client, world, role).get(url).status_code
        if status != rule(role):
            failures.append((url, status, rule(role)))
    assert not failures, f"{role}: (url, got, expected) {failures}"


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_ikvd_admin(client, world, role):
    _client(client, world, role)
    for url in ["/admin/", "/admin/registry/institution/", "/admin/accounts/user/", "/admin/core/auditevent/"]:
        assert client.get(url).status_code == _admin(role), url


def test_anonymous_sent_to_login_with_next(client, world):
    response = client.get(reverse("registry:institution-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]


def test_english_prefix_follows_the_same_rules(client, world):
    assert client.get("/en/registrs/iestades/").status_code == 200
    assert client.get("/en/staff/institutions/").status_code == 302
    client.force_login(world["users"]["founder_ogre"])
    assert client.get(f"/en/staff/institutions/{world['a1'].pk}/").status_code == 404


def test_founder_b_cannot_see_or_change_founder_a(client, world):
    a1 = world["a1"]
    client.force_login(world["users"]["founder_ogre"])
    listing = client.get(reverse("registry:institution-list")).content.decode()
    assert "Ogres Testa vidusskola" in listing and "Rīgas Testa vidusskola" not in listing
    export = client.get(reverse("registry:institution-list") + "?format=csv").content.decode("utf-8-sig")
    assert "Ogres Testa vidusskola" in export and a1.registration_number not in export
    api = client.get(reverse("registry-api:institution-list")).json()
    assert {r["registration_number"] for r in api["results"]} == {world["b1"].registration_number}
    decisions = client.get(reverse("registry-api:decision-list")).json()
    assert all(r["institution"] == world["b1"].registration_number for r in decisions["results"])
    before = Decision.objects.count()
    for action in DECIDE_ACTIONS:
        url = reverse("registry:institution-decide", kwargs={"pk": a1.pk, "action": action})
        assert client.post(url, {"number": "X-1", "date": "2024-01-01", "legal_basis": "x"}).status_code == 404
    assert Decision.objects.count() == before
    a1.refresh_from_db()
    assert a1.status == "registered"


def test_founder_cannot_change_own_institution_either(client, world):
    client.force_login(world["users"]["founder_riga"])
    url = reverse("registry:institution-decide", kwargs={"pk": world["a1"].pk, "action": "amend"})
    before = Decision.objects.count()
    assert client.post(url, {"number": "X-2", "date": "2024-01-01", "legal_basis": "x", "reason": "name",
                             "name": "Cits nosaukums"}).status_code == 403
    assert Decision.objects.count() == before


def test_expired_role_gives_no_access(client, world):
    import datetime

    from ikms.accounts.models import RoleAssignment

    head = world["users"]["head_a1"]
    RoleAssignment.objects.filter(user=head).update(valid_from=datetime.date(2020, 1, 1),
                                                    valid_to=datetime.date(2021, 1, 1))
    client.force_login(head)
    assert client.get(reverse("registry:institution-detail", kwargs={"pk": world["a1"].pk})).status_code == 404
    assert client.get(reverse("registry:staff-home")).status_code == 403


def test_post_only_routes(client, world):
    client.force_login(world["users"]["analyst"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("registry:staff-home")).status_code == 302
