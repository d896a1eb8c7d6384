"""Sign-in (brute-force protected by django-axes), sign-out and the user's own profile."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from ikms.accounts.selectors import active_assignments
from ikms.core.forms import GovukFormMixin


class LoginForm(GovukFormMixin, auth_views.AuthenticationForm):
    """Django's authentication form with GOV.UK Frontend markup."""


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def profile(request):
    return render(request, "accounts/profile.html", {"assignments": active_assignments(request.user)})
