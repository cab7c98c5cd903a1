"""API routes this app adds (see provide.api.urls)."""

from provide.health.api import SupportRecordViewSet

ROUTES = [("support-records", SupportRecordViewSet, "support-record")]
