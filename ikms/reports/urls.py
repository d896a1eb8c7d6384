from django.urls import path

from ikms.reports.views import municipal, runs

app_name = "reports"

urlpatterns: list = [
    path("", runs.index, name="index"),
    path("darbi/<int:pk>/", runs.run, name="run"),
    path("darbi/<int:pk>/gaita/", runs.run_progress, name="run-progress"),
    path("darbi/<int:pk>/skats/", runs.run_view, name="run-view"),
    path("darbi/<int:pk>/<str:fmt>/", runs.run_download, name="run-download"),
    path("pasvaldiba/", municipal.municipal_choose, name="municipal-choose"),
    path("pasvaldiba/<str:code>/", municipal.municipal_report, name="municipal"),
    path("<slug:kind>/", runs.start, name="start"),
]
