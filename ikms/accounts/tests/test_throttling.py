"""Sign-in throttling per account (ikms.accounts.throttling, ADR 0015) and the client address axes keys on.

Guesses from many addresses slow down every further attempt for the account but never lock the real user out
of it; the hard cap locks it until an administrator or the e-mailed link unlocks it. The throttle's clock is
moved (no sleeping); the unlock link's signer is moved through django.core.signing's clock."""

import datetime as dt
import re
import time
import types

import pytest
from django.contrib.auth import authenticate
from django.core import mail, signing
from django.test import Client, RequestFactory, override_settings

from ikms.accounts import throttling
from ikms.accounts.models import LoginThrottle
from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user
from ikms.core.audit import audit_events_for

pytestmark = pytest.mark.django_db
PASSWORD = "labs-parole-123"
REAL_USER_IP = "192.0.2.10"


class Clock:
    def __init__(self):
        self.t = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(throttling, "now", c)
    return c


@pytest.fixture
def anda():
    user = make_user(Role.ANALYST, username="anda", password=PASSWORD)
    user.email = "anda@example.lv"
    user.save(update_fields=["email"])
    return user


def _attacker(n: int) -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{n}")


def _guess(n: int, prefix: str = ""):
    return _attacker(n).post(f"{prefix}/accounts/login/", {"username": "anda", "password": f"guess-{n}"})


def _sign_in(client: Client, password: str = PASSWORD, prefix: str = ""):
    return client.post(f"{prefix}/accounts/login/", {"username": "anda", "password": password})


def _wrong_guesses_until_throttled(clock, settings, start: int = 0) -> int:
    """The free failures, each from a fresh address (axes never sees two from one); returns the next address."""
    for n in range(start, start + settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES):
        assert _guess(n).status_code == 200
        clock.advance(0.1)
    return start + settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES


def test_settings_defaults(settings):
    assert settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES == 10
    assert settings.IKMS_LOGIN_THROTTLE_BASE_SECONDS == 1
    assert settings.IKMS_LOGIN_THROTTLE_MAX_SECONDS == 600
    assert settings.IKMS_LOGIN_LOCK_FAILURES == 100
    assert settings.IKMS_LOGIN_LOCK_WINDOW_SECONDS == 24 * 3600
    assert [throttling.delay_seconds(k) for k in (1, 9, 10, 11, 12, 15, 19, 20, 99)] == [
        0, 0, 1, 2, 4, 32, 512, 600, 600]


def test_guesses_from_many_addresses_do_not_lock_the_real_user_out(clock, settings, anda):
    n = _wrong_guesses_until_throttled(clock, settings)
    user = Client(REMOTE_ADDR=REAL_USER_IP)
    # The account is throttled for everyone: a new address, and the real password, are refused without a check.
    refused = _sign_in(user)
    assert refused.status_code == 429
    assert "Pārāk daudz neveiksmīgu pieteikšanās mēģinājumu šim kontam" in refused.content.decode()
    assert "_auth_user_id" not in user.session
    assert _guess(n).status_code == 429
    # Refusals are no failures: they neither lengthen the delay nor count toward axes' lock of an address.
    row = LoginThrottle.objects.get(username="anda")
    assert row.failures == settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _sign_in(user, "nepareiza").status_code == 429
    assert LoginThrottle.objects.get(username="anda").failures == row.failures
    # After the delay the real user's password works from their own address.
    clock.advance(1)
    response = _sign_in(user)
    assert response.status_code == 302 and response["Location"] == "/mani-darbi/"
    assert user.session["_auth_user_id"] == str(anda.pk)
    # The success ends the streak (the delays); the hard-cap count goes on.
    row = LoginThrottle.objects.get(username="anda")
    assert (row.failures, row.last_failure_at, row.window_failures) == (0, None, 10)


def test_the_delay_grows_and_is_shown_in_both_languages(clock, settings, anda):
    n = _wrong_guesses_until_throttled(clock, settings)
    expected = [1, 2, 4, 8, 16]
    shown = []
    for i, seconds in enumerate(expected):
        prefix = "/en" if i % 2 else ""
        response = _guess(n + i, prefix)
        assert response.status_code == 429
        page = response.content.decode()
        if prefix:
            match = re.search(r"Too many failed sign-in attempts for this account\. Try again in (\d+) seconds?\.",
                              page)
            assert "Pārāk daudz" not in page
        else:
            match = re.search(r"Pārāk daudz neveiksmīgu pieteikšanās mēģinājumu šim kontam\. Mēģiniet vēlreiz pēc "
                              r"(\d+) sekund(?:es|ēm)\.", page)
        assert match, page
        shown.append(int(match.group(1)))
        clock.advance(seconds)  # the delay has passed: the next guess is checked, fails and doubles it
        assert _guess(n + 100 + i, prefix).status_code == 200
    assert shown == expected
    response = _guess(n + 50, "/en")
    assert "Try again in 32 seconds." in response.content.decode()
    clock.advance(20)
    assert "Try again in 12 seconds." in _guess(n + 51, "/en").content.decode()
    assert "Mēģiniet vēlreiz pēc 12 sekundēm." in _guess(n + 52).content.decode()
    clock.advance(11)
    assert "Mēģiniet vēlreiz pēc 1 sekundes." in _guess(n + 53).content.decode()
    assert "Try again in 1 second." in _guess(n + 54, "/en").content.decode()


def test_a_guess_arriving_while_another_is_checked_is_refused(clock, settings, anda, monkeypatch):
    """A burst of parallel guesses cannot slip past the delay: the password check of one attempt counts as a
    failure until it succeeds, so an attempt arriving meanwhile finds the account throttled."""
    from django.contrib.auth.backends import ModelBackend

    n = _wrong_guesses_until_throttled(clock, settings)
    clock.advance(1)
    check_password = ModelBackend.authenticate
    concurrent = []

    def check_while_another_arrives(self, request, **credentials):
        if not concurrent:
            concurrent.append(_guess(n + 1, "/en"))
        return check_password(self, request, **credentials)

    monkeypatch.setattr(ModelBackend, "authenticate", check_while_another_arrives)
    assert _sign_in(Client(REMOTE_ADDR=REAL_USER_IP)).status_code == 302  # the real user, in the meantime...
    assert concurrent[0].status_code == 429  # ...an attacker's guess is refused unchecked
    assert "Try again in 2 seconds." in concurrent[0].content.decode()
    assert LoginThrottle.objects.get(username="anda").window_failures == 10
    # A burst straight through the backend (no form in front): each attempt arrives while the previous one is
    # being checked, and only the free failures get a password check.
    checked = []

    def burst(self, request, **credentials):  # checks nothing itself: the password is always wrong
        checked.append(credentials["username"])
        authenticate(request, username="anda", password="wrong")

    monkeypatch.setattr(ModelBackend, "authenticate", burst)
    assert authenticate(RequestFactory().post("/"), username="anda", password="wrong") is None
    assert len(checked) == settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES
    assert "Try again in 1 second." in _guess(n + 2, "/en").content.decode()


def test_the_delay_is_capped(clock, settings, anda):
    settings.IKMS_LOGIN_THROTTLE_MAX_SECONDS = 60
    n = _wrong_guesses_until_throttled(clock, settings)
    for i in range(8):  # delays 1, 2, 4, 8, 16, 32, then 60 and 60
        clock.advance(throttling.delay_seconds(settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES + i))
        assert _guess(n + i).status_code == 200
    assert "Try again in 60 seconds." in _guess(n + 20, "/en").content.decode()


def test_the_admin_sign_in_is_throttled_too(clock, settings, anda):
    _wrong_guesses_until_throttled(clock, settings)
    response = Client(REMOTE_ADDR=REAL_USER_IP).post(
        "/admin/login/", {"username": "anda", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 200
    assert "Pārāk daudz neveiksmīgu pieteikšanās mēģinājumu šim kontam" in response.content.decode()


def test_authenticate_outside_the_forms_is_refused_while_throttled(clock, settings, anda):
    _wrong_guesses_until_throttled(clock, settings)
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=REAL_USER_IP)
    assert authenticate(request, username="anda", password=PASSWORD) is None
    clock.advance(1)
    assert authenticate(request, username="anda", password=PASSWORD) == anda


def test_unknown_usernames_are_throttled_alike(clock, settings, anda):
    for n in range(settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES):
        _attacker(n).post("/en/accounts/login/", {"username": "nav-tada", "password": "x"})
    response = _attacker(99).post("/en/accounts/login/", {"username": "nav-tada", "password": "x"})
    assert response.status_code == 429 and "Try again in 1 second." in response.content.decode()


@pytest.fixture
def lock(clock, settings, anda, django_capture_on_commit_callbacks):
    """Guess until the hard cap, each guess after its delay (as a patient attacker would); the unlock mail is
    sent when the transaction that locked the account commits."""

    def guess_until_locked() -> int:
        settings.IKMS_LOGIN_LOCK_FAILURES = 30
        with django_capture_on_commit_callbacks(execute=True):
            for n in range(settings.IKMS_LOGIN_LOCK_FAILURES):
                clock.advance(throttling.delay_seconds(n))
                assert _guess(n).status_code == 200
        return settings.IKMS_LOGIN_LOCK_FAILURES

    return guess_until_locked


def test_the_hard_cap_locks_the_account_and_mails_an_unlock_link(clock, settings, anda, lock):
    n = lock()
    user = Client(REMOTE_ADDR=REAL_USER_IP)
    clock.advance(settings.IKMS_LOGIN_THROTTLE_MAX_SECONDS * 10)  # no delay ends a lock
    refused = _sign_in(user, prefix="/en")
    assert refused.status_code == 429
    assert "This account is locked after too many failed sign-in attempts" in refused.content.decode()
    assert "Konts ir bloķēts" in _sign_in(user).content.decode()
    assert "_auth_user_id" not in user.session
    assert LoginThrottle.objects.get(username="anda").window_failures == n  # refusals are not counted
    assert audit_events_for(target=anda).first().action == "user.sign_in_lock"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anda@example.lv"]
    assert message.subject == "IKMS: jūsu konts ir bloķēts / IKMS: your account is locked"
    assert "Labdien, anda!" in message.body and "Hello anda" in message.body
    assert re.search(r"http://testserver/accounts/unlock/\S+/", message.body)
    # A day later the count starts afresh, but the lock stays.
    clock.advance(settings.IKMS_LOGIN_LOCK_WINDOW_SECONDS + 1)
    assert "This account is locked" in _sign_in(user, prefix="/en").content.decode()


def _unlock_link() -> str:
    return re.search(r"https?://[^/]+(/accounts/unlock/\S+/)", mail.outbox[0].body).group(1)


def test_the_unlock_link_unlocks_once(clock, settings, anda, lock):
    lock()
    link = _unlock_link()
    user = Client(REMOTE_ADDR=REAL_USER_IP)
    page = user.get(link)  # a GET (a mail scanner) changes nothing
    assert page.status_code == 200 and "Atbloķēt kontu" in page.content.decode()
    assert LoginThrottle.objects.get(username="anda").locked_at is not None
    done = user.post(link)
    assert done.status_code == 200 and "Jūsu konts ir atbloķēts" in done.content.decode()
    assert not LoginThrottle.objects.filter(username="anda").exists()
    event = audit_events_for(target=anda).first()
    assert (event.action, event.actor, event.data["via"]) == ("user.sign_in_unlock", None, "email")
    assert _sign_in(user).status_code == 302
    again = Client().post(link)
    assert again.status_code == 400 and "Saite nedarbojas" in again.content.decode()


def test_the_unlock_link_expires(clock, settings, anda, monkeypatch, lock):
    assert settings.IKMS_LOGIN_UNLOCK_TIMEOUT == 24 * 3600
    lock()
    link = _unlock_link()
    later = time.time() + settings.IKMS_LOGIN_UNLOCK_TIMEOUT + 60
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    expired = Client().post(f"/en{link}")
    assert expired.status_code == 400
    page = expired.content.decode()
    assert "The link does not work" in page and "Ask the IKVD administrator to unlock your account." in page
    assert LoginThrottle.objects.get(username="anda").locked_at is not None
    tampered = Client().post(link.replace("/unlock/", "/unlock/x"))
    assert tampered.status_code == 400


def test_an_administrator_unlocks_the_account(clock, settings, anda, lock):
    lock()
    admin_user = make_user(Role.IKVD_ADMIN, username="admins")
    other = make_user(Role.ANALYST, username="berzs")
    staff = Client()
    staff.force_login(admin_user)
    throttles = staff.get("/admin/accounts/loginthrottle/").content.decode()  # who is locked
    assert ">anda<" in throttles and ">30<" in throttles
    changelist = staff.get("/admin/accounts/user/")
    assert 'value="unlock_sign_in"' in changelist.content.decode()
    response = staff.post("/admin/accounts/user/",
                          {"action": "unlock_sign_in", "_selected_action": [anda.pk, other.pk]}, follow=True)
    assert response.status_code == 200
    assert "Atbloķēti: anda" in response.content.decode()
    assert not LoginThrottle.objects.filter(username="anda").exists()
    event = audit_events_for(target=anda).first()
    assert (event.action, event.actor, event.data["via"]) == ("user.sign_in_unlock", admin_user, "admin")
    assert not audit_events_for(target=other).filter(action="user.sign_in_unlock").exists()
    assert _sign_in(Client(REMOTE_ADDR=REAL_USER_IP)).status_code == 302
    # The e-mailed link made for the lifted lock no longer works.
    assert Client().post(_unlock_link()).status_code == 400


def test_only_an_administrator_may_unlock(clock, settings, anda, lock):
    from ikms.accounts import services
    from ikms.core.exceptions import PermissionDeniedError

    lock()
    with pytest.raises(PermissionDeniedError):
        services.user_unlock(actor=make_user(Role.ANALYST), user=anda)
    assert LoginThrottle.objects.get(username="anda").locked_at is not None


# The client address ----------------------------------------------------------------------------------------

PROXY = "10.0.0.5"


def _via_proxy(forwarded_for: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def test_client_ip_reads_the_trusted_proxy_header_only_when_configured(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert settings.IKMS_TRUSTED_PROXY_COUNT == 0
    assert throttling.client_ip(request) == PROXY
    settings.IKMS_TRUSTED_PROXY_COUNT = 1
    assert throttling.client_ip(request) == "198.51.100.7"  # what the client wrote on the left is ignored
    settings.IKMS_TRUSTED_PROXY_COUNT = 2
    assert throttling.client_ip(request) == "1.2.3.4"
    settings.IKMS_TRUSTED_PROXY_COUNT = 3
    assert throttling.client_ip(request) == PROXY  # fewer hops than proxies: not trusted
    settings.IKMS_TRUSTED_PROXY_COUNT = 1
    assert throttling.client_ip(factory.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="nonsense")) == PROXY
    assert throttling.client_ip(factory.get("/", REMOTE_ADDR=PROXY)) == PROXY


def _fail_five_times(client: Client) -> None:
    """Up to axes' limit: the fifth failure is answered with the lockout page already."""
    statuses = [_sign_in(client, "nepareiza").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


@override_settings(IKMS_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_two_forwarded_addresses_are_two_clients(settings, anda):
    assert settings.AXES_FAILURE_LIMIT == 5
    attacker = _via_proxy("198.51.100.7")
    _fail_five_times(attacker)
    assert _sign_in(attacker).status_code == 429  # axes locks username+address for the attacker...
    user = _via_proxy(REAL_USER_IP)
    assert _sign_in(user).status_code == 302  # ...not for the user behind the same proxy
    spoofing = _via_proxy(f"{REAL_USER_IP}, 198.51.100.7")  # the attacker claims the user's address
    assert _sign_in(spoofing).status_code == 429


def test_without_the_proxy_setting_the_header_is_ignored(anda):
    attacker = _via_proxy("198.51.100.7")
    _fail_five_times(attacker)
    user = _via_proxy(REAL_USER_IP)  # another forwarded address, the same REMOTE_ADDR: the same client
    response = _sign_in(user)
    assert response.status_code == 429
    assert "_auth_user_id" not in user.session
