from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.triage.models import TriageDecision, TriagePolicy


@admin.register(TriagePolicy)
class TriagePolicyAdmin(AuditedModelAdmin):
    list_display = ("version", "name", "look_back_hours", "is_active")


@admin.register(TriageDecision)
class TriageDecisionAdmin(AuditedModelAdmin):
    list_display = ("investigation", "decision", "priority_score", "status", "decided_at")
    list_filter = ("decision", "status")
    raw_id_fields = ("investigation",)
