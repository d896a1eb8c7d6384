from django.urls import path

from ikms.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("jauns/", views.complaint_register, name="register"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/temati/", views.complaint_topics, name="topics"),
    path("<int:pk>/parsutit/", views.complaint_forward, name="forward"),
    path("<int:pk>/iznakums/", views.complaint_outcome, name="outcome"),
    path("<int:pk>/atbilde/", views.complaint_reply, name="reply"),
    path("<int:pk>/slegt/", views.complaint_close, name="close"),
    path("<int:pk>/parsudzesana/", views.complaint_appeal, name="appeal"),
    path("<int:pk>/dibinataja-atbilde/", views.complaint_founder_answer, name="founder-answer"),
    path("konsultacijas/", views.consultations, name="consultations"),
    path("tendences/", views.trends, name="trends"),
]
