from django.urls import path

from ikms.monitoring.api import catalogue, risks, runs, values

app_name = "monitoring-api"

urlpatterns = [
    path("indicators/", catalogue.IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", catalogue.IndicatorDetailApi.as_view(), name="indicator-detail"),
    path("values/", values.ValueListApi.as_view(), name="value-list"),
    path("flags/", risks.FlagListApi.as_view(), name="flag-list"),
    path("flags/<int:pk>/", risks.FlagDetailApi.as_view(), name="flag-detail"),
    path("risks/", risks.RiskListApi.as_view(), name="risk-list"),
    path("visits/", risks.VisitListApi.as_view(), name="visit-list"),
    path("visits/<int:pk>/", risks.VisitDetailApi.as_view(), name="visit-detail"),
    path("visits/<int:pk>/status/", risks.VisitStatusApi.as_view(), name="visit-status"),
    path("runs/", runs.RunListApi.as_view(), name="run-list"),
    path("runs/<int:pk>/", runs.RunDetailApi.as_view(), name="run-detail"),
]
