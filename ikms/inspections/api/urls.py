from django.urls import path

from ikms.inspections.api import views

app_name = "inspections-api"

urlpatterns = [
    path("", views.InspectionListApi.as_view(), name="inspection-list"),
    path("<int:pk>/", views.InspectionDetailApi.as_view(), name="inspection-detail"),
]
