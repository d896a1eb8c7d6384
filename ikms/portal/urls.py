from django.urls import path

from ikms.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("registrs/iestades/", views.institution_list, name="institution-list"),
    path("registrs/iestades/<str:registration_number>/", views.institution_detail, name="institution-detail"),
    path("registrs/programmas/", views.programme_list, name="programme-list"),
]
