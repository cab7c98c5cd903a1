"""Raising a live incident: a response officer (or a control-room system, through the API) puts
a victim on the triage board in under a minute. Creates the person, the investigation and its
case (state new); the sergeant then decides, and a live decision re-plans the joint team."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.models import Case
from provide.cases.policies import can_raise_incident
from provide.cases.services import case_for
from provide.intake.models import Investigation, RiskGrade
from provide.people.models import Person
from provide.shared.access import bcu_scope

FUTURE_TOLERANCE = dt.timedelta(minutes=5)


class IncidentInvalid(ValueError):
    """What is wrong with a live incident, field by field (``errors``: field -> message)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class VictimDetails:
    first_name: str
    last_name: str
    date_of_birth: dt.date | None = None
    postcode: str = ""
    address: str = ""
    safe_phone: str = ""


@dataclass(frozen=True)
class IncidentDetails:
    bcu_name: str
    occurred_at: dt.datetime
    risk_grade: str
    victim: VictimDetails
    latitude: float | None = None
    longitude: float | None = None
    summary: str = ""
    incident_ref: str = ""


def _bcu_for(user: User, name: str, errors: dict[str, str]) -> Area | None:
    bcu = (
        Area.objects.filter(kind=Area.Kind.BCU, name__iexact=name.strip()).first()
        if name.strip()
        else None
    )
    if bcu is None:
        known = ", ".join(
            Area.objects.filter(kind=Area.Kind.BCU).order_by("name").values_list("name", flat=True)
        )
        errors["bcu"] = f"Choose a BCU (known: {known or 'none set up'})"
        return None
    own = bcu_scope(user)
    if own is not None and own.pk != bcu.pk:
        errors["bcu"] = f"You can raise incidents in {own.name} only"
        return None
    return bcu


def _check(user: User, details: IncidentDetails, now: dt.datetime) -> tuple[Area, dict[str, str]]:
    errors: dict[str, str] = {}
    bcu = _bcu_for(user, details.bcu_name, errors)
    if details.risk_grade not in RiskGrade.values:
        errors["risk_grade"] = "Choose the risk grade: high, medium or standard"
    if details.occurred_at.tzinfo is None:
        errors["occurred_at"] = (
            "Give the time with its time zone (for example 2026-12-04T09:30:00Z)"
        )
    elif details.occurred_at > now + FUTURE_TOLERANCE:
        errors["occurred_at"] = "The incident time cannot be in the future"
    if not details.victim.first_name.strip() or not details.victim.last_name.strip():
        errors["victim"] = "Give the victim's first and last name"
    if details.victim.date_of_birth and details.victim.date_of_birth > now.date():
        errors["victim.date_of_birth"] = "The date of birth cannot be in the future"
    if (details.latitude is None) != (details.longitude is None):
        errors["latitude"] = "Give both latitude and longitude, or neither"
    return bcu, errors  # type: ignore[return-value]


def _reference(bcu: Area, occurred_at: dt.datetime) -> str:
    local = timezone.localtime(occurred_at)
    return f"LIVE/{bcu.name[:3].upper()}/{local:%Y%m%d}/{uuid.uuid4().hex[:6].upper()}"


@transaction.atomic
def incident_raise(*, user: User, details: IncidentDetails, now: dt.datetime | None = None) -> Case:
    """Record a live incident and open its case. Raises PermissionDenied or IncidentInvalid."""
    if not can_raise_incident(user):
        raise PermissionDenied
    now = now or timezone.now()
    bcu, errors = _check(user, details, now)
    if errors:
        raise IncidentInvalid(errors)
    victim = Person.objects.create(
        given_name=details.victim.first_name.strip(),
        family_name=details.victim.last_name.strip(),
        date_of_birth=details.victim.date_of_birth,
        postcode=details.victim.postcode.strip().upper(),
        address=details.victim.address.strip(),
        safe_phone=details.victim.safe_phone.strip(),
        latitude=details.latitude,
        longitude=details.longitude,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="people.person_created",
        subject=victim,
        reason="Live incident",
    )
    investigation = Investigation.objects.create(
        investigation_ref=_reference(bcu, details.occurred_at),
        incident_ref=details.incident_ref.strip()[:40],
        recorded_at=details.occurred_at,
        bcu=bcu,
        victim=victim,
        risk_grade=details.risk_grade,
        latitude=details.latitude,
        longitude=details.longitude,
        location_source=(
            Investigation.LocationSource.COORDINATES
            if details.latitude is not None and details.longitude is not None
            else Investigation.LocationSource.NONE
        ),
        offence=details.summary.strip()[:200],
        source=Investigation.Source.LIVE,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="cases.incident_raised",
        subject=investigation,
        changes={"bcu": bcu.name, "risk_grade": details.risk_grade},
    )
    return case_for(investigation)
