from django.urls import path

from provide.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.index, name="index"),
    path("incidents/new/", views.incident_new, name="incident-new"),
    path("<uuid:case_id>/", views.detail, name="detail"),
    path("<uuid:case_id>/close/", views.close, name="close"),
]
