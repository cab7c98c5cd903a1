from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from provide.accounts.policies import is_police_role
from provide.audit.admin_mixins import AuditedModelAdmin
from provide.visits.models import Consultation, PoliceVisitRecord, Visit


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = (
        "victim",
        "mode",
        "arrived_at",
        "contact_result",
        "support_accepted",
        "record_status",
    )
    list_filter = ("mode", "contact_result", "record_status")
    raw_id_fields = ("victim", "investigation", "shift")


@admin.register(PoliceVisitRecord)
class PoliceVisitRecordAdmin(AuditedModelAdmin):
    """The police side of a visit: police roles only, whatever a group's permissions say."""

    raw_id_fields = ("visit",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_police_role(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_police_role(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_police_role(request.user) and super().has_change_permission(request, obj)


@admin.register(Consultation)
class ConsultationAdmin(AuditedModelAdmin):
    list_display = ("asked_at", "topic")
