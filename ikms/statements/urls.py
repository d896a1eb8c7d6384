from django.urls import path

from ikms.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("jauns/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/izsniegt/", views.statement_issue, name="issue"),
    path("<int:pk>/pdf/", views.statement_pdf, name="pdf"),
]
