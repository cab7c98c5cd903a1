"""Health-side admin: open to health roles only, whatever a group's permissions say."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from provide.accounts.policies import is_health_role
from provide.audit.admin_mixins import AuditedModelAdmin
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord, TrackerUpload


class HealthOnlyAdmin(AuditedModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_health_role(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_health_role(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_health_role(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_health_role(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_health_role(request.user) and super().has_delete_permission(request, obj)


@admin.register(SupportRecord)
class SupportRecordAdmin(HealthOnlyAdmin):
    list_display = (
        "tracker_id",
        "idva_visit_at",
        "idva_support_accepted",
        "prosecution_support_accepted",
    )
    raw_id_fields = ("visit", "investigation", "victim")
    search_fields = ("tracker_id", "investigation_ref", "idva_name")


@admin.register(HealthIdentity)
class HealthIdentityAdmin(HealthOnlyAdmin):
    raw_id_fields = ("person",)


@admin.register(HealthAppointment)
class HealthAppointmentAdmin(HealthOnlyAdmin):
    list_display = ("person", "starts_at", "place_type", "location_name")
    raw_id_fields = ("person",)


@admin.register(TrackerUpload)
class TrackerUploadAdmin(HealthOnlyAdmin):
    list_display = ("file_name", "uploaded_by", "status", "created_at")
    exclude = ("content",)
    readonly_fields = ("uploaded_by", "file_name", "status", "summary", "mapping")
