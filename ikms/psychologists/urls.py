"""Staff pages of the register of psychologists and the Psychologist Certification Board (/psihologi/)."""

from django.urls import path

from ikms.psychologists import views

app_name = "psychologists"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pk>/", views.psychologist_detail, name="detail"),
    path("<int:pk>/lemums/", views.psychologist_decide, name="decide"),
    path("iesniegumi/", views.applications, name="applications"),
    path("iesniegumi/jauns/", views.application_new, name="application-new"),
    path("iesniegumi/<int:pk>/", views.application_detail, name="application"),
    path("iesniegumi/<int:pk>/lemums/", views.application_decide, name="application-decide"),
    path("sedes/", views.meetings, name="meetings"),
    path("sedes/jauna/", views.meeting_new, name="meeting-new"),
    path("sedes/<int:pk>/", views.meeting_detail, name="meeting"),
    path("parbaudijumi/", views.exams, name="exams"),
    path("parbaudijumi/jauns/", views.exam_new, name="exam-new"),
    path("parbaudijumi/<int:pk>/", views.exam_detail, name="exam"),
    path("parbaudijumi/<int:pk>/rezultats/", views.exam_result_new, name="exam-result"),
    path("statistika/", views.statistics, name="statistics"),
]
