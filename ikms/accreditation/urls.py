from django.urls import path

from ikms.accreditation import views

app_name = "accreditation"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("pieteikums/", views.case_apply, name="case-apply"),
    path("lietas/<int:pk>/", views.case_detail, name="case-detail"),
    path("lietas/<int:pk>/vertejumi/", views.case_rate, name="case-rate"),
    path("lietas/<int:pk>/zinojums.pdf", views.case_report_pdf, name="case-report-pdf"),
    path("lietas/<int:pk>/uzdevumi/jauns/", views.task_create, name="task-create"),
    path("lietas/<int:pk>/<slug:action>/", views.case_action, name="case-action"),
    path("uzdevumi/", views.task_list, name="task-list"),
    path("uzdevumi/<int:pk>/", views.task_update, name="task-update"),
    path("analitika/", views.analytics, name="analytics"),
]
