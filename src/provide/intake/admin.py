from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment


@admin.register(Investigation)
class InvestigationAdmin(AuditedModelAdmin):
    list_display = ("investigation_ref", "recorded_at", "bcu", "risk_grade", "outcome_code")
    list_filter = ("bcu", "risk_grade", "crime_or_incident", "source")
    search_fields = ("investigation_ref", "incident_ref")
    date_hierarchy = "recorded_at"
    raw_id_fields = ("victim", "suspect")


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(AuditedModelAdmin):
    list_display = ("investigation", "tool", "grade", "yes_count", "assessed_at")
    list_filter = ("tool", "grade")
    raw_id_fields = ("investigation", "victim", "regrade_of")


@admin.register(CustodyEpisode)
class CustodyEpisodeAdmin(AuditedModelAdmin):
    list_display = ("custody_ref", "status", "arrested_at", "expected_release_at")
    list_filter = ("status",)
    raw_id_fields = ("suspect", "investigation")
