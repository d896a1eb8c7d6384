from django.urls import path

from ikms.complaints.api import views

app_name = "complaints-api"

urlpatterns = [
    path("", views.ComplaintListApi.as_view(), name="complaint-list"),
    path("<int:pk>/", views.ComplaintDetailApi.as_view(), name="complaint-detail"),
]
