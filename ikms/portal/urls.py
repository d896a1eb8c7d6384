from django.urls import path

from ikms.portal import complaint_views, profile_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("registrs/iestades/", views.institution_list, name="institution-list"),
    path("registrs/iestades/<str:registration_number>/", views.institution_detail, name="institution-detail"),
    path("registrs/programmas/", views.programme_list, name="programme-list"),
    path("profili/", profile_views.profile_search, name="profile-search"),
    path("profili/salidzinat/", profile_views.profile_compare, name="profile-compare"),
    path("profili/salidzinat/pievienot/", profile_views.compare_add, name="compare-add"),
    path("profili/salidzinat/iznemt/", profile_views.compare_remove, name="compare-remove"),
    path("profili/<str:registration_number>/", profile_views.profile_detail, name="profile"),
    path("iesniegt-sudzibu/", complaint_views.complaint_form, name="complaint-form"),
    path("iesniegt-sudzibu/nosutits/", complaint_views.complaint_sent, name="complaint-sent"),
    path("aptauja/<str:token>/", complaint_views.survey, name="survey"),
]
