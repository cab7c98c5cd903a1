from django.urls import path

from provide.people import views

app_name = "people"

urlpatterns = [
    path("<uuid:person_id>/", views.person_detail, name="person-detail"),
    path("<uuid:person_id>/safe-contact/", views.person_safe_contact, name="person-safe-contact"),
    path(
        "<uuid:person_id>/availability/",
        views.person_availability_add,
        name="person-availability-add",
    ),
    path(
        "<uuid:person_id>/availability/<uuid:availability_id>/remove/",
        views.person_availability_remove,
        name="person-availability-remove",
    ),
    path("<uuid:person_id>/merges/", views.person_merges, name="person-merges"),
    path("matches/", views.match_list, name="match-list"),
    path("matches/<uuid:match_id>/", views.match_decide, name="match-decide"),
    path("merges/<uuid:merge_id>/undo/", views.merge_undo, name="merge-undo"),
]
