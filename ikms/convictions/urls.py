from django.urls import path

from ikms.convictions import views

app_name = "convictions"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("jauns/", views.application_register, name="register"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/lemums/", views.application_decide, name="decide"),
    path("<int:pk>/anulet/", views.application_annul, name="annul"),
    path("<int:pk>/viedoklis/", views.application_opinion, name="opinion"),
    path("sedes/", views.meeting_list, name="meetings"),
    path("sedes/jauna/", views.meeting_record, name="meeting-record"),
    path("sedes/<int:pk>/", views.meeting_detail, name="meeting"),
    path("skaitli/", views.figures, name="figures"),
    path("lasisanas-zurnals/", views.read_log, name="read-log"),
]
