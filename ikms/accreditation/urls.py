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
    path("pasnovertejumi/", views.self_evaluation_list, name="self-evaluation-list"),
    path("pasnovertejumi/jauns/", views.self_evaluation_create, name="self-evaluation-create"),
    path("pasnovertejumi/<int:pk>/", views.self_evaluation_detail, name="self-evaluation-detail"),
    path("pasnovertejumi/<int:pk>/labot/", views.self_evaluation_edit, name="self-evaluation-edit"),
    path("pasnovertejumi/<int:pk>/iesniegt/", views.self_evaluation_submit, name="self-evaluation-submit"),
    path("pasnovertejumi/<int:pk>/saskanot/", views.self_evaluation_review, name="self-evaluation-review"),
    path("pasnovertejumi/<int:pk>/publicet/", views.self_evaluation_publish, name="self-evaluation-publish"),
    path("analitika/", views.analytics, name="analytics"),
    path("eksperti/", views.expert_list, name="expert-list"),
    path("eksperti/mans/", views.expert_own, name="expert-own"),
    path("eksperti/<int:pk>/", views.expert_detail, name="expert-detail"),
    path("eksperti/<int:pk>/labot/", views.expert_edit, name="expert-edit"),
    path("eksperti/<int:pk>/nepieejamiba/", views.expert_unavailability, name="expert-unavailability"),
    path("eksperti/<int:pk>/konflikts/", views.expert_conflict, name="expert-conflict"),
    path("eksperti/<int:pk>/macibas/", views.expert_training, name="expert-training"),
    path("eksperti/<int:pk>/dzest/<slug:kind>/<int:item>/", views.expert_item_remove, name="expert-item-remove"),
]
