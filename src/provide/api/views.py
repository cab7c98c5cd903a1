"""The REST API for police and health systems. Reads go through the same selectors as pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.policies import bcu_scope
from provide.api.permissions import CanViewInvestigations, CanViewPeople, IsHealthRole
from provide.api.serializers import (
    InvestigationSerializer,
    PersonSerializer,
    SupportRecordSerializer,
)
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.health.selectors import support_record_list_for
from provide.intake.selectors import investigation_get_for, investigation_list_for
from provide.people.models import Person
from provide.people.selectors import BreakGlassRequired, RecordNotFound, person_get_for

UUID_PATTERN = "[0-9a-fA-F-]{36}"


class PersonViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """People in the caller's area. Reading one person is audited; outside the area, send
    the reason in the ``X-Access-Reason`` header (break-glass)."""

    serializer_class = PersonSerializer
    permission_classes = [CanViewPeople]
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> Any:
        people = Person.objects.all().order_by("family_name", "given_name", "id")
        bcu = bcu_scope(self.request.user)
        if bcu is not None:
            people = people.filter(investigations_as_victim__bcu=bcu).distinct()
        return people

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            person = person_get_for(
                user=request.user, person_id=kwargs["public_id"],
                reason=request.headers.get("X-Access-Reason", ""),
            )
        except RecordNotFound:
            raise Http404 from None
        except BreakGlassRequired:
            return Response(
                {"detail": "This person is outside your area: give a reason in the X-Access-Reason header."},
                status=403,
            )
        return Response(self.get_serializer(person).data)


class InvestigationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = InvestigationSerializer
    permission_classes = [CanViewInvestigations]
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> Any:
        return investigation_list_for(user=self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            investigation = investigation_get_for(user=request.user, investigation_id=kwargs["public_id"])
        except RecordNotFound:
            raise Http404 from None
        return Response(self.get_serializer(investigation).data)


class SupportRecordViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The IDVA tracker (health side). Police roles get 403 here."""

    serializer_class = SupportRecordSerializer
    permission_classes = [IsHealthRole]
    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> Any:
        return support_record_list_for(user=self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        audit_record(actor=request.user, action=AuditAction.VIEW, event="health.support_record_viewed",
                     subject=record)
        return Response(self.get_serializer(record).data)
