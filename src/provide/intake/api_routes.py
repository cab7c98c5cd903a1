"""API routes this app adds (see provide.api.urls)."""

from provide.intake.api import (
    CustodyImportViewSet,
    InvestigationImportViewSet,
    InvestigationViewSet,
)

ROUTES = [
    ("investigations", InvestigationViewSet, "investigation"),
    ("imports/investigations", InvestigationImportViewSet, "investigation-import"),
    ("imports/custody", CustodyImportViewSet, "custody-import"),
]
