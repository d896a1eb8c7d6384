"""The public register of psychologists, in the portal's address space (/registrs/psihologi/): no sign-in."""

from django.urls import path

from ikms.psychologists import views

app_name = "public-psychologists"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<str:registration_number>/", views.public_detail, name="detail"),
]
