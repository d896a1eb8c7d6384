"""URL configuration. Latvian pages at /, English under /en/; the API and admin are not prefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from ikms.core.admin_site import configure_admin

configure_admin()

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", include("ikms.registry.api_urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("ikms.portal.urls")),
    path("accounts/", include("ikms.accounts.urls")),
    path("staff/", include("ikms.registry.urls")),
    prefix_default_language=False,
)
