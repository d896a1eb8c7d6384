"""Sign-in throttling per account (ADR 0015), next to django-axes' lock of a username+address pair.

* After settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES failures for a username, from any number of addresses,
  the next attempt for it is refused until a delay has passed since the last failure: BASE seconds, doubled
  with every further failure, at most MAX seconds. A refused attempt checks no password, counts as no
  failure (so it neither lengthens the delay nor counts toward axes' lock of the address) and is answered
  at once with "try again in N seconds"; the request never sleeps. The real user's correct password after
  the delay signs them in, and a success ends the streak. An attempt counts as a failure from the moment its
  password check starts (`claim`), so concurrent guesses cannot slip past a delay together.
* IKMS_LOGIN_LOCK_FAILURES failures within IKMS_LOGIN_LOCK_WINDOW_SECONDS (success or not in between) lock
  the account until an IKVD administrator unlocks it (admin action) or the user follows the link e-mailed
  at the lock (`unlock_token`, valid for IKMS_LOGIN_UNLOCK_TIMEOUT seconds and for this lock only).
* The client address axes keys on is `client_ip`: REMOTE_ADDR, or in production the address the trusted
  reverse proxies saw (settings.IKMS_TRUSTED_PROXY_COUNT, 0 outside production).

Every username is throttled alike, whether an account has it or not, so the answers do not tell which exist.
"""

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ikms.accounts.models import LoginThrottle, User
from ikms.core.audit import audit_log

UNLOCK_SALT = "ikms.accounts.unlock"


def now() -> dt.datetime:
    """The clock of the throttle (tests move it)."""
    return timezone.now()


def client_ip(request) -> str | None:
    """The client's address (settings.AXES_CLIENT_IP_CALLABLE). With IKMS_TRUSTED_PROXY_COUNT = n > 0
    (production), the n-th address from the right of X-Forwarded-For: each trusted proxy appends the address
    it received the request from, so whatever the client wrote further left is ignored. Outside production
    (n = 0), or when the header is missing, short or malformed, REMOTE_ADDR: a client cannot choose its
    address by sending the header."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.IKMS_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def delay_seconds(failures: int) -> int:
    """Seconds to wait after the `failures`-th failure in a row before the next attempt."""
    extra = failures - settings.IKMS_LOGIN_THROTTLE_FREE_FAILURES
    if extra < 0:
        return 0
    return min(settings.IKMS_LOGIN_THROTTLE_BASE_SECONDS * 2 ** min(extra, 32),
               settings.IKMS_LOGIN_THROTTLE_MAX_SECONDS)


@dataclass(frozen=True)
class Refusal:
    locked: bool
    seconds: int = 0

    @property
    def message(self) -> str:
        if self.locked:
            return _("This account is locked after too many failed sign-in attempts. Open the unlock link sent "
                     "to the account's e-mail address, or ask the IKVD administrator to unlock it.")
        return ngettext("Too many failed sign-in attempts for this account. Try again in %(seconds)d second.",
                        "Too many failed sign-in attempts for this account. Try again in %(seconds)d seconds.",
                        self.seconds) % {"seconds": self.seconds}


def refusal(username: str) -> Refusal | None:
    """Why an attempt for `username` is refused now without checking its password, or None."""
    row = LoginThrottle.objects.filter(username=username).first()
    if row is None:
        return None
    if row.locked_at is not None:
        return Refusal(locked=True)
    wait = (row.retry_at - now()).total_seconds() if row.retry_at is not None else 0
    return Refusal(locked=False, seconds=math.ceil(wait)) if wait > 0 else None


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.IKMS_LOGIN_LOCK_WINDOW_SECONDS)


def claim(username: str) -> bool:
    """Take the right to check one password for `username`, or False when the throttle refuses it.

    The attempt is counted as a failure before the password is checked (`record_success` takes it back), in one
    conditional UPDATE that compares the streak it read: of concurrent attempts only one gets through, so a burst
    of parallel guesses cannot slip past the delay or the free failures."""
    t = now()
    LoginThrottle.objects.filter(last_failure_at__lt=t - _window(), locked_at__isnull=True).delete()
    row, _created = LoginThrottle.objects.get_or_create(username=username)  # a concurrent create: it gets that
    if row.locked_at is not None or (row.retry_at is not None and row.retry_at > t):
        return False
    failures = row.failures + 1
    return LoginThrottle.objects.filter(pk=row.pk, failures=row.failures, locked_at__isnull=True).update(
        failures=failures, last_failure_at=t, retry_at=t + dt.timedelta(seconds=delay_seconds(failures))) == 1


def record_failure(request, username: str) -> None:
    """The password checked after `claim` was wrong (or the username unknown): count it toward the hard cap
    and lock the account when it is reached. Conditional UPDATEs, so exactly one attempt locks (and mails)."""
    t = now()
    rows = LoginThrottle.objects.filter(username=username)
    rows.filter(Q(window_started_at__isnull=True) | Q(window_started_at__lte=t - _window())).update(
        window_started_at=t, window_failures=0)
    rows.update(window_failures=F("window_failures") + 1)
    if not rows.filter(locked_at__isnull=True, window_failures__gte=settings.IKMS_LOGIN_LOCK_FAILURES).update(
            locked_at=t):
        return
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        row = rows.get()
        audit_log(actor=None, action="user.sign_in_lock", target=user,
                  data={"failures": row.window_failures, "since": row.window_started_at})
        if user.email:
            link = request.build_absolute_uri(_unlock_path(unlock_token(user, row)))
            transaction.on_commit(lambda: _send_unlock_mail(user, link))


def record_success(username: str) -> None:
    """A correct password ends the streak (the delays) and takes back its own `claim`; the hard-cap count
    goes on."""
    LoginThrottle.objects.filter(username=username, locked_at__isnull=True).update(
        failures=0, last_failure_at=None, retry_at=None)


# The unlock link -------------------------------------------------------------------------------------------

def _lock_stamp(row: LoginThrottle) -> str:
    return str(int(row.locked_at.timestamp() * 1_000_000))


def unlock_token(user: User, row: LoginThrottle) -> str:
    """A signed, timestamped token naming the user and this lock: it stops working once the lock is lifted."""
    return signing.TimestampSigner(salt=UNLOCK_SALT).sign(f"{user.pk}:{_lock_stamp(row)}")


def _unlock_path(token: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("accounts:unlock", kwargs={"token": token})


def user_for_unlock_token(token: str) -> User | None:
    """The user a valid, unexpired token unlocks, while the lock it was made for lasts; otherwise None."""
    try:
        value = signing.TimestampSigner(salt=UNLOCK_SALT).unsign(
            token, max_age=dt.timedelta(seconds=settings.IKMS_LOGIN_UNLOCK_TIMEOUT))
        pk, stamp = value.split(":")
    except (signing.BadSignature, ValueError):
        return None
    user = User.objects.filter(pk=pk).first()
    row = user and LoginThrottle.objects.filter(username=user.username, locked_at__isnull=False).first()
    if row is None or _lock_stamp(row) != stamp:
        return None
    return user


def _send_unlock_mail(user: User, link: str) -> None:
    """In Latvian and English: the attempt's language is the attacker's, not the user's."""
    context = {"user": user, "link": link, "hours": settings.IKMS_LOGIN_UNLOCK_TIMEOUT // 3600}
    parts, subjects = [], []
    for language in ("lv", "en"):
        with translation.override(language):
            subjects.append(_("IKMS: your account is locked"))
            parts.append(render_to_string("accounts/unlock_email.txt", context).strip())
    send_mail(" / ".join(subjects), "\n\n----------\n\n".join(parts), None, [user.email])


# Where the throttle is applied -----------------------------------------------------------------------------

class ThrottledLoginMixin:
    """For AuthenticationForm subclasses (the sign-in page and the admin's): a refused attempt is a form error
    and never reaches authenticate(), so it is not a failure for axes or for the throttle."""

    throttled: Refusal | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            self.throttled = refusal(username)
            if self.throttled is not None:
                raise ValidationError(self.throttled.message,
                                      code="locked" if self.throttled.locked else "throttled")
        return super().clean()


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend that checks a password only after the throttle's `claim` and records the outcome.
    It runs after axes' backend, so an attempt axes refuses checks no password and is not recorded. The forms'
    ThrottledLoginMixin refuses first with the message; this refuses what slips past it (a concurrent attempt,
    a caller of authenticate() other than the forms)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None or request is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        if not claim(username):
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
        else:
            record_success(username)
        return user
