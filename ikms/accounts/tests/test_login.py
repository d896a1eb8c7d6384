"""Sign-in works, and repeated failures lock the username out (django-axes)."""

import pytest
from django.conf import settings

from ikms.accounts.roles import Role
from ikms.accounts.testing import make_user

pytestmark = pytest.mark.django_db


def test_login_and_redirect_to_my_work(client):
    make_user(Role.ANALYST, username="anda", password="labs-parole-123")
    response = client.post("/accounts/login/", {"username": "anda", "password": "labs-parole-123"})
    assert response.status_code == 302
    assert response["Location"] == "/mani-darbi/"


def test_wrong_password_shows_error(client):
    make_user(Role.ANALYST, username="anda", password="labs-parole-123")
    response = client.post("/en/accounts/login/", {"username": "anda", "password": "nepareiza"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_brute_force_is_locked_out(client):
    make_user(Role.ANALYST, username="anda", password="labs-parole-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "anda", "password": "nepareiza"})
    response = client.post("/accounts/login/", {"username": "anda", "password": "labs-parole-123"})
    assert response.status_code == 429
    assert "30" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_role_assignment_scope_is_validated():
    from django.core.exceptions import ValidationError

    from ikms.accounts.models import RoleAssignment

    user = make_user(None)
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(user=user, role=Role.FOUNDER).full_clean()
    assert "founder" in exc.value.message_dict
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role=Role.INSTITUTION_HEAD).full_clean()
