from django.urls import path

from ikms.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("jauna/", views.inspection_plan, name="plan"),
    path("no-plana/<int:visit_pk>/", views.inspection_plan, name="plan-from-visit"),
    path("tematiskas/<slug:code>/", views.thematic_results, name="thematic"),
    path("programmu-parbaudes/jauna/", views.programme_check_new, name="programme-check"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/akts.pdf", views.act_pdf_download, name="act-pdf"),
    path("<int:pk>/<slug:action>/", views.inspection_action, name="action"),
]
