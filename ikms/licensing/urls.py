from django.urls import path

from ikms.licensing import views

app_name = "licensing"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("jauns/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/parbaude/", views.application_check, name="check"),
    path("<int:pk>/trukumi/", views.deficiencies_send, name="deficiencies"),
    path("<int:pk>/atbilde/", views.deficiencies_answer, name="answer"),
    path("<int:pk>/lemums/", views.application_decide, name="decide"),
    path("<int:pk>/atsaukt/", views.application_withdraw, name="withdraw"),
    path("ceturksni/", views.quarterly, name="quarterly"),
]
