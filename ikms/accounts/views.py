"""Sign-in (brute-force protected by django-axes), sign-out, the user's own profile, password change for every
signed-in user and password reset by e-mail (a link that works once and for settings.PASSWORD_RESET_TIMEOUT);
sign-in is throttled per account and an account locked at the hard cap is unlocked by an e-mailed link
(ikms.accounts.throttling, ADR 0015)."""

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse_lazy

from ikms.accounts import services, throttling
from ikms.accounts.selectors import active_assignments
from ikms.core.forms import GovukFormMixin


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
    return render(request, "accounts/profile.html", {"assignments": active_assignments(request.user)})


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
