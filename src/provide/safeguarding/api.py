"""API: the shared referral status for police, health and safeguarding roles (not analysts)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.audit.api_mixins import AuditedListMixin
from provide.safeguarding import policies, services
from provide.safeguarding.models import Referral
from provide.safeguarding.selectors import referral_get_for, referral_list_for
from provide.shared.access import get_for_user_or_404
from provide.shared.records import PUBLIC_ID_PATTERN


class CanViewReferrals(permissions.BasePermission):
    message = "Your role cannot see referrals."

    def has_permission(self, request: Any, view: Any) -> bool:
        return policies.can_view_referrals(request.user)


class ReferralSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    victim = serializers.UUIDField(source="victim.public_id", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "victim",
            "target",
            "status",
            "consent",
            "due_on",
            "sent_at",
            "accepted_at",
            "closed_at",
            "rejection_reason",
        ]


MOVES = ["send", "accept", "reject", "done"]


class ReferralMoveInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Why it is rejected (reject)."
    )
    outcome = serializers.CharField(
        required=False, allow_blank=True, help_text="What came of it (done)."
    )


class ReferralViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Referral status. POST ``/api/referrals/<id>/send|accept|reject|done/`` moves it on;
    a refused move answers 400 (or 403) with the reason. Each page of the list is audited."""

    audit_list_event = "safeguarding.referrals_listed"

    serializer_class = ReferralSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewReferrals]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def get_queryset(self) -> Any:
        return referral_list_for(user=signed_in_user(self.request.user), open_only=False)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._referral(kwargs["public_id"])).data)

    def _referral(self, referral_id: str) -> Referral:
        return get_for_user_or_404(
            referral_get_for, user=self.request.user, referral_id=referral_id
        )

    @extend_schema(
        operation_id="referrals_move",
        parameters=[
            OpenApiParameter("move", OpenApiTypes.STR, OpenApiParameter.PATH, enum=MOVES),
        ],
        request=ReferralMoveInput,
        responses={
            200: ReferralSerializer,
            400: OpenApiResponse(description="The referral's state or consent refuses the move."),
            403: OpenApiResponse(description="Your role cannot make this move."),
        },
    )
    @action(detail=True, methods=["post"], url_path="(?P<move>send|accept|reject|done)")
    def move(self, request: Request, public_id: str, move: str) -> Response:
        referral = self._referral(public_id)
        try:
            if move == "send":
                referral = services.referral_send(
                    user=signed_in_user(request.user), referral=referral
                )
            elif move == "accept":
                referral = services.referral_accept(
                    user=signed_in_user(request.user), referral=referral
                )
            elif move == "reject":
                referral = services.referral_reject(
                    user=signed_in_user(request.user),
                    referral=referral,
                    reason=str(request.data.get("reason", "")),
                )
            else:
                referral = services.referral_complete(
                    user=signed_in_user(request.user),
                    referral=referral,
                    outcome=str(request.data.get("outcome", "")),
                )
        except services.SafeguardingNotAllowed as refused:
            return Response({"detail": str(refused)}, status=403)
        except services.SafeguardingError as refused:
            return Response({"detail": str(refused)}, status=400)
        return Response(self.get_serializer(referral).data)
