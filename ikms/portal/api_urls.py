"""Public API routes (anonymous), mounted at /api/v1/public/."""

from django.urls import path

from ikms.portal import api

app_name = "public-api"

urlpatterns = [
    path("profiles/", api.ProfileListApi.as_view(), name="profile-list"),
    path("profiles/<str:registration_number>/", api.ProfileDetailApi.as_view(), name="profile-detail"),
]
