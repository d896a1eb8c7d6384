"""Pages of the cross-register checks, under /savstarpejas-parbaudes/."""

from django.urls import path

from ikms.crosschecks import views

app_name = "crosschecks"

urlpatterns = [
    path("", views.report, name="report"),
    path("izpildit/", views.run_now, name="run"),
    path("piedavajumi/", views.offer_lists, name="offer-lists"),
    path("piedavajumi/<str:number>/", views.provider_report, name="provider-report"),
]
