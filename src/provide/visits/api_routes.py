"""API routes this app adds (see provide.api.urls)."""

from provide.visits.api import VisitViewSet

ROUTES = [("visits", VisitViewSet, "visit")]
