from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from provide.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "occurred_at",
        "actor_username",
        "action",
        "event",
        "object_type",
        "person_label",
        "flagged",
    )
    list_filter = ("action", "flagged", "occurred_at")
    search_fields = ("actor_username", "person_label", "object_id", "event")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
