"""API routes this app adds (see provide.api.urls)."""

from provide.triage.api import TriageDecisionViewSet, TriageQueueViewSet

ROUTES = [
    ("triage/queue", TriageQueueViewSet, "triage-queue"),
    ("triage/decisions", TriageDecisionViewSet, "triage-decision"),
]
