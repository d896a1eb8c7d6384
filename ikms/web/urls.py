"""Pages of the top layer, mounted under the monitoring prefix so their addresses stay where they were."""

from django.urls import path

from ikms.web import views

app_name = "web"

urlpatterns = [
    path("iestades/<str:registration_number>/lieta/", views.institution_dossier, name="dossier"),
]
