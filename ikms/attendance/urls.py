from django.urls import path

from ikms.attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("zinot/", views.case_report, name="report"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/riciba/", views.action_add, name="action"),
    path("<int:pk>/slegt/", views.case_close, name="close"),
]
