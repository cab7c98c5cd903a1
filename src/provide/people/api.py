"""People in the API. Reading one person is audited, as on the person page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.policies import can_view_people
from provide.audit.api_mixins import AuditedListMixin
from provide.people.models import Person
from provide.people.selectors import BreakGlassRequired, person_get_for
from provide.shared.access import bcu_scope, get_for_user_or_404
from provide.shared.records import PUBLIC_ID_PATTERN


class CanViewPeople(BasePermission):
    message = "Your role cannot see people's records."

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_people(request.user)


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "force_person_ref",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "postcode",
            "language",
            "interpreter_needed",
            "vulnerabilities",
            "children_in_household",
            "safe_phone",
            "safe_contact_times",
            "no_messages",
            "suspect_may_answer",
            "no_letters",
            "no_sms",
            "synthetic",
        ]


class PersonViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """People in the caller's area. Reading one person is audited, and so is each page of the
    list (one event naming everyone on it); outside the area, send the reason in the
    ``X-Access-Reason`` header (break-glass)."""

    audit_list_event = "people.people_listed"
    serializer_class = PersonSerializer
    permission_classes = [CanViewPeople]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def get_queryset(self) -> Any:
        people = Person.objects.all().order_by("family_name", "given_name", "id")
        bcu = bcu_scope(self.request.user)
        if bcu is not None:
            # everyone readable in the area without a reason: victims and suspects of its cases
            people = people.filter(
                Q(investigations_as_victim__bcu=bcu) | Q(investigations_as_suspect__bcu=bcu)
            ).distinct()
        return people

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "X-Access-Reason",
                str,
                OpenApiParameter.HEADER,
                description="Why you need a person outside your area (break-glass; audited).",
            )
        ],
        responses={
            200: PersonSerializer,
            400: OpenApiResponse(description="The break-glass rule refuses the reason given."),
            403: OpenApiResponse(
                description="Your role cannot see people, or the person is outside your area "
                "and no reason was given."
            ),
        },
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            person = get_for_user_or_404(person_get_for, user=request.user, person_id=kwargs["public_id"],
                                         reason=request.headers.get("X-Access-Reason", ""))  # fmt: skip
        except BreakGlassRequired as needed:
            if needed.problem:  # a reason was given, but the break-glass rule refuses it
                return Response({"detail": f"X-Access-Reason: {needed.problem}."}, status=400)
            return Response(
                {
                    "detail": "This person is outside your area: give a reason in the X-Access-Reason header."
                },
                status=403,
            )
        return Response(self.get_serializer(person).data)
