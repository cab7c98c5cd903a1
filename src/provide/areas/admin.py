from django.contrib import admin

from provide.areas.models import Area, Station
from provide.audit.admin_mixins import AuditedModelAdmin


@admin.register(Area)
class AreaAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "parent", "go_live_on")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Station)
class StationAdmin(AuditedModelAdmin):
    list_display = ("name", "bcu", "latitude", "longitude")
