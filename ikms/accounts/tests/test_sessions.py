"""Session limits (ikms.accounts.middleware, ADR 0014): signed out after the idle limit and after the absolute
limit, sent to the sign-in page with a message in the page's language. The middleware's clock is moved."""

import pytest
from django.contrib.messages import get_messages

from ikms.accounts import middleware
from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user

pytestmark = pytest.mark.django_db
MINUTE = 60


class Clock:
    def __init__(self, start: int = 1_800_000_000):
        self.t = start

    def __call__(self) -> int:
        return self.t

    def advance(self, seconds: int) -> None:
        self.t += seconds


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(middleware, "now", c)
    return c


@pytest.fixture
def signed_in(client, clock):
    make_user(Role.ANALYST, username="anda", password="labs-parole-123")
    assert client.post("/accounts/login/", {"username": "anda", "password": "labs-parole-123"}).status_code == 302
    assert client.session[middleware.LOGIN_AT] == clock.t
    return client


def test_activity_keeps_the_session_alive_and_idleness_ends_it(signed_in, clock, settings):
    assert settings.IKMS_SESSION_IDLE_SECONDS == 30 * MINUTE
    for _ in range(3):  # 87 minutes in all, never 30 without a request
        clock.advance(29 * MINUTE)
        assert signed_in.get("/staff/").status_code == 200
    clock.advance(30 * MINUTE)
    response = signed_in.get("/staff/institutions/?q=a")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/institutions/%3Fq%3Da"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"])
    assert "Jūsu sesija beidzās, jo ilgu laiku nebijāt aktīvs" in page.content.decode()
    assert signed_in.get("/staff/").status_code == 302  # still signed out


def test_the_message_follows_the_language(signed_in, clock):
    clock.advance(31 * MINUTE)
    response = signed_in.get("/en/staff/", follow=True)
    assert response.redirect_chain[0][0].startswith("/en/accounts/login/")
    messages = [str(m) for m in get_messages(response.wsgi_request)] or [response.content.decode()]
    assert any("You were signed out because you were inactive for too long" in m for m in messages)


def test_absolute_limit_ends_an_active_session(signed_in, clock, settings):
    assert settings.IKMS_SESSION_MAX_SECONDS == 12 * 60 * MINUTE
    for _ in range(12 * 3 - 1):  # a request every 20 minutes for 11 h 40 min
        clock.advance(20 * MINUTE)
        assert signed_in.get("/accounts/profile/").status_code == 200
    clock.advance(20 * MINUTE)
    response = signed_in.get("/en/accounts/profile/", follow=True)
    assert response.redirect_chain[0][0] == "/en/accounts/login/?next=/en/accounts/profile/"
    assert "Your session reached its maximum length" in response.content.decode()
    assert "_auth_user_id" not in signed_in.session


def test_limits_are_settings(signed_in, clock, settings):
    settings.IKMS_SESSION_IDLE_SECONDS = 5 * MINUTE
    clock.advance(4 * MINUTE)
    assert signed_in.get("/staff/").status_code == 200
    clock.advance(5 * MINUTE)
    assert signed_in.get("/staff/").status_code == 302


def test_an_expired_api_request_is_anonymous_not_redirected(signed_in, clock):
    assert signed_in.get("/api/v1/institutions/").status_code == 200
    clock.advance(45 * MINUTE)
    assert signed_in.get("/api/v1/institutions/").status_code == 403
    assert "_auth_user_id" not in signed_in.session


def test_signing_in_again_starts_new_clocks(signed_in, clock):
    clock.advance(40 * MINUTE)
    assert signed_in.get("/staff/").status_code == 302
    signed_in.post("/accounts/login/", {"username": "anda", "password": "labs-parole-123"})
    assert signed_in.session[middleware.LOGIN_AT] == clock.t
    clock.advance(10 * MINUTE)
    assert signed_in.get("/staff/").status_code == 200


def test_anonymous_visitors_are_not_affected(client, clock):
    assert client.get("/").status_code == 200
    clock.advance(24 * 60 * MINUTE)
    assert client.get("/").status_code == 200
    assert middleware.LOGIN_AT not in client.session
