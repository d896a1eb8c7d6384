"""The register of teacher private-practice certificates: the public register under /registrs/ (beside the portal's
public registers), the staff pages under /privatprakse/."""

from django.urls import path

from ikms.practice import views

app_name = "practice"

urlpatterns = [
    path("registrs/privatprakse/", views.public_list, name="public-list"),
    path("privatprakse/", views.certificate_list, name="list"),
    path("privatprakse/izsniegt/", views.certificate_issue, name="issue"),
    path("privatprakse/statistika/", views.statistics, name="statistics"),
    path("privatprakse/<int:pk>/", views.certificate_detail, name="detail"),
    path("privatprakse/<int:pk>/lemums/<slug:action>/", views.certificate_decide, name="decide"),
]
