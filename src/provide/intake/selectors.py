"""Access-checked reads of investigations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet

from provide.accounts.policies import bcu_scope
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.intake.models import CustodyEpisode, IntakeImport, Investigation
from provide.people.selectors import RecordNotFound


def investigation_list_for(
    *, user: Any, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[Investigation]:
    if not user.has_perm("intake.view_investigation"):
        return Investigation.objects.none()
    investigations = Investigation.objects.select_related("victim", "suspect", "bcu", "district")
    bcu = bcu_scope(user)
    if bcu is not None:
        investigations = investigations.filter(bcu=bcu)
    if since is not None:
        investigations = investigations.filter(recorded_at__gte=since)
    if until is not None:
        investigations = investigations.filter(recorded_at__lt=until)
    return investigations.order_by("-recorded_at")


def investigation_risk_counts_for(*, user: Any, since: dt.datetime) -> dict[str, int]:
    rows = (
        investigation_list_for(user=user, since=since)
        .order_by()
        .values("risk_grade")
        .annotate(n=Count("id"))
    )
    return {row["risk_grade"] or "unknown": row["n"] for row in rows}


def investigation_get_for(*, user: Any, investigation_id: uuid.UUID | str) -> Investigation:
    try:
        investigation = investigation_list_for(user=user).get(public_id=investigation_id)
    except (Investigation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    audit_record(
        actor=user, action=AuditAction.VIEW, event="intake.investigation_viewed", subject=investigation
    )
    return investigation


def custody_now_for(*, user: Any, as_of: dt.datetime) -> QuerySet[CustodyEpisode]:
    if not user.has_perm("intake.view_custodyepisode"):
        return CustodyEpisode.objects.none()
    episodes = CustodyEpisode.objects.select_related("suspect", "investigation").filter(
        status=CustodyEpisode.Status.IN_CUSTODY, arrested_at__lte=as_of
    )
    bcu = bcu_scope(user)
    if bcu is not None:
        episodes = episodes.filter(investigation__bcu=bcu)
    return episodes.order_by("expected_release_at")


def intake_import_list_for(*, user: Any) -> QuerySet[IntakeImport]:
    """Imports the user may see: all of them, for a user who may import."""
    if not (user.has_perm("intake.import_investigations") or user.has_perm("intake.import_custody")):
        return IntakeImport.objects.none()
    return IntakeImport.objects.select_related("uploaded_by").order_by("-created_at")


def intake_import_get_for(*, user: Any, import_id: uuid.UUID | str) -> IntakeImport:
    try:
        return intake_import_list_for(user=user).get(public_id=import_id)
    except (IntakeImport.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
