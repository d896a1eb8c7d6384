from django.urls import path

from ikms.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.staff_home, name="staff-home"),
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/new/", views.institution_register, name="institution-register"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/decide/<slug:action>/", views.institution_decide, name="institution-decide"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/decide/", views.programme_decide, name="programme-decide"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision-detail"),
    path("decisions/<int:pk>/revoke/", views.decision_revoke, name="decision-revoke"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/licensing/", views.licensing_statistics, name="licensing-statistics"),
    path("founders/new/", views.founder_create, name="founder-create"),
]
