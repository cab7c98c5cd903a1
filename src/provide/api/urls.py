"""API routes: the core routes here, plus each app's ``<app>/api_routes.py`` ``ROUTES`` list of
``(prefix, viewset, basename)``."""

import importlib

from django.apps import apps
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from provide.api import cases, views

app_name = "api"

router = DefaultRouter()
router.register("people", views.PersonViewSet, basename="person")
router.register("investigations", views.InvestigationViewSet, basename="investigation")
router.register("support-records", views.SupportRecordViewSet, basename="support-record")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("incidents", cases.IncidentViewSet, basename="incident")

for config in apps.get_app_configs():
    if not config.name.startswith("provide.") or config.name == "provide.api":
        continue
    try:
        routes = importlib.import_module(f"{config.name}.api_routes")
    except ModuleNotFoundError:
        continue
    for prefix, viewset, basename in routes.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
