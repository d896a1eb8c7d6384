"""The register of child supervision providers: the public register under /registrs/ (beside the portal's public
registers), the staff pages under /bernu-uzraudziba/."""

from django.urls import path

from ikms.childcare import views

app_name = "childcare"

urlpatterns = [
    path("registrs/bernu-uzraudziba/", views.public_list, name="public-list"),
    path("registrs/bernu-uzraudziba/<str:registration_number>/", views.public_detail, name="public-detail"),
    path("bernu-uzraudziba/", views.provider_list, name="list"),
    path("bernu-uzraudziba/pieteikums/", views.provider_apply, name="apply"),
    path("bernu-uzraudziba/statistika/", views.statistics, name="statistics"),
    path("bernu-uzraudziba/<int:pk>/", views.provider_detail, name="detail"),
    path("bernu-uzraudziba/<int:pk>/lemums/<slug:action>/", views.provider_decide, name="decide"),
]
