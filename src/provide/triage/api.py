"""The triage API: the ranked queue and the sergeant's decisions. Errors are 4xx with a reason."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.shared.access import RecordNotFound, bcu_scope, get_by_public_id
from provide.shared.dates import validate_day_in_range
from provide.shared.records import PUBLIC_ID_PATTERN
from provide.triage.export import board_to_dict, decision_to_dict
from provide.triage.models import TriageDecision
from provide.triage.policies import can_view_board
from provide.triage.selectors import BoardUnavailable, triage_board_for
from provide.triage.services import TriageError, triage_decision_record


class CanViewBoard(BasePermission):
    message = "Your role cannot see the triage board."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_board(request.user)


class QueueQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField(
        required=False,
        help_text="Board date, YYYY-MM-DD (default today; 1900 to 2199).",
        validators=[validate_day_in_range],
    )
    bcu = serializers.CharField(
        required=False, max_length=60, help_text="BCU name (force-wide roles)."
    )


class DecisionInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    investigation = serializers.UUIDField(help_text="The investigation's public id.")
    decision = serializers.ChoiceField(choices=TriageDecision.Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


@extend_schema_view(
    list=extend_schema(
        parameters=[QueueQuerySerializer],
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="A malformed or future date, or no such BCU."),
            404: OpenApiResponse(description="The BCU is outside your area."),
        },
        operation_id="triage_queue_list",
    )
)
class TriageQueueViewSet(viewsets.ViewSet):
    """The ranked triage queue of a BCU-day: each case's factors and points, eligibility,
    24-hour clock, custody window and latest decision. ``?date=YYYY-MM-DD&bcu=West``."""

    permission_classes = [CanViewBoard]

    def list(self, request: Request) -> Response:
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            board = triage_board_for(
                user=signed_in_user(request.user),
                on_date=query.validated_data.get("date"),
                bcu_name=query.validated_data.get("bcu"),
            )
        except RecordNotFound:
            raise Http404 from None
        except BoardUnavailable as problem:
            raise ValidationError({problem.field or "detail": str(problem)}) from None
        return Response(board_to_dict(board))


@extend_schema_view(
    list=extend_schema(
        operation_id="triage_decisions_list",
        responses=OpenApiTypes.OBJECT,
        parameters=[
            OpenApiParameter(
                "investigation",
                OpenApiTypes.UUID,
                description="Only this investigation's decisions.",
            )
        ],
    ),
    retrieve=extend_schema(operation_id="triage_decisions_retrieve", responses=OpenApiTypes.OBJECT),
    create=extend_schema(
        operation_id="triage_decisions_create",
        request=DecisionInputSerializer,
        responses={
            201: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    ),
)
class TriageDecisionViewSet(viewsets.ViewSet):
    """Triage decisions in the caller's BCU, newest first. POST records a decision (triage
    sergeants only): ``{"investigation": uuid, "decision": "joint_visit_post", "reason": "..."}``."""

    permission_classes = [CanViewBoard]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def _decisions(self, request: Request) -> Any:
        decisions = TriageDecision.objects.select_related("investigation", "policy", "decided_by")
        bcu = bcu_scope(request.user)
        if bcu is not None:
            decisions = decisions.filter(investigation__bcu=bcu)
        return decisions.order_by("-decided_at", "-id")

    def list(self, request: Request) -> Response:
        decisions = self._decisions(request)
        investigation = request.query_params.get("investigation")
        if investigation:
            try:
                investigation_id = serializers.UUIDField().to_internal_value(investigation)
            except ValidationError as invalid:
                raise ValidationError({"investigation": invalid.detail}) from None
            decisions = decisions.filter(investigation__public_id=investigation_id)
        return Response({"results": [decision_to_dict(d) for d in decisions[:200]]})

    def retrieve(self, request: Request, public_id: str | None = None) -> Response:
        try:
            decision = get_by_public_id(self._decisions(request), public_id or "")
        except RecordNotFound:  # also for an id that only looks like a UUID
            raise Http404 from None
        return Response(decision_to_dict(decision))

    def create(self, request: Request) -> Response:
        data = DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decision = triage_decision_record(
                user=signed_in_user(request.user),
                investigation_id=data.validated_data["investigation"],
                decision=data.validated_data["decision"],
                reason=data.validated_data["reason"],
            )
        except PermissionDenied:
            return Response(
                {"detail": "Only triage sergeants record triage decisions."},
                status=status.HTTP_403_FORBIDDEN,
            )
        except RecordNotFound:
            return Response(
                {"detail": "No such investigation in your area."}, status=status.HTTP_404_NOT_FOUND
            )
        except TriageError as problem:
            return Response(
                {problem.field or "detail": [problem.message]}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(decision_to_dict(decision), status=status.HTTP_201_CREATED)
