from django.urls import path

from provide.health import views

app_name = "health"

urlpatterns = [
    path("tracker/", views.tracker_page, name="tracker"),
    path("tracker/export.xlsx", views.tracker_export, name="tracker-export"),
    path("tracker/upload/", views.tracker_upload, name="tracker-upload"),
    path(
        "tracker/upload/<uuid:upload_id>/",
        views.tracker_upload_report,
        name="tracker-upload-report",
    ),
]
