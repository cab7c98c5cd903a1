from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    MaracPolicy,
    ProtectiveMeasure,
    Referral,
    ReferralService,
)
from provide.safeguarding.policies import can_view_idva_summary


@admin.register(ReferralService)
class ReferralServiceAdmin(AuditedModelAdmin):
    list_display = ("name", "target", "bcu")


@admin.register(Referral)
class ReferralAdmin(AuditedModelAdmin):
    list_display = ("victim", "target", "status", "consent", "due_on")
    list_filter = ("target", "status")
    raw_id_fields = ("victim", "investigation", "visit")

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        """The IDVA's shared summary behind the health-side wall, as on every other surface."""
        excluded = list(super().get_exclude(request, obj) or ())
        if obj is None or not can_view_idva_summary(request.user, obj):
            excluded.append("idva_shared_summary")
        return excluded


class MaracActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MaracAction
    extra = 0


@admin.register(MaracCase)
class MaracCaseAdmin(AuditedModelAdmin):
    list_display = ("victim", "meeting_on", "criterion", "is_repeat")
    inlines = [MaracActionInline]
    raw_id_fields = ("victim", "referral")


@admin.register(MaracPolicy)
class MaracPolicyAdmin(AuditedModelAdmin):
    """The escalation threshold N (DA events in the window) is set here; the newest row applies."""

    list_display = ("escalation_events", "escalation_window_days", "lookback_days", "created_at")


@admin.register(ProtectiveMeasure)
class ProtectiveMeasureAdmin(AuditedModelAdmin):
    list_display = ("victim", "kind", "issued_at", "expires_at", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("victim", "investigation", "follows")


@admin.register(HandoverTask)
class HandoverTaskAdmin(AuditedModelAdmin):
    list_display = ("title", "team", "victim", "status", "due_on")
    list_filter = ("team", "status")
    raw_id_fields = ("victim", "investigation", "visit")
