from django.urls import path

from ikms.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.work_queue, name="queue"),
    path("<int:pk>/", views.case_file_detail, name="case-file"),
    path("<int:pk>/dokumenti/jauns/", views.attachment_add, name="attachment-add"),
    path("<int:pk>/pieskirt/", views.case_file_assign, name="assign"),
    path("<int:pk>/vestule/", views.letter_create, name="letter-create"),
    path("dokumenti/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("termini/<int:pk>/pagarinat/", views.deadline_extend, name="deadline-extend"),
]
