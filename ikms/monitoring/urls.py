from django.urls import path

from ikms.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("valsts/", views.nation, name="nation"),
    path("pasvaldibas/<str:code>/", views.municipality, name="municipality"),
    path("iestades/<str:registration_number>/", views.institution, name="institution"),
    path("iestades/<str:registration_number>/apmeklejums/", views.visit_add, name="visit-add"),
    path("raditaji/<slug:code>/", views.indicator, name="indicator"),
    path("riski/", views.risks, name="risks"),
    path("apmeklejumi/", views.visits, name="visits"),
    path("apmeklejumi/<int:pk>/statuss/", views.visit_status, name="visit-status"),
    path("kavejumi/", views.absences, name="absences"),
    path("kavejumi/iestades/", views.absence_institutions, name="absence-institutions"),
    path("datu-kvalitate/", views.data_quality, name="data-quality"),
]
