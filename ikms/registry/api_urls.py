from django.urls import path

from ikms.registry import api

app_name = "registry-api"

urlpatterns = [
    path("institutions/", api.InstitutionListApi.as_view(), name="institution-list"),
    path("institutions/<int:pk>/", api.InstitutionDetailApi.as_view(), name="institution-detail"),
    path("programmes/", api.ProgrammeListApi.as_view(), name="programme-list"),
    path("decisions/", api.DecisionListApi.as_view(), name="decision-list"),
    path("public/institutions/", api.PublicInstitutionListApi.as_view(), name="public-institution-list"),
    path("public/programmes/", api.PublicProgrammeListApi.as_view(), name="public-programme-list"),
]
