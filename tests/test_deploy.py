"""Production settings: required secrets have no default and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.django.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "ikms.example.lv",
    "DATABASE_URL": "sqlite:////tmp/ikms-deploy-check.sqlite3",
    "IKMS_PSEUDONYM_KEY": "Zq7-vR2pW9sKx4LmN8bT1yHc6JdFgE3uAo5_iVwXe0Q",  # 43 characters: 32 random bytes
}


def _run(env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "IKMS_"))}
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=False)


def test_check_deploy_reports_no_warnings():
    result = _run(PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("key", "problem"), [
    ("a-production-pseudonym-key", "bytes of key material"),  # 26 characters
    ("ab" * 20, "bytes of key material"),  # 40 hexadecimal digits: 20 bytes
    ("ikms-development-pseudonym-key-and-a-suffix", "the development key"),
    ("x" * 40, "different characters"),
])
def test_check_deploy_refuses_a_weak_pseudonym_key(key, problem):
    result = _run({**PROD_ENV, "IKMS_PSEUDONYM_KEY": key})
    assert result.returncode != 0
    assert "ikms.E001" in result.stderr + result.stdout and problem in result.stderr + result.stdout


def test_check_deploy_accepts_a_hexadecimal_key():
    result = _run({**PROD_ENV, "IKMS_PSEUDONYM_KEY": "9f" * 16 + "0123456789abcdef" * 2})  # 64 digits: 32 bytes
    assert result.returncode == 0, result.stdout + result.stderr


def test_key_material_counts_decoded_bytes():
    from ikms.core.checks import key_material

    assert key_material("00" * 32) == 32
    assert key_material("0" * 63) == 63  # an odd number of digits is not hexadecimal: counted as text
    assert key_material("ā" * 16) == 32  # UTF-8 bytes


def test_production_refuses_to_start_without_secret():
    env = {k: v for k, v in PROD_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _run(env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def _setting(env, expression: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "IKMS_"))}
    code = f"import django; django.setup(); from django.conf import settings; print(repr(({expression})))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def test_production_takes_the_client_address_from_the_trusted_proxy():
    """One reverse proxy by default (ADR 0015); outside production X-Forwarded-For is never read."""
    expression = "settings.IKMS_TRUSTED_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE"
    assert _setting(PROD_ENV, expression) == "(1, 'ikms.accounts.throttling.client_ip')"
    assert _setting({**PROD_ENV, "IKMS_TRUSTED_PROXY_COUNT": "2"}, expression).startswith("(2,")
    local = {"DJANGO_SETTINGS_MODULE": "config.django.local", "IKMS_TRUSTED_PROXY_COUNT": "2"}
    assert _setting(local, expression).startswith("(0,")


def test_production_requires_the_second_factor_and_the_demo_does_not():
    """ADR 0019: on in production whatever the environment says; off by default in the demo's local settings."""
    assert _setting({**PROD_ENV, "IKMS_REQUIRE_2FA": "false"}, "settings.IKMS_REQUIRE_2FA") == "True"
    assert _setting({"DJANGO_SETTINGS_MODULE": "config.django.local"}, "settings.IKMS_REQUIRE_2FA") == "False"


def test_passwords_are_hashed_with_argon2id_and_older_pbkdf2_hashes_still_verify():
    """ADR 0020: Argon2id first (new hashes, and older ones rehashed at sign-in), PBKDF2 after it."""
    for env in (PROD_ENV, {"DJANGO_SETTINGS_MODULE": "config.django.local"}):
        hashers = _setting(env, "settings.PASSWORD_HASHERS")
        assert hashers.startswith("['ikms.accounts.hashers.Argon2idPasswordHasher', "
                                  "'django.contrib.auth.hashers.PBKDF2PasswordHasher'"), hashers


def test_production_and_the_demo_share_one_cache_in_the_database():
    """ADR 0021: every web worker and the task worker see one cache (a table of the database), not a cache per
    process; DJANGO_CACHE_URL still chooses another."""
    expression = "settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION']"
    shared = "('django.core.cache.backends.db.DatabaseCache', 'ikms_cache')"
    assert _setting(PROD_ENV, expression) == shared
    assert _setting({"DJANGO_SETTINGS_MODULE": "config.django.local"}, expression) == shared
    chosen = _setting({**PROD_ENV, "DJANGO_CACHE_URL": "locmemcache://elsewhere"}, expression)
    assert chosen == "('django.core.cache.backends.locmem.LocMemCache', 'elsewhere')"
