"""API routes: each app's ``<app>/api_routes.py`` lists ``(prefix, viewset, basename)`` in
``ROUTES``; this module assembles them into one router, with the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from provide.api import cases
from provide.shared.registry import app_modules

app_name = "api"

router = DefaultRouter()
# The case journey composes cases, triage and visits; it moves to provide.cases with the lead's
# case lifecycle work (issue 14), and then registers through provide/cases/api_routes.py.
router.register("cases", cases.CaseViewSet, basename="case")
router.register("incidents", cases.IncidentViewSet, basename="incident")

for routes in app_modules("api_routes"):
    for prefix, viewset, basename in routes.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    # The schema names every endpoint and field: it is for signed-in users and token holders only.
    path(
        "schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"
    ),
    path("", include(router.urls)),
]
