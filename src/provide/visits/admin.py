from django.contrib import admin

from provide.audit.admin_mixins import AuditedModelAdmin
from provide.visits.models import Consultation, PoliceVisitRecord, Visit


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = ("victim", "mode", "arrived_at", "contact_result", "support_accepted")
    list_filter = ("mode", "contact_result")
    raw_id_fields = ("victim", "investigation", "shift")


@admin.register(PoliceVisitRecord)
class PoliceVisitRecordAdmin(AuditedModelAdmin):
    raw_id_fields = ("visit",)


@admin.register(Consultation)
class ConsultationAdmin(AuditedModelAdmin):
    list_display = ("asked_at", "topic")
