"""The IDVA's tracker in the API: health roles only (the third wall, docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.accounts.policies import can_view_health_record
from provide.audit.api_mixins import AuditedListMixin
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.health.models import SupportRecord
from provide.health.selectors import support_record_list_for
from provide.shared.records import PUBLIC_ID_PATTERN


class IsHealthRole(BasePermission):
    message = "Health-side records are open to health roles only."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_health_record(request.user)


class SupportRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    victim = serializers.UUIDField(
        source="victim.public_id", read_only=True, default=None, allow_null=True
    )
    bcu = serializers.CharField(source="bcu.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = SupportRecord
        fields = [
            "id",
            "tracker_id",
            "investigation_ref",
            "victim",
            "bcu",
            "mode",
            "police_visit_at",
            "idva_visit_at",
            "idva_support_offered",
            "idva_support_accepted",
            "prosecution_support_offered",
            "prosecution_support_accepted",
            "engaged_investigation",
            "engaged_safeguarding",
            "previously_engaged_investigation",
            "previously_engaged_safeguarding",
            "services",
            "referrals",
            "idva_name",
            "notes",
        ]


class SupportRecordViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The IDVA tracker (health side). Police roles get 403 here. Each page of the list is
    audited, as the tracker page is."""

    audit_list_event = "health.support_record_listed"

    serializer_class = SupportRecordSerializer
    permission_classes = [IsHealthRole]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def get_queryset(self) -> Any:
        return support_record_list_for(user=signed_in_user(self.request.user))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            event="health.support_record_viewed",
            subject=record,
        )
        return Response(self.get_serializer(record).data)
