"""API routes this app adds (see provide.api.urls)."""

from provide.people.api import PersonViewSet

ROUTES = [("people", PersonViewSet, "person")]
