from django.urls import path

from provide.visits import tracker_views, views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="visit-list"),
    path("start/", views.visit_start, name="visit-start"),
    path("<uuid:visit_id>/", views.visit_record, name="visit-record"),
    path("<uuid:visit_id>/autosave/", views.visit_autosave, name="visit-autosave"),
    path("consultations/", views.consultation_list, name="consultation-list"),
    path("consultations/new/", views.consultation_new, name="consultation-new"),
    path(
        "consultations/<uuid:consultation_id>/",
        views.consultation_detail,
        name="consultation-detail",
    ),
    path(
        "tracker-uploads/<uuid:upload_id>/",
        tracker_views.tracker_upload_decide,
        name="tracker-upload-decide",
    ),
]
