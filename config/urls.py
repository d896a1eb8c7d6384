"""URL configuration. Latvian pages at /, English under /en/; the API and admin are not prefixed."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from ikms.core.openapi import not_found
from ikms.web.admin_site import configure_admin

configure_admin()

# Swagger UI and Redoc (third-party bundles from drf-spectacular-sidecar) set inline styles and Redoc runs its
# search in a blob: worker; their pages only, which show the public schema, allow that. Their scripts stay 'self':
# the split view serves Swagger UI's start-up script as a file instead of an inline <script>.
api_docs_csp = csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/monitoring/", include("ikms.monitoring.api.urls")),
    path("api/v1/", include("ikms.registry.api_urls")),
    path("api/v1/public/", include("ikms.portal.api_urls")),
    path("api/v1/complaints/", include("ikms.complaints.api.urls")),
    path("api/v1/inspections/", include("ikms.inspections.api.urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("api/docs/", login_not_required(api_docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))),
         name="api-docs"),
    path("api/redoc/", login_not_required(api_docs_csp(SpectacularRedocView.as_view(url_name="api-schema"))),
         name="api-redoc"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("ikms.portal.urls")),
    path("registrs/psihologi/", include("ikms.psychologists.public_urls")),  # the public register of psychologists
    path("", include("ikms.web.help_urls")),  # help and the accessibility statement (public; ikms.web, ADR 0018)
    path("accounts/", include("ikms.accounts.urls")),
    path("staff/", include("ikms.registry.urls")),
    path("monitoring/", include("ikms.monitoring.urls")),
    path("", include("ikms.web.urls")),  # "Mani darbi" and the institution dossier (ikms.web, ADR 0018)
    path("akreditacija/", include("ikms.accreditation.urls")),
    path("parbaudes/", include("ikms.inspections.urls")),
    path("licencesana/", include("ikms.licensing.urls")),  # programme licensing applications
    path("lietas/", include("ikms.cases.urls")),  # case files of every type: documents, deadlines, letters
    path("iesniegumi/", include("ikms.complaints.urls")),  # complaints, consultations, trends and survey results
    path("psihologi/", include("ikms.psychologists.urls")),  # the register of psychologists and the board's work
    path("personu-izvertesana/", include("ikms.convictions.urls")),  # the spent-conviction commission only
    path("izzinas/", include("ikms.statements.urls")),  # education history statements (registry officers only)
    path("", include("ikms.childcare.urls")),  # child supervision providers: public register and staff pages
    path("", include("ikms.practice.urls")),  # teacher private-practice certificates: public register and staff pages
    path("", include("ikms.courses.urls")),  # courses and events for heads, founders and experts (issue 14 item 7)
    path("savstarpejas-parbaudes/", include("ikms.crosschecks.urls")),  # cross-register checks, offer lists
    path("zinojumi/", include("ikms.reports.urls")),  # reports made from the records (issue 16)
    path("kavejumu-lietas/", include("ikms.attendance.urls")),  # long-term absence hand-off cases (issue 15 item 8)
    prefix_default_language=False,
)

handler404 = not_found  # JSON under /api/ (the schema promises JSON), the 404 page elsewhere
