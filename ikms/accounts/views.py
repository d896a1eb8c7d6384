"""Sign-in (brute-force protected by django-axes), sign-out, the user's own profile, password change for every
signed-in user and password reset by e-mail (a link that works once and for settings.PASSWORD_RESET_TIMEOUT);
sign-in is throttled per account and an account locked at the hard cap is unlocked by an e-mailed link
(ikms.accounts.throttling, ADR 0015). The second factor (ADR 0019): setting up an authenticator app, the code asked
after the password, the user's own two-factor page, new recovery codes and switching it off."""

from base64 import b32encode

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ikms.accounts import services, throttling
from ikms.accounts.permissions import can_disable_second_factor, requires_second_factor
from ikms.accounts.selectors import (
    active_assignments,
    has_second_factor,
    is_verified,
    recovery_codes_left,
    totp_device_of,
)
from ikms.core.exceptions import ApplicationError
from ikms.core.forms import GovukForm, GovukFormMixin


class LoginForm(GovukFormMixin, throttling.ThrottledLoginMixin, auth_views.AuthenticationForm):
    """Django's authentication form with GOV.UK Frontend markup, throttled per account."""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429  # Too Many Requests; the form says how long to wait
        return response


@login_not_required
def unlock(request, token: str):
    """The link e-mailed when an account is locked: the page asks to confirm (a GET changes nothing, so a mail
    scanner opening the link does not use it) and the POST lifts the lock."""
    user = throttling.user_for_unlock_token(token)
    if user is None:
        return render(request, "accounts/unlock.html", {"valid": False}, status=400)
    if request.method == "POST":
        services.user_unlock(actor=None, user=user, via="email")
        return render(request, "accounts/unlock.html", {"valid": True, "done": True})
    return render(request, "accounts/unlock.html", {"valid": True, "done": False})


class LogoutView(auth_views.LogoutView):
    pass


def profile(request):
    return render(request, "accounts/profile.html", {"assignments": active_assignments(request.user),
                                                     "has_second_factor": has_second_factor(request.user)})


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Keeps the user signed in on this session (Django rotates the session's auth hash) and signs out the others."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password-change-done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    """Always answers "check your e-mail", so the page does not tell whether an address has an account."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    @property
    def extra_email_context(self):
        return {"reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reset_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# The second factor (ADR 0019) ---------------------------------------------------------------------------------

SETUP_SESSION_KEY = "ikms_totp_setup_device"  # the unconfirmed device this session's set-up page shows
FEW_RECOVERY_CODES = 3


class CodeForm(GovukForm):
    """One code: from the authenticator app, or (where allowed) a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=32, strip=True,
        help_text=gettext_lazy("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false",
                                      "autocapitalize": "none", "class": "govuk-input--width-10"}))


class AppCodeForm(CodeForm):
    """The code that confirms a new authenticator app: digits only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label = gettext_lazy("Code from the app")
        field.help_text = gettext_lazy("The 6-digit code the app shows after you have added IKMS to it.")
        field.widget.attrs["inputmode"] = "numeric"


def _next_url(request) -> str:
    """Where to go after the second factor: `next` if it is a path on this site, else the start page
    (settings.LOGIN_REDIRECT_URL: "Mani darbi")."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(view_name: str, next_url: str) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': next_url})}"


def _mark_verified(request, device) -> None:
    """The session passed the second factor: remember the device (django-otp) and give the session a new key, as
    at any change of the authentication level (ASVS 3.2.1)."""
    django_otp.login(request, device)
    request.session.cycle_key()


def _refused(form: CodeForm, exc: services.SecondFactorError) -> int:
    """Put the refusal on the form; the HTTP status of the page (429 while throttled)."""
    form.add_error("code", exc.message)
    return 429 if exc.extra.get("wait_seconds") else 200


def qr_code_svg(text: str) -> str:
    """`text` as a QR code: an inline <svg> element drawn on the server (no script, no image URL), with a title."""
    svg = segno.make(text, error="m").svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", svgclass="ikms-qr",
                                                   lineclass=None, title=_("QR code for your authenticator app"))
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def grouped_secret(device: TOTPDevice) -> str:
    """The device's secret in base32, in groups of four for typing into an app."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _setup_device(request, *, create: bool) -> TOTPDevice | None:
    """This session's unconfirmed device; with `create`, a new one when there is none. Bound to the session, so a
    secret shown to one session (say, to someone holding a stolen password) is never shown to another."""
    device = TOTPDevice.objects.filter(pk=request.session.get(SETUP_SESSION_KEY), user=request.user,
                                       confirmed=False).first()
    if device is None and create:
        device = services.totp_device_start(actor=request.user)
        request.session[SETUP_SESSION_KEY] = device.pk
    return device


def _codes_page(request, codes: list[str], *, next_url: str, new_setup: bool):
    return render(request, "accounts/two_factor_codes.html",
                  {"codes": codes, "next": next_url, "new_setup": new_setup})


@never_cache
def two_factor_setup(request):
    """Set up an authenticator app: a QR code and the secret, confirmed with a code; then the recovery codes,
    shown once."""
    next_url = _next_url(request)
    if has_second_factor(request.user):
        messages.info(request, _("Two-factor authentication is already set up for your account."))
        return redirect("accounts:two-factor")
    form = AppCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        device = _setup_device(request, create=False)
        if device is None:
            messages.warning(request, _("This set-up is no longer valid. Start again."))
            return redirect(_with_next("accounts:two-factor-setup", next_url))
        if form.is_valid():
            try:
                device, codes = services.totp_device_confirm(actor=request.user, device_id=device.pk,
                                                             code=form.cleaned_data["code"])
            except services.SecondFactorError as exc:
                status = _refused(form, exc)
            except ApplicationError as exc:
                messages.warning(request, exc.message)
                return redirect(_with_next("accounts:two-factor-setup", next_url))
            else:
                request.session.pop(SETUP_SESSION_KEY, None)
                _mark_verified(request, device)
                return _codes_page(request, codes, next_url=next_url, new_setup=True)
    else:
        device = _setup_device(request, create=True)
    context = {"form": form, "next": next_url, "qr_svg": mark_safe(qr_code_svg(device.config_url)),  # noqa: S308
               "secret": grouped_secret(device), "required": requires_second_factor(request.user)}
    return render(request, "accounts/two_factor_setup.html", context, status=status)


@never_cache
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code (used up)."""
    next_url = _next_url(request)
    if is_verified(request.user):
        return redirect(next_url)
    if not has_second_factor(request.user):
        if requires_second_factor(request.user):
            return redirect(_with_next("accounts:two-factor-setup", next_url))
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(actor=request.user, code=form.cleaned_data["code"])
        except services.SecondFactorError as exc:
            status = _refused(form, exc)
        else:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(request.user)
                messages.warning(request, ngettext(
                    "You signed in with a recovery code; it cannot be used again. You have %(count)d left.",
                    "You signed in with a recovery code; it cannot be used again. You have %(count)d left.",
                    left) % {"count": left} + (" " + _("Make new recovery codes on your two-factor page.")
                                               if left <= FEW_RECOVERY_CODES else ""))
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
def two_factor(request):
    """The user's own two-factor page: whether it is set up, recovery codes left, what can be done."""
    device = totp_device_of(request.user)
    context = {"device": device, "codes_left": recovery_codes_left(request.user) if device else 0,
               "required": requires_second_factor(request.user),
               "can_disable": can_disable_second_factor(request.user)}
    return render(request, "accounts/two_factor.html", context)


@never_cache
def two_factor_recovery_codes(request):
    """New recovery codes, confirmed with a current code; the old ones stop working."""
    if not has_second_factor(request.user):
        return redirect("accounts:two-factor")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(actor=request.user, code=form.cleaned_data["code"])
        except services.SecondFactorError as exc:
            status = _refused(form, exc)
        else:
            return _codes_page(request, codes, next_url=reverse("accounts:two-factor"), new_setup=False)
    return render(request, "accounts/two_factor_recovery_codes.html", {"form": form}, status=status)


@never_cache
def two_factor_disable(request):
    """Switch the second factor off, confirmed with a current code: only for users who are not required to use
    it (services.second_factor_disable refuses the others)."""
    if not has_second_factor(request.user) or not can_disable_second_factor(request.user):
        return redirect("accounts:two-factor")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_disable(actor=request.user, code=form.cleaned_data["code"])
        except services.SecondFactorError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("Two-factor authentication is switched off for your account."))
            return redirect("accounts:two-factor")
    return render(request, "accounts/two_factor_disable.html", {"form": form}, status=status)
