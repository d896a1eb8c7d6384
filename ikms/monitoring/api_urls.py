from django.urls import path

from ikms.monitoring import api

app_name = "monitoring-api"

urlpatterns = [
    path("indicators/", api.IndicatorListApi.as_view(), name="indicator-list"),
    path("indicators/<str:code>/", api.IndicatorDetailApi.as_view(), name="indicator-detail"),
    path("values/", api.ValueListApi.as_view(), name="value-list"),
    path("flags/", api.FlagListApi.as_view(), name="flag-list"),
    path("flags/<int:pk>/", api.FlagDetailApi.as_view(), name="flag-detail"),
    path("risks/", api.RiskListApi.as_view(), name="risk-list"),
    path("visits/", api.VisitListApi.as_view(), name="visit-list"),
    path("visits/<int:pk>/", api.VisitDetailApi.as_view(), name="visit-detail"),
    path("visits/<int:pk>/status/", api.VisitStatusApi.as_view(), name="visit-status"),
    path("runs/", api.RunListApi.as_view(), name="run-list"),
    path("runs/<int:pk>/", api.RunDetailApi.as_view(), name="run-detail"),
]
