"""Passwords are hashed with Argon2id at OWASP's parameters (ADR 0020); an older PBKDF2 hash still signs in and is
rehashed with Argon2id on the way. The test settings hash with MD5 for speed, so these tests put the list of
config/django/base.py back (tests/test_deploy.py checks that the deployed settings have it)."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher, identify_hasher, make_password

from ikms.accounts.hashers import Argon2idPasswordHasher
from ikms.accounts.models import User
from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user

PASSWORD = "garš-un-labs-123"
HASHERS = ["ikms.accounts.hashers.Argon2idPasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher",
           "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = HASHERS


def test_a_new_password_is_an_argon2id_hash_with_owasp_parameters(real_hashers):
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    hasher = identify_hasher(encoded)
    assert isinstance(hasher, Argon2idPasswordHasher)
    assert hasher.verify(PASSWORD, encoded) and not hasher.verify(PASSWORD + "x", encoded)
    assert not hasher.must_update(encoded)


def _signs_in(client, username: str, password: str) -> bool:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code == 302


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_signs_in_and_is_upgraded(client, real_hashers):
    user = make_user(Role.ANALYST, username="anda")
    old = PBKDF2PasswordHasher().encode(PASSWORD, "ikmssalt0123456789", iterations=1_000_000)
    User.objects.filter(pk=user.pk).update(password=old)

    assert not _signs_in(client, "anda", "nepareiza-parole")
    user.refresh_from_db()
    assert user.password == old  # a wrong password changes nothing

    assert _signs_in(client, "anda", PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    client.logout()
    assert _signs_in(client, "anda", PASSWORD)  # and the new hash signs in


@pytest.mark.django_db
def test_an_argon2_hash_with_other_parameters_is_rehashed_with_ours(client, real_hashers):
    user = make_user(Role.ANALYST, username="anda")
    django_default = Argon2PasswordHasher().encode(PASSWORD, "ikmssalt0123456789")  # 100 MiB, 8 lanes
    assert "m=102400,t=2,p=8" in django_default
    User.objects.filter(pk=user.pk).update(password=django_default)

    assert _signs_in(client, "anda", PASSWORD)
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password
