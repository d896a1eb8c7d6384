"""The second factor (ADR 0019): with settings.IKMS_REQUIRE_2FA on, IKVD staff and accreditation experts signed in
with a password alone reach no staff page, API or admin until they have set up an authenticator app and entered
its code; recovery codes work once; wrong codes are refused and throttled; others may choose it; with the setting
off nobody is forced, and whoever has an app is still asked for its code."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts import services
from ikms.accounts.permissions import requires_second_factor
from ikms.core.exceptions import ApplicationError, PermissionDeniedError
from ikms.core.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "test-password-123"  # ikms.accounts.testing.make_user, the `world` users


@pytest.fixture
def required(settings):
    settings.IKMS_REQUIRE_2FA = True
    return settings


def _sign_in(client: Client, username: str) -> Client:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` steps of 30 s later: accepted within one step)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def _enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an app through the services, as the set-up page does."""
    device = services.totp_device_start(actor=user)
    return services.totp_device_confirm(actor=user, device_id=device.pk, code=_code(device))


def _next_step(device: TOTPDevice) -> None:
    """Let the device accept the current code again (as if 30 s had passed since it last accepted one)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


def _error(response) -> str:
    return re.sub(r"\s+", " ", " ".join(re.findall(r'class="govuk-error-message">(.*?)</p>',
                                                   response.content.decode(), flags=re.S)))


# Who is forced -------------------------------------------------------------------------------------------------

def test_who_must_use_a_second_factor(required, world):
    users = world["users"]
    forced = {name for name, user in users.items() if user is not None and requires_second_factor(user)}
    assert forced == {"ikvd_admin", "registry_officer", "quality_expert", "supervision_inspector", "analyst",
                      "accreditation_expert"}
    required.IKMS_REQUIRE_2FA = False
    assert not any(requires_second_factor(u) for u in users.values() if u is not None)


def test_a_staff_sign_in_without_the_second_factor_reaches_no_staff_page_api_or_admin(required, client, world):
    _sign_in(client, "admin")  # IKVD administrator, no app set up yet
    staff_pages = [reverse("registry:staff-home"), reverse("registry:institution-list"), reverse("monitoring:risks"),
                   reverse("monitoring:nation"), reverse("accreditation:case-list"), reverse("accounts:profile"),
                   reverse("accounts:password-change"), reverse("accounts:two-factor"),
                   f"/en{reverse('registry:institution-list')}"]
    for url in staff_pages:
        response = client.get(url)
        assert response.status_code == 302, url
        expected = "/en/accounts/two-factor/setup/" if url.startswith("/en/") else "/accounts/two-factor/setup/"
        assert response["Location"].startswith(f"{expected}?next="), (url, response["Location"])
        assert "no-store" in response["Cache-Control"]
    for url in ["/admin/", "/admin/accounts/user/", "/admin/login/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/two-factor/setup/" in response["Location"], url
    for url in [reverse("registry-api:institution-list"), reverse("monitoring-api:risk-list"),
                reverse("registry-api:public-institution-list")]:
        response = client.get(url)
        assert response.status_code == 403, url
        message = response.json()["message"]
        assert "Nepieciešama divfaktoru autentifikācija" in message
        assert "Two-factor authentication is required" in message
    assert client.post(reverse("registry:founder-create"), {"name": "x"}).status_code == 302
    htmx = client.get(reverse("registry:institution-list"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/accounts/two-factor/setup/")


def test_an_enrolled_staff_user_is_sent_to_the_code_page(required, client, world):
    _enrol(world["users"]["analyst"])
    _sign_in(client, "analyst")
    response = client.get("/monitoring/riski/?year=2023")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/verify/?next=%2Fmonitoring%2Friski%2F%3Fyear%3D2023"
    assert client.get(reverse("accounts:two-factor-setup")).status_code == 302  # no second app on a password


def test_an_unverified_session_keeps_public_pages_sign_out_and_the_language_switch(required, client, world):
    _sign_in(client, "analyst")
    page = client.get(reverse("accounts:two-factor-setup")).content.decode()
    assert 'href="/staff/"' not in page and 'href="/monitoring/"' not in page  # no staff links in the header
    assert client.get("/registrs/iestades/").status_code == 200
    assert client.get("/en/profili/").status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("registry:staff-home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_founder_is_not_forced_but_may_choose_it(required, client, world):
    founder = world["users"]["founder_riga"]
    _sign_in(client, "founder-riga")
    assert client.get(reverse("registry:staff-home")).status_code == 200
    assert client.get(reverse("registry-api:institution-list")).status_code == 200
    device, _codes = _enrol(founder)  # chosen: from now on the code is asked at every sign-in
    other = _sign_in(Client(), "founder-riga")
    assert other.get(reverse("registry:staff-home"))["Location"].startswith("/accounts/two-factor/verify/")
    assert other.post(reverse("accounts:two-factor-verify"), {"code": _code(device, 1)}).status_code == 302
    assert other.get(reverse("registry:staff-home")).status_code == 200
    page = other.get(reverse("accounts:two-factor")).content.decode()
    assert 'href="/accounts/two-factor/disable/"' in page
    _next_step(device)
    response = other.post(reverse("accounts:two-factor-disable"), {"code": _code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=founder).exists() and not StaticDevice.objects.filter(user=founder)
    assert AuditEvent.objects.filter(action="user.second_factor_disable", target_id=str(founder.pk)).exists()
    assert _sign_in(Client(), "founder-riga").get(reverse("registry:staff-home")).status_code == 200


def test_with_the_setting_off_nobody_is_forced_but_an_app_is_still_asked(client, world, settings):
    assert settings.IKMS_REQUIRE_2FA is False
    for username in ("admin", "analyst", "expert"):
        c = _sign_in(Client(), username)
        assert c.get(reverse("accounts:profile")).status_code == 200, username
    assert _sign_in(Client(), "admin").get("/admin/").status_code == 200
    _enrol(world["users"]["quality_expert"])
    response = _sign_in(client, "quality").get(reverse("registry:staff-home"))
    assert response["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get(reverse("registry-api:institution-list")).status_code == 403


# Setting up ----------------------------------------------------------------------------------------------------

def test_setting_up_an_app_shows_a_qr_code_and_gives_recovery_codes_once(required, client, world):
    analyst = world["users"]["analyst"]
    _sign_in(client, "analyst")
    response = client.get(reverse("registry:institution-list"))
    setup_url = response["Location"]
    page = client.get(setup_url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    svg = re.search(r"<svg .*?</svg>", html, flags=re.S).group(0)
    assert svg.startswith('<svg role="img"') and "<title>" in svg
    assert "style=" not in svg and "<script" not in svg and "data:" not in html
    device = TOTPDevice.objects.get(user=analyst)
    assert not device.confirmed
    secret = re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', html).group(1)
    assert len(secret.split()) == 8 and all(len(group) == 4 for group in secret.split())
    assert client.get(setup_url).content.decode().count(secret) == 1  # the same secret on reload, this session
    assert "Ievadiet kodu, ko rāda lietotne" in html  # Latvian by default

    wrong = client.post(setup_url, {"code": "000000" if _code(device) != "000000" else "111111", "next": "/staff/"})
    assert wrong.status_code == 200 and "nav pareizs" in _error(wrong)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - dt.timedelta(1))
    session_before = client.session.session_key
    done = client.post(setup_url, {"code": _code(device), "next": "/staff/institutions/"})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>", done.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert 'href="/staff/institutions/"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    stored = set(StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)
    assert client.session.session_key != session_before  # a new session key at the new authentication level
    assert client.get(reverse("registry:institution-list")).status_code == 200
    assert client.get(reverse("registry-api:institution-list")).status_code == 200
    assert AuditEvent.objects.filter(action="user.second_factor_enrol", target_id=str(analyst.pk)).count() == 1
    assert client.get(setup_url)["Location"] == reverse("accounts:two-factor")  # shown once: no way back


def test_the_secret_is_bound_to_the_session_that_was_shown_it(required, world):
    first, second = _sign_in(Client(), "analyst"), _sign_in(Client(), "analyst")
    secret = re.compile(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>')
    a = secret.search(first.get(reverse("accounts:two-factor-setup")).content.decode()).group(1)
    b = secret.search(second.get(reverse("accounts:two-factor-setup")).content.decode()).group(1)
    assert a != b
    device = TOTPDevice.objects.get(user=world["users"]["analyst"])  # the second session's; the first's is gone
    stale = first.post(reverse("accounts:two-factor-setup"), {"code": _code(device)})
    assert stale.status_code == 302 and stale["Location"].startswith("/accounts/two-factor/setup/")
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_account_with_an_app_cannot_add_another(required, world):
    analyst = world["users"]["analyst"]
    _enrol(analyst)
    with pytest.raises(ApplicationError):
        services.totp_device_start(actor=analyst)


# Signing in with the second factor -----------------------------------------------------------------------------

def test_the_app_code_verifies_the_session_and_is_not_accepted_twice(required, client, world):
    device, _codes = _enrol(world["users"]["analyst"])
    _next_step(device)
    _sign_in(client, "analyst")
    code = _code(device)
    response = client.post("/accounts/two-factor/verify/", {"code": code[:3] + " " + code[3:], "next": "/staff/"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200 and client.get("/admin/").status_code == 302  # not an admin
    replay = _sign_in(Client(), "analyst").post("/accounts/two-factor/verify/", {"code": code})
    assert replay.status_code == 200 and "nav pareizs" in _error(replay)
    assert AuditEvent.objects.filter(action="user.second_factor_verify").count() == 1


def test_only_a_local_next_is_followed(required, client, world):
    device, _codes = _enrol(world["users"]["analyst"])
    _next_step(device)
    _sign_in(client, "analyst")
    response = client.post("/accounts/two-factor/verify/", {"code": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/mani-darbi/"


def test_a_recovery_code_works_once(required, client, world):
    analyst = world["users"]["analyst"]
    _device, codes = _enrol(analyst)
    _sign_in(client, "analyst")
    typed = codes[0].upper().replace("-", " ")  # any case, with a space instead of the hyphen
    response = client.post("/accounts/two-factor/verify/", {"code": typed, "next": "/staff/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/staff/" and response.status_code == 200
    assert any("9" in str(m) for m in get_messages(response.wsgi_request)) or "9" in response.content.decode()
    assert StaticToken.objects.filter(device__user=analyst).count() == 9
    again = _sign_in(Client(), "analyst").post("/accounts/two-factor/verify/", {"code": codes[0]})
    assert again.status_code == 200 and "nav pareizs" in _error(again)
    event = AuditEvent.objects.get(action="user.second_factor_verify")
    assert event.data == {"method": "recovery_code", "purpose": "sign_in"}


def test_a_wrong_code_is_refused_and_the_next_attempt_must_wait(required, client, world):
    device, _codes = _enrol(world["users"]["analyst"])
    _next_step(device)
    _sign_in(client, "analyst")
    right = _code(device)
    wrong = client.post("/accounts/two-factor/verify/", {"code": f"{(int(right) + 1) % 1_000_000:06d}"})
    assert wrong.status_code == 200 and "nav pareizs" in _error(wrong)
    throttled = client.post("/accounts/two-factor/verify/", {"code": right})  # right, but too soon: not checked
    assert throttled.status_code == 429 and "Pagaidiet 1 sekundi" in _error(throttled)
    assert client.get("/staff/").status_code == 302
    english = client.post("/en/accounts/two-factor/verify/", {"code": right})
    assert "Wait 1 second and try again" in _error(english)
    for _ in range(3):  # each failure doubles the wait
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=timezone.now() - dt.timedelta(hours=1))
        client.post("/accounts/two-factor/verify/", {"code": "999999" if right != "999999" else "999998"})
    assert "Wait 8 seconds" in _error(client.post("/en/accounts/two-factor/verify/", {"code": right}))
    failures = AuditEvent.objects.filter(action="user.second_factor_failure")
    assert failures.count() == 4 and failures.order_by("-pk").first().data["failures"] == 4
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - dt.timedelta(1))
    assert client.post("/accounts/two-factor/verify/", {"code": right}).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_recovery_codes_are_throttled_too(required, client, world):
    _device, codes = _enrol(world["users"]["analyst"])
    _sign_in(client, "analyst")
    assert client.post("/accounts/two-factor/verify/", {"code": "aaaaa-aaaaa"}).status_code == 200
    assert client.post("/accounts/two-factor/verify/", {"code": codes[1]}).status_code == 429
    assert StaticToken.objects.filter(device__user__username="analyst").count() == 10  # not checked, not used


# The user's own page -------------------------------------------------------------------------------------------

def test_new_recovery_codes_need_a_current_code_and_replace_the_old(required, client, world):
    analyst = world["users"]["analyst"]
    device, old = _enrol(analyst)
    _next_step(device)
    _sign_in(client, "analyst")
    client.post("/accounts/two-factor/verify/", {"code": _code(device)})
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Ieslēgta" in page and ">10<" in page
    assert 'href="/accounts/two-factor/disable/"' not in page  # required: cannot be switched off
    wrong = client.post("/accounts/two-factor/recovery-codes/", {"code": "12345"})
    assert wrong.status_code == 200 and "nav pareizs" in _error(wrong)
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    response = client.post("/accounts/two-factor/recovery-codes/", {"code": _code(device, 1)})
    new = re.findall(r"<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get("/accounts/two-factor/disable/")["Location"] == "/accounts/two-factor/"
    with pytest.raises(PermissionDeniedError):
        services.second_factor_disable(actor=analyst, code=new[0])
    other = _sign_in(Client(), "analyst")
    assert other.post("/accounts/two-factor/verify/", {"code": old[0]}).status_code == 200  # refused
    StaticDevice.objects.filter(user=analyst).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    assert other.post("/accounts/two-factor/verify/", {"code": new[0]}).status_code == 302


def test_the_header_and_profile_link_the_two_factor_page(client, world):
    client.force_login(world["users"]["analyst"])
    page = client.get("/staff/").content.decode()
    assert 'href="/accounts/two-factor/"' in page
    assert 'href="/accounts/two-factor/"' in client.get("/accounts/profile/").content.decode()
    status = client.get("/accounts/two-factor/").content.decode()
    assert 'href="/accounts/two-factor/setup/"' in status


# Reset by an administrator -------------------------------------------------------------------------------------

def test_an_administrator_resets_a_lost_second_factor(required, client, world):
    analyst, admin_user = world["users"]["analyst"], world["users"]["ikvd_admin"]
    device, _codes = _enrol(analyst)
    _next_step(device)
    user_session = _sign_in(Client(), "analyst")
    user_session.post("/accounts/two-factor/verify/", {"code": _code(device)})
    assert user_session.get("/staff/").status_code == 200

    admin_device, _ = _enrol(admin_user)
    _next_step(admin_device)
    _sign_in(client, "admin")
    client.post("/accounts/two-factor/verify/", {"code": _code(admin_device)})
    changelist = client.get("/admin/accounts/user/")
    assert changelist.status_code == 200 and "reset_second_factor" in changelist.content.decode()
    response = client.post("/admin/accounts/user/", {"action": "reset_second_factor",
                                                      "_selected_action": [analyst.pk]}, follow=True)
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert not StaticDevice.objects.filter(user=analyst).exists()
    event = AuditEvent.objects.get(action="user.second_factor_reset")
    assert event.actor == admin_user and event.target_id == str(analyst.pk)
    assert user_session.get("/staff/")["Location"].startswith("/accounts/two-factor/setup/")  # at once
    assert services.second_factor_reset(actor=admin_user, user=analyst) is False


def test_only_an_administrator_may_reset(world):
    analyst = world["users"]["analyst"]
    _enrol(analyst)
    with pytest.raises(PermissionDeniedError):
        services.second_factor_reset(actor=world["users"]["registry_officer"], user=analyst)
    assert TOTPDevice.objects.filter(user=analyst).exists()


def test_secrets_stay_out_of_the_admin(client, world):
    client.force_login(world["users"]["ikvd_admin"])
    for url in ["/admin/otp_totp/totpdevice/", "/admin/otp_static/staticdevice/"]:
        assert client.get(url).status_code == 404, url


# Deployment ----------------------------------------------------------------------------------------------------

def test_the_deploy_check_refuses_a_deployment_without_the_second_factor():
    from ikms.core.checks import second_factor_check

    with override_settings(IKMS_REQUIRE_2FA=False):
        assert [e.id for e in second_factor_check(None)] == ["ikms.E002"]
    with override_settings(IKMS_REQUIRE_2FA=True):
        assert second_factor_check(None) == []


# The demo ------------------------------------------------------------------------------------------------------

def test_the_demo_account_has_the_published_app_and_codes_and_stays_so(client):
    import io

    from django.core.management import call_command

    from ikms.accounts import demo

    assert demo.ensure_two_factor_account() is None  # not a demo database: nothing written
    demo.create_staff()
    user = demo.ensure_two_factor_account()
    assert user.username == demo.TWO_FACTOR_USERNAME and requires_second_factor(user) is False
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == demo.two_factor_key_hex()
    installs = AuditEvent.objects.filter(action="user.second_factor_install").count()
    demo.ensure_two_factor_account()
    assert AuditEvent.objects.filter(action="user.second_factor_install").count() == installs  # nothing to do

    response = client.post("/accounts/login/", {"username": demo.TWO_FACTOR_USERNAME,
                                                "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/")["Location"].startswith("/accounts/two-factor/verify/")
    out = io.StringIO()
    call_command("demo_accounts", code=True, stdout=out)
    assert client.post("/accounts/two-factor/verify/", {"code": out.getvalue().strip()}).status_code == 302
    client.logout()
    client.post("/accounts/login/", {"username": demo.TWO_FACTOR_USERNAME, "password": demo.DEMO_PASSWORD})
    assert client.post("/accounts/two-factor/verify/",
                       {"code": demo.TWO_FACTOR_RECOVERY_CODES[0]}).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == len(demo.TWO_FACTOR_RECOVERY_CODES) - 1

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)  # every `make demo`: the used code is given back
    assert StaticToken.objects.filter(device__user=user).count() == len(demo.TWO_FACTOR_RECOVERY_CODES)
    text = out.getvalue()
    assert demo.TWO_FACTOR_SECRET in text and all(code in text for code in demo.TWO_FACTOR_RECOVERY_CODES)
    assert "kvalitate " in text and "analitikis" in text
    other = Client()
    assert other.post("/accounts/login/", {"username": "analitikis", "password": demo.DEMO_PASSWORD}).status_code == 302
    assert other.get("/staff/").status_code == 200  # the other demo accounts: the password alone


def test_the_command_resets_a_second_factor(world):
    import io

    from django.core.management import CommandError, call_command

    analyst = world["users"]["analyst"]
    _enrol(analyst)
    with pytest.raises(CommandError, match="IKVD administrator"):
        call_command("reset_second_factor", "analyst", actor="officer", stdout=io.StringIO())
    out = io.StringIO()
    call_command("reset_second_factor", "analyst", stdout=out)
    assert "Reset / Atiestatīta: analyst" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert AuditEvent.objects.get(action="user.second_factor_reset").actor is None
    out = io.StringIO()
    call_command("reset_second_factor", "analyst", stdout=out)
    assert "nothing to reset" in out.getvalue()


def test_recovery_codes_are_stored_keyed_and_survive_a_key_rotation(world, settings):
    analyst = world["users"]["analyst"]
    _device, codes = _enrol(analyst)
    old_key = settings.SECRET_KEY
    assert services.recovery_code_digest(codes[0]) in set(
        StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True))
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-secret-key-" + "x" * 40, [old_key]
    assert services.recovery_code_digest(codes[0]) not in set(
        StaticToken.objects.filter(device__user=analyst).values_list("token", flat=True))
    assert isinstance(services.second_factor_verify(actor=analyst, code=codes[0]), StaticDevice)
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(services.SecondFactorError):
        services.second_factor_verify(actor=analyst, code=codes[1])
