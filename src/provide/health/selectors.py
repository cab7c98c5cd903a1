"""Reads of the health-side record. Police roles are refused here whatever their groups say."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord, TrackerUpload
from provide.people.models import Person
from provide.shared.access import bcu_scope


def support_record_list_for(
    *, user: User, since: dt.datetime | None = None, person: Person | None = None
) -> QuerySet[SupportRecord]:
    if not can_view_health_record(user):
        return SupportRecord.objects.none()
    records = SupportRecord.objects.select_related("victim", "bcu", "visit")
    bcu = bcu_scope(user)
    if bcu is not None:
        records = records.filter(bcu=bcu)
    if since is not None:
        records = records.filter(idva_visit_at__gte=since)
    if person is not None:
        records = records.filter(victim=person)
    return records.order_by("-idva_visit_at")


def tracker_summary_for(*, user: User, since: dt.datetime) -> dict[str, int]:
    records = support_record_list_for(user=user, since=since)
    return records.aggregate(
        rows=Count("id"),
        offered=Count("id", filter=Q(idva_support_offered=True)),
        accepted=Count("id", filter=Q(idva_support_accepted=True)),
        known=Count("id", filter=Q(idva_support_accepted__isnull=False)),
        prosecution_accepted=Count("id", filter=Q(prosecution_support_accepted=True)),
        prosecution_known=Count("id", filter=Q(prosecution_support_accepted__isnull=False)),
    )


def support_record_for_visit(*, user: User, visit: Any) -> SupportRecord | None:
    """The IDVA's record of one visit, for health roles only; the read is audited."""
    if not can_view_health_record(user):
        return None
    record = SupportRecord.objects.filter(visit=visit).first()
    if record is not None:
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            event="health.support_record_viewed",
            subject=record,
        )
    return record


def tracker_search_for(*, user: User, text: str, limit: int = 50) -> list[SupportRecord]:
    """Tracker rows by tracker id, investigation reference or victim name (health roles)."""
    term = text.strip()
    if not term:
        return []
    records = support_record_list_for(user=user).filter(
        Q(tracker_id__iexact=term)
        | Q(investigation_ref__iexact=term)
        | Q(victim__family_name__icontains=term)
        | Q(victim__given_name__icontains=term)
        | Q(victim__force_person_ref__iexact=term)
    )
    found = list(records[:limit])
    audit_record_many(
        actor=user, action=AuditAction.VIEW, event="health.support_record_found", subjects=found
    )
    return found


@dataclass(frozen=True)
class AppointmentWindow:
    """A health appointment as a discreet-contact time window for the planner.

    ``starts_at``/``ends_at`` are aware UTC datetimes; ``latitude``/``longitude`` in
    degrees (WGS84) when the appointment's location gave them.
    """

    person_id: Any
    starts_at: dt.datetime
    ends_at: dt.datetime
    place_type: str
    location_name: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class DiscreetWindow:
    """A health appointment as the planner may know it: a time and a place to meet the victim
    discreetly, and nothing else (no clinic, no kind of appointment, no reason). The plan shows
    police roles only "a discreet contact window"; health roles look the appointment up by
    ``appointment_id`` through :func:`appointment_windows_for`, which checks and audits."""

    person_pk: int
    appointment_id: Any
    starts_at: dt.datetime
    ends_at: dt.datetime
    latitude: float
    longitude: float


def discreet_windows_for_planning(
    *, actor: Any, person_pks: Iterable[int], start: dt.datetime, end: dt.datetime
) -> list[DiscreetWindow]:
    """Appointments (with a place) overlapping ``[start, end)`` of the people ``person_pks``,
    as opaque windows for the planner, whoever runs it. Each read is audited against the
    appointment, as the planner's use of health-side data."""
    appointments = list(
        HealthAppointment.objects.filter(
            person_id__in=list(person_pks), starts_at__lt=end, ends_at__gt=start,
            latitude__isnull=False, longitude__isnull=False,
        ).order_by("starts_at", "id")
    )  # fmt: skip
    audit_record_many(
        actor=actor,
        action=AuditAction.VIEW,
        event="health.appointment_window_planned",
        subjects=appointments,
    )
    return [
        DiscreetWindow(
            person_pk=a.person_id,
            appointment_id=a.public_id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            latitude=float(a.latitude or 0),
            longitude=float(a.longitude or 0),
        )
        for a in appointments
    ]


def appointment_windows_for(
    *, user: User, person_ids: Iterable[Any], start: dt.datetime, end: dt.datetime
) -> list[AppointmentWindow]:
    """Health appointments overlapping ``[start, end)`` for the people ``person_ids``
    (their ``public_id``), as time windows. Health-side: police roles get an empty list,
    and every appointment read is audited."""
    if not can_view_health_record(user) or not user.has_perm("health.view_healthappointment"):
        return []
    ids = list(person_ids)
    if not ids:
        return []
    appointments = list(
        HealthAppointment.objects.select_related("person")
        .filter(person__public_id__in=ids, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at", "id")
    )
    audit_record_many(
        actor=user,
        action=AuditAction.VIEW,
        event="health.appointment_window_read",
        subjects=appointments,
    )
    return [
        AppointmentWindow(
            person_id=a.person.public_id,
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            place_type=a.place_type,
            location_name=a.location_name,
            latitude=a.latitude,
            longitude=a.longitude,
        )
        for a in appointments
    ]


def tracker_upload_get_for(*, user: User, upload_id: Any) -> TrackerUpload | None:
    """An upload waiting for confirmation: only its uploader sees it."""
    if not can_view_health_record(user):
        return None
    try:
        return TrackerUpload.objects.get(public_id=upload_id, uploaded_by=user)
    except (TrackerUpload.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def nhs_number_for(*, user: User, person: Person) -> str:
    """The victim's NHS number, for health roles only (audited)."""
    if not can_view_health_record(user) or not user.has_perm("health.view_healthidentity"):
        return ""
    identity = HealthIdentity.objects.filter(person=person).first()
    if identity is None:
        return ""
    audit_record(
        actor=user, action=AuditAction.VIEW, event="health.nhs_number_viewed", subject=person
    )
    return identity.nhs_number
