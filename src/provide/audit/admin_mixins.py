"""Admin pages audit what they show and change, like every other door."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from provide.audit.models import AuditAction
from provide.audit.services import audit_record


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                audit_record(
                    actor=request.user,
                    action=AuditAction.VIEW,
                    event=f"{obj._meta.app_label}.{obj._meta.model_name}_viewed_in_admin",
                    subject=obj,
                )
        return response

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            event=f"{obj._meta.app_label}.{obj._meta.model_name}_{'updated' if change else 'created'}_in_admin",
            subject=obj,
            changes={"fields": list(form.changed_data)} if change else {},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,
            action=AuditAction.DELETE,
            event=f"{obj._meta.app_label}.{obj._meta.model_name}_deleted_in_admin",
            subject=obj,
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """The list page's "Delete selected": one event per record, written before it goes."""
        for obj in queryset:
            audit_record(
                actor=request.user,
                action=AuditAction.DELETE,
                event=f"{obj._meta.app_label}.{obj._meta.model_name}_deleted_in_admin",
                subject=obj,
            )
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Records added, changed or deleted inline on another record's page are audited too."""
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.CREATE,
                event=f"{obj._meta.app_label}.{obj._meta.model_name}_created_in_admin",
                subject=obj,
            )
        for obj, fields in formset.changed_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                event=f"{obj._meta.app_label}.{obj._meta.model_name}_updated_in_admin",
                subject=obj,
                changes={"fields": list(fields)},
            )
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user,
                action=AuditAction.DELETE,
                event=f"{obj._meta.app_label}.{obj._meta.model_name}_deleted_in_admin",
                subject=obj,
            )
