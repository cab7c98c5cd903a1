"""Intake in the API: investigations (read) and imports (post an extract, get the report).

``GET /api/investigations/`` lists investigations in the caller's area; reading one is audited.

``POST /api/imports/investigations/`` and ``/api/imports/custody/`` (multipart: ``file``,
optional ``mapping``, ``dry_run``, ``partial``). 200 with the counts when imported or checked;
400 with every ``row N, column C: reason`` when the file is rejected; 403 without the import
permission; 413 when the file is over the size limit.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from provide.accounts.http import signed_in_user
from provide.audit.api_mixins import AuditedListMixin
from provide.intake.models import IntakeImport, Investigation
from provide.intake.selectors import investigation_get_for, investigation_list_for
from provide.intake.services.uploads import (
    IMPORTERS,
    UploadRefused,
    intake_import_run,
    intake_import_stage,
)
from provide.shared.access import get_for_user_or_404
from provide.shared.records import PUBLIC_ID_PATTERN


class ImportRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX in the FORMATS.md columns")
    mapping = serializers.FileField(
        required=False, help_text="Column mapping: JSON object or two-column CSV"
    )
    dry_run = serializers.BooleanField(default=False, help_text="Check only; write nothing")
    # the field shadows Serializer.partial only in the class body: DRF moves declared fields off the class
    partial = serializers.BooleanField(  # type: ignore[assignment]
        default=False, help_text="Import the good rows; report the others"
    )


class ImportResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.UUIDField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    rows = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    file_rejected = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    extra_columns = serializers.ListField(child=serializers.CharField())
    notes = serializers.ListField(child=serializers.CharField())


REFUSED = OpenApiResponse(
    # a rejected file: the counts and every problem; a malformed request: the reasons per field
    response={
        "anyOf": [
            {"$ref": "#/components/schemas/ImportResult"},
            {"$ref": "#/components/schemas/Error"},
        ]
    },
    description="The file was rejected (the report), or the request is malformed (the reasons).",
)
TOO_LARGE = OpenApiResponse(description="The file is over the size limit.")


class _CanImport(BasePermission):
    message = "Your role cannot import this kind of file."
    kind = ""

    def has_permission(self, request: Any, view: Any) -> bool:
        _, permission = IMPORTERS[IntakeImport.Kind(view.kind)]
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm(permission)
        )


class _ImportViewSet(viewsets.ViewSet):
    kind = ""
    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [_CanImport]

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer},
                   responses={200: ImportResultSerializer, 400: REFUSED, 413: TOO_LARGE})  # fmt: skip
    def create(self, request: Request) -> Response:
        given = ImportRequestSerializer(data=request.data)
        if not given.is_valid():
            return Response(given.errors, status=status.HTTP_400_BAD_REQUEST)
        data = given.validated_data
        try:
            record = intake_import_stage(user=signed_in_user(request.user), kind=self.kind, upload=data["file"],
                                         mapping=data.get("mapping"))  # fmt: skip
            result = intake_import_run(user=signed_in_user(request.user), record=record, dry_run=data["dry_run"],
                                       partial=data["partial"])  # fmt: skip
        except UploadRefused as refused:
            return Response(
                {"detail": str(refused)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            )
        except PermissionDenied as denied:
            return Response({"detail": str(denied)}, status=status.HTTP_403_FORBIDDEN)
        body = {"id": record.public_id, **result.as_dict()}
        return Response(
            body, status=status.HTTP_400_BAD_REQUEST if result.file_rejected else status.HTTP_200_OK
        )


class InvestigationImportViewSet(_ImportViewSet):
    """Import a police DA investigation extract (FORMATS.md A)."""

    kind = IntakeImport.Kind.INVESTIGATIONS


class CustodyImportViewSet(_ImportViewSet):
    """Import a custody feed (FORMATS.md C)."""

    kind = IntakeImport.Kind.CUSTODY


class CanViewInvestigations(BasePermission):
    message = "Your role cannot see investigations."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user.has_perm("intake.view_investigation"))


class InvestigationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    bcu = serializers.CharField(source="bcu.name", read_only=True)
    district = serializers.CharField(
        source="district.name", read_only=True, default=None, allow_null=True
    )
    victim = serializers.UUIDField(source="victim.public_id", read_only=True)
    suspect = serializers.UUIDField(
        source="suspect.public_id", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Investigation
        fields = [
            "id",
            "investigation_ref",
            "incident_ref",
            "recorded_at",
            "first_police_visit_at",
            "bcu",
            "district",
            "crime_or_incident",
            "offence",
            "abuse_types",
            "relationship",
            "victim",
            "suspect",
            "risk_grade",
            "outcome_code",
            "outcome_on",
        ]


class InvestigationViewSet(AuditedListMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Investigations in the caller's area. Reading one is audited; so is each page of the list."""

    audit_list_event = "intake.investigations_listed"

    serializer_class = InvestigationSerializer
    permission_classes = [CanViewInvestigations]
    lookup_field = "public_id"
    lookup_value_regex = PUBLIC_ID_PATTERN

    def get_queryset(self) -> Any:
        return investigation_list_for(user=signed_in_user(self.request.user))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        investigation = get_for_user_or_404(investigation_get_for, user=request.user,
                                            investigation_id=kwargs["public_id"])  # fmt: skip
        return Response(self.get_serializer(investigation).data)
