"""IKVD's courses and events, under /kursi/."""

from django.urls import path

from ikms.courses import views

app_name = "courses"

urlpatterns = [
    path("kursi/", views.event_list, name="list"),
    path("kursi/manas-macibas/", views.my_training, name="my-training"),
    path("kursi/jauns/", views.course_new, name="course-new"),
    path("kursi/<int:pk>/", views.course_detail, name="course-detail"),
    path("kursi/<int:pk>/jauns-pasakums/", views.event_new, name="event-new"),
    path("kursi/pasakumi/<int:pk>/", views.event_detail, name="event-detail"),
    path("kursi/pasakumi/<int:pk>/pieteikties/", views.event_enrol, name="event-enrol"),
    path("kursi/pasakumi/<int:pk>/dalibnieks/", views.event_register, name="event-register"),
    path("kursi/pasakumi/<int:pk>/apmeklejums/", views.event_attendance, name="event-attendance"),
    path("kursi/pasakumi/<int:pk>/apliecibas/", views.event_certificates, name="event-certificates"),
    path("kursi/apliecibas/<int:pk>/", views.certificate_download, name="certificate"),
]
