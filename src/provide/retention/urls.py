from django.urls import path

from provide.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("holds/", views.hold_place, name="hold-place"),
    path("holds/<uuid:public_id>/release/", views.hold_release, name="hold-release"),
    path("subject-access/", views.subject_access, name="subject-access"),
    path("analyst-extract/", views.analyst_extract, name="analyst-extract"),
]
