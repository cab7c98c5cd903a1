"""The shared joint visit record in the API: the same fields for police and health roles.

Health-side fields are never in this serializer; they are at ``/api/support-records/``
(health roles only).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.audit.api_mixins import AuditedListMixin
from provide.shared.access import RecordNotFound
from provide.shared.records import PUBLIC_ID_PATTERN
from provide.visits.models import Visit
from provide.visits.selectors import visit_get_for, visit_list_for


class CanViewVisits(BasePermission):
    message = "Your role cannot see visits."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm("visits.view_visit"))


class VisitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    victim = serializers.UUIDField(source="victim.public_id", read_only=True)
    investigation = serializers.UUIDField(
        source="investigation.public_id", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "mode",
            "investigation",
            "victim",
            "planned_at",
            "arrived_at",
            "place_type",
            "suspect_present",
            "contact_result",
            "support_accepted",
            "referrals_made",
            "record_status",
            "lock_version",
        ]


class VisitViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Visits in the caller's area: the shared joint record. Reading one is audited; so is each
    page of the list (one event naming its visits)."""

    audit_list_event = "visits.visit_listed"

    serializer_class = VisitSerializer
    permission_classes = [CanViewVisits]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def get_queryset(self) -> Any:
        return visit_list_for(user=signed_in_user(self.request.user))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            visit = visit_get_for(user=signed_in_user(request.user), visit_id=kwargs["public_id"])
        except RecordNotFound:
            raise Http404 from None
        return Response(self.get_serializer(visit).data)
