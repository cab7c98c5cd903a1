"""The case journey through the API: live incidents, cases, decisions, attempts, closing.

This module composes contexts (intake and cases for incidents, triage for decisions, visits
for attempts), which is why it lives in the API layer rather than in one app. The contract
other systems code against (extra fields may be added; these hold):

* ``POST /api/incidents/`` -> 201 ``{"case", "state": "new", ...}``
* ``GET /api/cases/?bcu=&state=`` (``awaiting_visit`` = accepted, planned or attempted)
* ``GET /api/cases/{id}/`` -> ``{"case", "state", "attempts", "clock", "history", ...}``
* ``POST /api/cases/{id}/decision/`` -> 200 ``{"state"}``
* ``POST /api/cases/{id}/attempts/`` -> 201 ``{"state"}`` (``attempted`` or ``seen``)
* ``POST /api/cases/{id}/close/`` -> 200 ``{"state": "closed"}``

Bad input is a 4xx with a reason and changes nothing: 400 for a malformed request or an
unknown state, 403 for a role or BCU that may not, 404 for a case outside the caller's
area, 409 for a transition the case's state does not allow.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.areas.models import Area
from provide.audit.api_mixins import AuditedListMixin
from provide.cases.incidents import IncidentDetails, IncidentInvalid, VictimDetails, incident_raise
from provide.cases.models import Case
from provide.cases.policies import can_view_cases
from provide.cases.presenters import case_detail, case_summary
from provide.cases.selectors import UnknownState, case_get_for, case_list_for
from provide.cases.services import CaseTransitionRefused, case_close
from provide.shared.access import RecordNotFound, bcu_scope
from provide.shared.dates import validate_day_in_range
from provide.triage.services import TriageError, triage_decision_record
from provide.visits.services import VisitNotAllowed, visit_attempt_record

UUID_PATTERN = "[0-9a-fA-F-]{36}"
NOT_DECIDABLE = (
    "The case can no longer be decided: the victim was seen, or it was handed over or closed."
)
NO_VISIT = "The case's state does not allow recording a visit (for example, it is closed)."
NOT_CLOSABLE = "The case's state does not allow closing it (for example, it is already closed)."


class CaseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Read-only: documented for the schema; answers are built by :func:`case_detail`."""

    case = serializers.UUIDField()
    state = serializers.ChoiceField(choices=Case.STATE_CHOICES)
    attempts = serializers.IntegerField()
    clock = inline_serializer(
        "CaseClock",
        {
            "started_at": serializers.DateTimeField(allow_null=True),
            "due_at": serializers.DateTimeField(allow_null=True),
            "stopped_at": serializers.DateTimeField(allow_null=True),
        },
    )


class CaseDecisionInput(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(
        choices=[
            "joint_visit",
            "joint_visit_live",
            "joint_visit_post",
            "consultation",
            "not_eligible",
            "supported_elsewhere",
        ]
    )
    mode = serializers.ChoiceField(
        choices=["live", "post-incident", "post_incident"], required=False
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["decision"] == "joint_visit":
            if "mode" not in attrs:
                raise ValidationError({"mode": "A joint visit needs a mode: live or post-incident"})
            attrs["decision"] = (
                "joint_visit_live" if attrs["mode"] == "live" else "joint_visit_post"
            )
        return attrs


class CaseAttemptInput(serializers.Serializer):  # type: ignore[type-arg]
    arrived_at = serializers.DateTimeField(validators=[validate_day_in_range])
    result = serializers.ChoiceField(choices=["engaged", "declined", "no_contact", "unsafe"])
    place_type = serializers.CharField(required=False, allow_blank=True, max_length=20)


class CaseCloseInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)


class VictimInput(serializers.Serializer):  # type: ignore[type-arg]
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, validators=[validate_day_in_range]
    )
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    safe_phone = serializers.CharField(required=False, allow_blank=True, max_length=30)


class IncidentInput(serializers.Serializer):  # type: ignore[type-arg]
    bcu = serializers.CharField(max_length=100)
    occurred_at = serializers.DateTimeField(validators=[validate_day_in_range])
    risk_grade = serializers.ChoiceField(choices=["high", "medium", "standard"])
    victim = VictimInput()
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(
        required=False, allow_null=True, min_value=-180, max_value=180
    )
    summary = serializers.CharField(required=False, allow_blank=True, max_length=200)
    incident_ref = serializers.CharField(required=False, allow_blank=True, max_length=40)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _refused(error: Exception) -> Response:
    return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)


class CaseViewSet(AuditedListMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Cases in the caller's area, with their state, clock, attempts and history. Each page of
    the list is audited as one event naming its cases."""

    audit_list_event = "cases.case_listed"

    serializer_class = CaseSerializer
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def _case(self, request: Request, public_id: str, *, audit: bool = True) -> Case:
        try:
            return case_get_for(user=signed_in_user(request.user), case_id=public_id, audit=audit)
        except PermissionDenied:
            raise ApiPermissionDenied("Your role cannot see cases.") from None
        except RecordNotFound:
            raise NotFound("No such case in your area.") from None

    def _bcu(self, request: Request) -> Area | None:
        name = request.query_params.get("bcu", "").strip()
        if not name:
            return None
        bcu = Area.objects.filter(kind=Area.Kind.BCU, name__iexact=name).first()
        if bcu is None:
            raise ValidationError({"bcu": f"There is no BCU called {name!r}."})
        own = bcu_scope(request.user)
        if own is not None and own.pk != bcu.pk:
            raise ApiPermissionDenied(
                f"You work in {own.name}: cases in {bcu.name} are not open to you."
            )
        return bcu

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "bcu", str, description="A BCU's name (force-wide roles; others see their own)."
            ),
            OpenApiParameter(
                "state",
                str,
                description="A state, or awaiting_visit (accepted, planned, attempted), "
                "or open (anything but closed).",
            ),
        ],
        responses=CaseSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        if not can_view_cases(request.user):
            raise ApiPermissionDenied("Your role cannot see cases.")
        try:
            cases = case_list_for(
                user=signed_in_user(request.user),
                bcu=self._bcu(request),
                state=request.query_params.get("state"),
            )
        except UnknownState as error:
            raise ValidationError({"state": str(error)}) from None
        page = self.paginate_queryset(cases) or []
        return self.get_paginated_response([case_summary(case) for case in page])

    def get_queryset(self) -> Any:
        return Case.objects.none()  # answers are built from the checked selectors, not this

    @extend_schema(responses=CaseSerializer)
    def retrieve(self, request: Request, public_id: str) -> Response:
        return Response(case_detail(self._case(request, public_id)))

    @extend_schema(
        request=CaseDecisionInput,
        responses={200: CaseSerializer, 409: OpenApiResponse(description=NOT_DECIDABLE)},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, public_id: str) -> Response:
        values = _valid(CaseDecisionInput, request.data)
        case = self._case(request, public_id, audit=False)
        try:
            triage_decision_record(
                user=signed_in_user(request.user),
                investigation_id=case.investigation.public_id,
                decision=values["decision"],
                reason=values.get("reason", ""),
            )
        except PermissionDenied:
            raise ApiPermissionDenied("Only a triage sergeant records triage decisions.") from None
        except RecordNotFound:
            raise NotFound("No such case in your area.") from None
        except TriageError as error:
            if error.field == "decision" and "cannot be decided" in error.message:
                return _refused(error)
            raise ValidationError({error.field or "detail": error.message}) from None
        case.refresh_from_db()
        return Response(case_summary(case))

    @extend_schema(
        request=CaseAttemptInput,
        responses={201: CaseSerializer, 409: OpenApiResponse(description=NO_VISIT)},
    )
    @action(detail=True, methods=["post"])
    def attempts(self, request: Request, public_id: str) -> Response:
        values = _valid(CaseAttemptInput, request.data)
        case = self._case(request, public_id, audit=False)
        if case.state == "closed":
            return _refused(CaseTransitionRefused("cannot record a visit: the case is closed"))
        mode = "live" if case.decision == "joint_visit_live" else "post-incident"
        try:
            with transaction.atomic():
                visit_attempt_record(
                    user=signed_in_user(request.user),
                    investigation=case.investigation,
                    mode=mode,
                    arrived_at=values["arrived_at"],
                    result=values["result"],
                    place_type=values.get("place_type", ""),
                )
        except VisitNotAllowed as error:
            raise ApiPermissionDenied(str(error)) from None
        except CaseTransitionRefused as error:
            return _refused(error)
        except ValueError as error:
            raise ValidationError({"detail": str(error)}) from None
        case.refresh_from_db()
        return Response(case_summary(case), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CaseCloseInput,
        responses={200: CaseSerializer, 409: OpenApiResponse(description=NOT_CLOSABLE)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id: str) -> Response:
        values = _valid(CaseCloseInput, request.data)
        case = self._case(request, public_id, audit=False)
        try:
            case = case_close(user=signed_in_user(request.user), case=case, reason=values["reason"])
        except PermissionDenied:
            raise ApiPermissionDenied(
                "Only a triage sergeant or a safeguarding officer closes cases."
            ) from None
        except CaseTransitionRefused as error:
            return _refused(error)
        return Response(case_summary(case))


class IncidentViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Raise a live incident: the victim goes on the triage board at once."""

    serializer_class = IncidentInput

    def get_queryset(self) -> Any:
        return Case.objects.none()

    @extend_schema(request=IncidentInput, responses={201: CaseSerializer})
    def create(self, request: Request) -> Response:
        values = _valid(IncidentInput, request.data)
        details = IncidentDetails(
            bcu_name=values["bcu"],
            occurred_at=values["occurred_at"],
            risk_grade=values["risk_grade"],
            victim=VictimDetails(**values["victim"]),
            latitude=values.get("latitude"),
            longitude=values.get("longitude"),
            summary=values.get("summary", ""),
            incident_ref=values.get("incident_ref", ""),
        )
        try:
            case = incident_raise(user=signed_in_user(request.user), details=details)
        except PermissionDenied:
            raise ApiPermissionDenied("Your role cannot raise live incidents.") from None
        except IncidentInvalid as error:
            if "bcu" in error.errors and "only" in error.errors["bcu"]:
                raise ApiPermissionDenied(error.errors["bcu"]) from None
            raise ValidationError(error.errors) from None
        return Response(case_summary(case), status=status.HTTP_201_CREATED)
