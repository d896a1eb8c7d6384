from django.urls import path

from ikms.reports import views

app_name = "reports"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("darbi/<int:pk>/", views.run, name="run"),
    path("darbi/<int:pk>/gaita/", views.run_progress, name="run-progress"),
    path("darbi/<int:pk>/skats/", views.run_view, name="run-view"),
    path("darbi/<int:pk>/<str:fmt>/", views.run_download, name="run-download"),
    path("<slug:kind>/", views.start, name="start"),
]
