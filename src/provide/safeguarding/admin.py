from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.safeguarding.models import MaracAction, MaracCase, Referral, ReferralService


@admin.register(ReferralService)
class ReferralServiceAdmin(AuditedModelAdmin):
    list_display = ("name", "target", "bcu")


@admin.register(Referral)
class ReferralAdmin(AuditedModelAdmin):
    list_display = ("victim", "target", "status", "consent", "due_on")
    list_filter = ("target", "status")
    raw_id_fields = ("victim", "investigation", "visit")


class MaracActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MaracAction
    extra = 0


@admin.register(MaracCase)
class MaracCaseAdmin(AuditedModelAdmin):
    list_display = ("victim", "meeting_on", "criterion", "is_repeat")
    inlines = [MaracActionInline]
    raw_id_fields = ("victim", "referral")
