from django.urls import path

from provide.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/<slug:fmt>/", views.report_download, name="report-download"),
]
