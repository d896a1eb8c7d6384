"""Writes for accounts: creating users, granting or ending roles, unlocking sign-in and the second factor
(setting up an authenticator app, checking its codes, recovery codes, switching it off or resetting it), each
audited."""

import base64
import datetime
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts.models import LoginThrottle, RoleAssignment, User
from ikms.accounts.permissions import ROLE_MANAGERS, can_disable_second_factor, require_role
from ikms.accounts.roles import Role
from ikms.accounts.selectors import has_second_factor
from ikms.core.audit import audit_log
from ikms.core.exceptions import ApplicationError, PermissionDeniedError


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, first_name: str = "", last_name: str = "",
                email: str = "", is_staff: bool = False, is_superuser: bool = False) -> User:
    """Create a user account."""
    if User.objects.filter(username=username).exists():
        raise ApplicationError(_("A user with this name already exists."))
    user = User(username=username, first_name=first_name, last_name=last_name, email=email,
                is_staff=is_staff, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    audit_log(actor=actor, action="user.create", target=user, data={"username": username})
    return user


def _require_role_manager(actor) -> None:
    """Roles are granted and ended by an IKVD administrator, or by the system (actor None:
    management commands, demo data, tests)."""
    if actor is not None:
        require_role(actor, *ROLE_MANAGERS)


def check_role_overlap(*, user: User, role: Role | str, founder=None, institution=None,
                       valid_from: datetime.date, valid_to: datetime.date | None,
                       exclude_pk: int | None = None) -> None:
    """Refuse a second assignment of the same role and scope for a period that overlaps one the
    user already has (ValidationError; the message is lazy, so it renders in any language)."""
    if user.pk is None:
        return
    same = (RoleAssignment.objects.filter(user=user, role=str(role), founder=founder, institution=institution)
            .exclude(pk=exclude_pk).order_by("valid_from"))
    other = next((a for a in same if a.overlaps(valid_from, valid_to)), None)
    if other is not None:
        period = f"{other.valid_from.isoformat()} – {other.valid_to.isoformat() if other.valid_to else '…'}"
        raise ValidationError(
            gettext_lazy("User %(user)s already holds this role with the same scope for an overlapping "
                         "period (%(period)s)."),
            code="role_overlap", params={"user": user.username, "period": period})


@transaction.atomic
def role_grant(*, actor, user: User, role: Role, founder=None, institution=None,
               valid_from: datetime.date | None = None, valid_to: datetime.date | None = None,
               note: str = "") -> RoleAssignment:
    """Give a user a role, scoped and time-limited as the role requires; never twice for the same
    scope and an overlapping period."""
    _require_role_manager(actor)
    role = Role(role)
    assignment = RoleAssignment(user=user, role=role.value, founder=founder, institution=institution,
                                valid_from=valid_from or timezone.localdate(), valid_to=valid_to, note=note)
    assignment.full_clean()
    check_role_overlap(user=user, role=role, founder=founder, institution=institution,
                       valid_from=assignment.valid_from, valid_to=valid_to)
    assignment.save()
    audit_log(actor=actor, action="role.grant", target=assignment,
              data={"user": user.username, "role": role.value,
                    "founder": founder.pk if founder else None,
                    "institution": institution.pk if institution else None,
                    "valid_from": assignment.valid_from, "valid_to": valid_to},
              institution_id=institution.pk if institution else None)
    user.__dict__.pop("_ikms_assignments", None)
    return assignment


@transaction.atomic
def role_end(*, actor, assignment: RoleAssignment, valid_to: datetime.date) -> RoleAssignment:
    """End a role assignment on a date, the last day it is held (history is kept)."""
    _require_role_manager(actor)
    assignment.valid_to = valid_to
    assignment.full_clean()
    check_role_overlap(user=assignment.user, role=assignment.role, founder=assignment.founder,
                       institution=assignment.institution, valid_from=assignment.valid_from,
                       valid_to=valid_to, exclude_pk=assignment.pk)
    assignment.save(update_fields=["valid_to", "updated_at"])
    audit_log(actor=actor, action="role.end", target=assignment, data={"valid_to": valid_to},
              institution_id=assignment.institution_id)
    assignment.user.__dict__.pop("_ikms_assignments", None)
    return assignment


@transaction.atomic
def user_unlock(*, actor, user: User, via: str = "admin") -> bool:
    """Lift the sign-in lock and the delays of the throttle (ikms.accounts.throttling) from an account: by an
    IKVD administrator, or with actor None once the e-mailed unlock link is verified (`via` "email"). False
    (and nothing recorded) when the account was not locked."""
    _require_role_manager(actor)
    row = LoginThrottle.objects.select_for_update().filter(username=user.username).first()
    if row is None or row.locked_at is None:
        return False
    audit_log(actor=actor, action="user.sign_in_unlock", target=user,
              data={"via": via, "locked_at": row.locked_at, "failures": row.window_failures})
    row.delete()
    return True


# The second factor (ADR 0019) ---------------------------------------------------------------------------------
#
# An authenticator app is a django-otp TOTPDevice (RFC 6238: 6 digits, 30-second steps, one step either side,
# a code never accepted twice). Recovery codes are the tokens of one otp_static StaticDevice per user; each works
# once. They are stored as keyed hashes (recovery_code_digest), never as the codes themselves. Wrong codes are
# throttled per device by django-otp (the next attempt waits 1, 2, 4 … seconds), and the throttle's state is
# committed even when the attempt is refused, so the functions that check a code keep their transaction inside
# (_check_code, _confirm) and raise only after it has committed.

RECOVERY_CODE_SALT = "ikms.accounts.recovery-code"
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # base32: no 0/o or 1/l to confuse
RECOVERY_CODE_LENGTH = 10  # 50 bits, shown as xxxxx-xxxxx
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
T = TypeVar("T")


class SecondFactorError(ApplicationError):
    """A code was refused: wrong, or not checked because of earlier wrong codes (extra["wait_seconds"])."""


def normalize_recovery_code(code: str) -> str:
    """A recovery code as typed (any case, with or without the hyphen and spaces) in its stored form."""
    return "".join(ch for ch in code.lower() if ch not in " -\t")


def recovery_code_digest(code: str, *, secret: str | None = None) -> str:
    """The stored form of a recovery code: HMAC-SHA256 keyed by the SECRET_KEY (or `secret`), in 16 base32
    characters (80 bits; otp_static's token column holds 16). A copy of the database alone does not give the codes,
    nor a way to test guesses offline."""
    mac = salted_hmac(RECOVERY_CODE_SALT, normalize_recovery_code(code), secret=secret, algorithm="sha256")
    return base64.b32encode(mac.digest()).decode("ascii")[:16].lower()


def _digests(code: str) -> list[str]:
    """The code's digest under the current key and under each of settings.SECRET_KEY_FALLBACKS (rotation)."""
    return [recovery_code_digest(code)] + [recovery_code_digest(code, secret=key)
                                           for key in getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def new_recovery_code() -> str:
    """A random recovery code, xxxxx-xxxxx."""
    raw = "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _replace_recovery_codes(user: User, codes: list[str] | None = None) -> list[str]:
    """Remove the user's recovery codes and store `codes` (default: settings.IKMS_RECOVERY_CODE_COUNT new ones)."""
    codes = codes if codes is not None else [new_recovery_code() for _ in range(settings.IKMS_RECOVERY_CODE_COUNT)]
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.full_clean()
    device.save()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=recovery_code_digest(c)) for c in codes])
    return codes


def _wait_seconds(device: Device) -> int:
    """Seconds before `device` checks a code again (0: now)."""
    allowed, info = device.verify_is_allowed()
    if allowed or not info or "locked_until" not in info:
        return 0
    return max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking one code: the device that accepted it, or how long to wait (0: it was wrong)."""

    device: Device | None
    wait_seconds: int = 0

    def refusal(self) -> SecondFactorError:
        if self.wait_seconds:
            return SecondFactorError(
                ngettext("Too many wrong codes. Wait %(seconds)d second and try again.",
                         "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                         self.wait_seconds) % {"seconds": self.wait_seconds},
                extra={"wait_seconds": self.wait_seconds})
        return SecondFactorError(_("The code is not correct. Enter the 6-digit code your authenticator app shows "
                                   "now, or one of your recovery codes."))


@transaction.atomic
def _check_code(*, user: User, code: str, purpose: str) -> CodeCheck:
    """Check a code from the user's authenticator app (up to 8 digits) or a recovery code (anything else, which is
    used up). The device row is locked, so concurrent guesses are checked one at a time against the throttle."""
    text = "".join(code.split())
    if text.isdigit() and len(text) <= 8:  # an app's code; recovery codes have 10 characters
        method = "totp"
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        token = text
    else:
        method = "recovery_code"
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        digests = _digests(text)
        token = digests[0]
        if device is not None:
            token = device.token_set.filter(token__in=digests).values_list("token", flat=True).first() or token
    if device is None:
        return CodeCheck(None)
    wait = _wait_seconds(device)
    if wait:
        return CodeCheck(None, wait)
    if device.verify_token(token):
        audit_log(actor=user, action="user.second_factor_verify", target=user,
                  data={"method": method, "purpose": purpose})
        return CodeCheck(device)
    audit_log(actor=user, action="user.second_factor_failure", target=user,
              data={"method": method, "purpose": purpose, "failures": device.throttling_failure_count})
    return CodeCheck(None)


def second_factor_verify(*, actor: User, code: str) -> Device:
    """The second step of signing in: the device that accepted the actor's code (the view then marks the session
    verified), or SecondFactorError. A recovery code is used up."""
    result = _check_code(user=actor, code=code, purpose="sign_in")
    if result.device is None:
        raise result.refusal()
    return result.device


@transaction.atomic
def totp_device_start(*, actor: User) -> TOTPDevice:
    """A new, unconfirmed authenticator-app device for the actor's own account, with a fresh random secret, for
    the set-up page to show; earlier unconfirmed ones are removed. Refused when the account already has a confirmed
    one (a new app replaces the old only after it is switched off or reset), so a stolen password cannot add an
    app to an account that has one."""
    if has_second_factor(actor):
        raise ApplicationError(_("Two-factor authentication is already set up for your account."))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    device = TOTPDevice(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def _confirm(*, actor: User, device_id: int, code: str) -> tuple[CodeCheck, list[str]]:
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=actor, confirmed=False).first()
    if device is None or has_second_factor(actor):
        raise ApplicationError(_("This set-up is no longer valid. Start again."))
    wait = _wait_seconds(device)
    if wait:
        return CodeCheck(None, wait), []
    if not device.verify_token("".join(code.split())):
        return CodeCheck(None), []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    codes = _replace_recovery_codes(actor)
    audit_log(actor=actor, action="user.second_factor_enrol", target=actor,
              data={"recovery_codes": len(codes)})
    return CodeCheck(device), codes


def totp_device_confirm(*, actor: User, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the set-up started by totp_device_start with a code the app shows: the app becomes the account's
    second factor, and settings.IKMS_RECOVERY_CODE_COUNT new recovery codes are made. Returns the device and the
    codes, which are shown this once and stored only as hashes; a wrong code is SecondFactorError (throttled)."""
    result, codes = _confirm(actor=actor, device_id=device_id, code=code)
    if result.wait_seconds:
        raise result.refusal()
    if result.device is None:
        raise SecondFactorError(_("The code is not correct. Enter the 6-digit code your authenticator app shows "
                                  "now."))
    return result.device, codes


@transaction.atomic
def _after_code(*, user: User, code: str, purpose: str, action: Callable[[], T]) -> tuple[CodeCheck, T | None]:
    """Check a code and, only if it is accepted, run `action` in the same transaction. A refused code commits its
    throttle state and runs nothing; the caller raises the refusal after this returns."""
    result = _check_code(user=user, code=code, purpose=purpose)
    return result, (action() if result.device is not None else None)


def recovery_codes_regenerate(*, actor: User, code: str) -> list[str]:
    """New recovery codes for the actor's own account (the old ones stop working), confirmed with a current code
    (SecondFactorError otherwise). Returns the codes, shown once."""
    if not has_second_factor(actor):
        raise ApplicationError(_("Two-factor authentication is not set up for your account."))

    def regenerate() -> list[str]:
        codes = _replace_recovery_codes(actor)
        audit_log(actor=actor, action="user.recovery_codes_regenerate", target=actor, data={"count": len(codes)})
        return codes

    result, codes = _after_code(user=actor, code=code, purpose="recovery_codes", action=regenerate)
    if codes is None:
        raise result.refusal()
    return codes


def _remove_devices(user: User) -> int:
    """Delete the user's authenticator apps and recovery-code sets (with their codes); how many devices went."""
    apps = TOTPDevice.objects.filter(user=user).delete()[1].get(TOTPDevice._meta.label, 0)
    return apps + StaticDevice.objects.filter(user=user).delete()[1].get(StaticDevice._meta.label, 0)


def second_factor_disable(*, actor: User, code: str) -> None:
    """Switch off the actor's own second factor (app and recovery codes), confirmed with a current code. Refused
    for a user who must use one (permissions.requires_second_factor)."""
    if not can_disable_second_factor(actor):
        raise PermissionDeniedError(_("Your roles require two-factor authentication, so it cannot be switched off."))
    if not has_second_factor(actor):
        raise ApplicationError(_("Two-factor authentication is not set up for your account."))

    def disable() -> bool:
        _remove_devices(actor)
        audit_log(actor=actor, action="user.second_factor_disable", target=actor)
        return True

    result, done = _after_code(user=actor, code=code, purpose="disable", action=disable)
    if not done:
        raise result.refusal()


@transaction.atomic
def second_factor_reset(*, actor, user: User) -> bool:
    """Remove a user's authenticator app and recovery codes (a lost phone): by an IKVD administrator, or the
    system (actor None: the reset_second_factor command). The user's sessions that passed the second factor with
    the app end their verification at once; at the next sign-in the user sets up an app again if required.
    False (and nothing recorded) when the user had none."""
    _require_role_manager(actor)
    removed = _remove_devices(user)
    if not removed:
        return False
    audit_log(actor=actor, action="user.second_factor_reset", target=user, data={"devices": removed})
    return True


@transaction.atomic
def second_factor_install(*, actor, user: User, key_hex: str, recovery_codes: list[str]) -> TOTPDevice:
    """Give a user a confirmed authenticator app with a known secret and known recovery codes, replacing any they
    had: only the system may (actor None), for the demo account that shows the flow (ikms.accounts.demo). The
    throttle and the last accepted step start afresh."""
    if actor is not None:
        raise PermissionDeniedError(_("Only the system may install a known second factor."))
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True)
    device.full_clean()
    device.save()
    _replace_recovery_codes(user, list(recovery_codes))
    audit_log(actor=actor, action="user.second_factor_install", target=user,
              data={"recovery_codes": len(recovery_codes)})
    return device
