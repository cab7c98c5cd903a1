from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.urls import path
from django.views.generic import RedirectView

from provide.intake import views

app_name = "intake"


def _moved_to(pattern_name: str) -> Callable[..., HttpResponseBase]:
    """The person pages moved to /people/; old links keep working."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


urlpatterns = [
    path("import/", views.import_upload, name="import-upload"),
    path("import/<uuid:import_id>/", views.import_preview, name="import-preview"),
    path(
        "investigations/<uuid:investigation_id>/risk/",
        views.risk_assessment_new,
        name="risk-assessment-new",
    ),
    path(
        "investigations/<uuid:investigation_id>/location/",
        views.investigation_location,
        name="investigation-location",
    ),
    path("people/matches/", _moved_to("people:match-list")),
    path("people/matches/<uuid:match_id>/", _moved_to("people:match-decide")),
    path("people/<uuid:person_id>/safe-contact/", _moved_to("people:person-safe-contact")),
    path("people/<uuid:person_id>/merges/", _moved_to("people:person-merges")),
]
