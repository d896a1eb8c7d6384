from django.urls import path

from ikms.reports.views import municipal

app_name = "reports"

urlpatterns: list = [
    path("pasvaldiba/", municipal.municipal_choose, name="municipal-choose"),
    path("pasvaldiba/<str:code>/", municipal.municipal_report, name="municipal"),
]
