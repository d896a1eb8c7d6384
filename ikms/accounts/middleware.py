"""Session limits (OWASP ASVS 3.3, ADR 0014): a signed-in user is signed out after
settings.IKMS_SESSION_IDLE_SECONDS without a request, and IKMS_SESSION_MAX_SECONDS after signing in whatever
the activity. The session holds two Unix times: when the user signed in and when they were last active.

The second factor (ADR 0019): a session that owes its second factor (permissions.second_factor_step) reaches only
the set-up and verification pages, sign-out, the language switch and public pages."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import override

from ikms.accounts.permissions import SETUP, second_factor_step

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


#: Pages a session that owes its second factor may open (besides public ones).
SECOND_FACTOR_OPEN = frozenset({"accounts:two-factor-verify", "accounts:two-factor-setup", "accounts:logout",
                                "set_language"})


def second_factor_message() -> str:
    """The API's refusal, in Latvian and English (an API client may not send a language)."""
    parts = []
    for language in ("lv", "en"):
        with override(language):
            parts.append(_("Two-factor authentication is required: sign in on the web page and enter the code from "
                           "your authenticator app first."))
    return " / ".join(parts)


class SecondFactorMiddleware:
    """After the authentication, login-required, message and session-limit middleware, and django-otp's
    OTPMiddleware. While the signed-in user owes the second factor in this session:

    * pages are redirected to the verification page (the user has an authenticator app) or the set-up page (the
      user must use one and has none), with `next` pointing back; htmx requests get HX-Redirect instead;
    * API requests (/api/…) are answered 403 with a JSON message in both languages, never redirected;
    * the admin is never a public page here, whatever its views are marked (the admin site asks too:
      ikms.core.admin_site);
    * the two pages themselves, sign-out, the language switch and public views (login_not_required) are let
      through. `request.ikms_second_factor_step` tells templates (the header hides the staff links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = second_factor_step(request.user)
        request.ikms_second_factor_step = step
        if step is None:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_OPEN:
            return None
        path = request.path
        if path.startswith("/api/"):
            return JsonResponse({"message": second_factor_message(), "extra": {"second_factor": step}}, status=403)
        is_admin = path.startswith(resolve_url("admin:index"))
        if not is_admin and getattr(view_func, "login_required", True) is False:
            return None  # public pages: nothing there depends on who is signed in
        target = resolve_url("accounts:two-factor-setup" if step == SETUP else "accounts:two-factor-verify")
        url = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        response = HttpResponseRedirect(url)
        add_never_cache_headers(response)
        return response
