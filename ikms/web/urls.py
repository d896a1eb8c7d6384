"""Pages of the top layer: "Mani darbi", the start page after sign-in, and the institution dossier, whose address
stays under the monitoring prefix where it was."""

from django.urls import path

from ikms.web import views

app_name = "web"

urlpatterns = [
    path("mani-darbi/", views.my_work, name="my-work"),
    path("monitoring/iestades/<str:registration_number>/lieta/", views.institution_dossier, name="dossier"),
]
