"""Every signed-in user changes their own password; a forgotten one is reset by an e-mailed link that works once
and only for settings.PASSWORD_RESET_TIMEOUT."""

import datetime as dt
import re

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail

from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user

pytestmark = pytest.mark.django_db
OLD, NEW = "labs-parole-123", "jauna-garaka-parole-456"


@pytest.fixture
def anda():
    user = make_user(Role.ANALYST, username="anda", password=OLD)
    user.email = "anda@example.lv"
    user.save(update_fields=["email"])
    return user


def _can_sign_in(client, password: str) -> bool:
    client.logout()
    return client.post("/accounts/login/", {"username": "anda", "password": password}).status_code == 302


def test_signed_in_user_changes_the_password(client, anda):
    from django.test import Client

    other = Client()  # another browser signed in with the old password
    other.force_login(anda)
    assert other.get("/staff/").status_code == 200
    client.force_login(anda)
    page = client.get("/staff/").content.decode()
    assert 'href="/accounts/password/"' in page  # the header links to it
    wrong = client.post("/accounts/password/", {"old_password": "nepareiza", "new_password1": NEW,
                                                "new_password2": NEW})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    short = client.post("/accounts/password/", {"old_password": OLD, "new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200 and "govuk-error-summary" in short.content.decode()
    response = client.post("/accounts/password/", {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    assert client.get("/accounts/password/done/").status_code == 200  # still signed in on this session
    assert other.get("/staff/").status_code == 302  # the other session is over
    assert not _can_sign_in(client, OLD)
    assert _can_sign_in(client, NEW)


def test_password_change_needs_sign_in(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _reset_link(client, prefix: str = "") -> str:
    response = client.post(f"{prefix}/accounts/password/reset/", {"email": "anda@example.lv"})
    assert response.status_code == 302 and response["Location"] == f"{prefix}/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    return re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)


def test_reset_link_works_once(client, anda):
    link = _reset_link(client)
    assert mail.outbox[0].subject == "IKMS: paroles atjaunošana"
    form = client.get(link, follow=True)  # Django moves the token into the session and redirects
    assert "Izvēlieties jaunu paroli" in form.content.decode()
    set_password_url = form.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/complete/"
    assert _can_sign_in(client, NEW) and not _can_sign_in(client, OLD)
    client.logout()
    again = client.get(link, follow=True)
    assert "Saite nedarbojas" in again.content.decode()
    anda.refresh_from_db()
    assert anda.check_password(NEW)


def test_reset_link_expires(client, anda, settings, monkeypatch):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    link = _reset_link(client, "/en")
    assert mail.outbox[0].subject == "IKMS: reset your password"
    assert "for 60 min" in mail.outbox[0].body
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now",
                        lambda self: real_now(self) + dt.timedelta(seconds=3600 + 60))
    expired = client.get(link, follow=True)
    assert "The link does not work" in expired.content.decode()
    anda.refresh_from_db()
    assert anda.check_password(OLD)


def test_unknown_address_gets_the_same_answer_and_no_mail(client, anda):
    response = client.post("/accounts/password/reset/", {"email": "nav@example.lv"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
    assert User.objects.get(username="anda").check_password(OLD)
