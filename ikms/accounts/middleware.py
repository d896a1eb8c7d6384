"""Session limits (OWASP ASVS 3.3, ADR 0014): a signed-in user is signed out after
settings.IKMS_SESSION_IDLE_SECONDS without a request, and IKMS_SESSION_MAX_SECONDS after signing in whatever
the activity. The session holds two Unix times: when the user signed in and when they were last active."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LOGIN_AT = "ikms_login_at"
LAST_ACTIVITY = "ikms_last_activity"
MESSAGES = {
    "idle": lambda: _("You were signed out because you were inactive for too long. Sign in again."),
    "absolute": lambda: _("Your session reached its maximum length and you were signed out. Sign in again."),
}
TOUCH_EVERY = 60  # seconds: last activity is written at most once a minute, not on every request


def now() -> int:
    """The clock of the session limits (tests move it)."""
    return int(time.time())


def start(session) -> None:
    """Start the clocks of a new sign-in (ikms.accounts.apps connects this to user_logged_in)."""
    session[LOGIN_AT] = session[LAST_ACTIVITY] = now()


def expired(session) -> str | None:
    """Why the session is over ("idle" or "absolute"), or None while it is alive."""
    t = now()
    login_at, last = session.get(LOGIN_AT), session.get(LAST_ACTIVITY)
    if login_at is not None and t - login_at >= settings.IKMS_SESSION_MAX_SECONDS:
        return "absolute"
    if last is not None and t - last >= settings.IKMS_SESSION_IDLE_SECONDS:
        return "idle"
    return None


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. An expired session is flushed (logout) and the user
    is sent to the sign-in page with a message, `next` pointing back to the page asked for; an API request goes on
    as anonymous (and is refused by the API's own permission checks)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = expired(request.session)
            if reason is not None:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.warning(request, MESSAGES[reason]())
                    return redirect_to_login(request.get_full_path())
            else:
                t = now()
                request.session.setdefault(LOGIN_AT, t)  # a session from before these limits
                if t - request.session.get(LAST_ACTIVITY, 0) >= TOUCH_EVERY:
                    request.session[LAST_ACTIVITY] = t
        return self.get_response(request)
