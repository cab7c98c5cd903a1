from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.planning.models import Plan, Shift, Team


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    list_display = ("name", "bcu", "base", "vehicle")


@admin.register(Shift)
class ShiftAdmin(AuditedModelAdmin):
    list_display = ("team", "on_date", "pattern", "officer_name", "idva_name")
    list_filter = ("pattern", "team__bcu")
    date_hierarchy = "on_date"


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ("shift", "version", "status")
