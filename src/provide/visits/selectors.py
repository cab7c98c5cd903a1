"""Reads of the shared joint visit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from provide.accounts.models import User
from provide.accounts.policies import is_police_role
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.shared.access import RecordNotFound, bcu_scope
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from provide.visits.policies import can_view_consultations, can_view_police_record


def visit_list_for(
    *, user: User, since: dt.datetime | None = None, person: Any = None
) -> QuerySet[Visit]:
    if not user.has_perm("visits.view_visit"):
        return Visit.objects.none()
    visits = Visit.objects.select_related("victim", "shift", "shift__team", "investigation")
    bcu = bcu_scope(user)
    if bcu is not None:
        visits = visits.filter(Q(investigation__bcu=bcu) | Q(shift__team__bcu=bcu))
    if since is not None:
        visits = visits.filter(arrived_at__gte=since)
    if person is not None:
        visits = visits.filter(victim=person)
    return visits.order_by("-arrived_at")


def visit_get_for(*, user: User, visit_id: Any) -> Visit:
    """One visit for ``user`` (shared joint fields), auditing the read. Missing and out of
    scope both raise RecordNotFound."""
    try:
        visit = visit_list_for(user=user).get(public_id=visit_id)
    except (Visit.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    audit_record(actor=user, action=AuditAction.VIEW, event="visits.visit_viewed", subject=visit)
    return visit


def visit_worklist_for(*, user: User, as_of: dt.datetime) -> dict[str, list[Visit]]:
    """Visits still to record (planned or draft) and those finished in the last 7 days."""
    visits = visit_list_for(user=user)
    open_statuses = (Visit.RecordStatus.PLANNED, Visit.RecordStatus.DRAFT)
    return {
        "open": list(
            visits.filter(record_status__in=open_statuses).order_by("planned_at", "id")[:50]
        ),
        "finished": list(
            visits.filter(
                record_status=Visit.RecordStatus.COMPLETE,
                arrived_at__gte=as_of - dt.timedelta(days=7),
            )[:25]
        ),
    }


def police_record_for(*, user: User, visit: Visit) -> PoliceVisitRecord | None:
    """The police side of a visit, for police roles only."""
    if not can_view_police_record(user):
        return None
    return PoliceVisitRecord.objects.filter(visit=visit).first()


def consultation_list_for(*, user: User) -> QuerySet[Consultation]:
    """Officers see the consultations they logged; IDVAs those asked of them (or of anyone
    in their area); managers all of them."""
    if not can_view_consultations(user):
        return Consultation.objects.none()
    consultations = Consultation.objects.select_related("officer", "idva", "investigation")
    if is_police_role(user):
        consultations = consultations.filter(officer=user)
    else:
        bcu = bcu_scope(user)
        if bcu is not None:
            consultations = consultations.filter(
                Q(idva=user) | Q(idva__isnull=True, officer__bcu=bcu) | Q(investigation__bcu=bcu)
            )
    return consultations.order_by("-asked_at")


def consultation_get_for(*, user: User, consultation_id: Any) -> Consultation:
    try:
        consultation = consultation_list_for(user=user).get(public_id=consultation_id)
    except (Consultation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        event="visits.consultation_viewed",
        subject=consultation,
    )
    return consultation
