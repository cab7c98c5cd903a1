"""Health appointments from FHIR R4 (UK Core ``Patient`` and ``Appointment``), FORMATS.md §D.

Each resource is validated with the ``fhir.resources`` package's R4B models (the installed
8.x release keeps R4-compatible models under ``fhir.resources.R4B``; its top level is R5).
An invalid resource is rejected with the validator's message. An appointment's patient is
found by NHS number — on the ``Patient`` it references, or on the participant's identifier —
and matched to a victim through :class:`~provide.health.models.HealthIdentity`. Its start,
end and location become a discreet-contact window (:class:`HealthAppointment`). Cancelled,
no-show and entered-in-error appointments remove the window they had made.

Like the tracker import: any rejected resource rejects the whole file unless ``partial``;
windows are matched by the appointment's id, so re-importing changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_record_many
from provide.health.models import HealthAppointment, HealthIdentity
from provide.health.policies import can_import_appointments

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
USED_TYPES = ("Patient", "Appointment", "Location")
CANCELLED = {"cancelled", "noshow", "entered-in-error"}
DEFAULT_MINUTES = 30
NOT_ALLOWED = "Only health roles can import health appointments."


class AppointmentsNotAllowed(Exception):
    pass


class FhirFileError(Exception):
    """The file as a whole cannot be read (not JSON, not FHIR)."""


def nhs_number_is_valid(number: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(number[9])


STORED_KEY_LENGTH = 64


def stored_key(key: str) -> str:
    """The appointment's key as stored (``fhir_id``): as given when it fits, else a digest of
    it, so a long key finds its appointment again on the next import."""
    if len(key) <= STORED_KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[: STORED_KEY_LENGTH - 7]


@dataclass(frozen=True)
class AppointmentWindowIn:
    key: str
    label: str
    nhs_number: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    cancelled: bool
    place_type: str
    location_name: str
    latitude: float | None
    longitude: float | None


@dataclass
class FhirCheck:
    source: str
    appointments: list[AppointmentWindowIn]
    problems: list[str]
    ignored: int = 0


@dataclass
class AppointmentSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    removed: int = 0
    unmatched: int = 0
    dry_run: bool = False
    file_rejected: bool = False
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "removed": self.removed,
            "unmatched": self.unmatched,
        }

    def line(self) -> str:
        outcome = (
            " (file rejected: nothing written)"
            if self.file_rejected
            else " (dry run: nothing written)"
            if self.dry_run
            else ""
        )
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected, {self.removed} removed, "
            f"{self.unmatched} with no matching victim{outcome}"
        )


def _validation_message(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ())) or "resource"
        parts.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(parts)


def _entries(document: Any, source: str) -> list[tuple[str, str, Any]]:
    """(label, fullUrl, resource dict) for every resource in the document."""
    if isinstance(document, list):
        return [(f"item {n}", "", r) for n, r in enumerate(document, start=1)]
    if not isinstance(document, dict) or "resourceType" not in document:
        raise FhirFileError(f"{source}: not a FHIR resource (no resourceType)")
    if document["resourceType"] != "Bundle":
        return [("resource", "", document)]
    entries = document.get("entry") or []
    if not isinstance(entries, list):
        raise FhirFileError(f"{source}: Bundle.entry must be a list")
    return [
        (
            f"entry {n}",
            (e or {}).get("fullUrl", "") if isinstance(e, dict) else "",
            (e or {}).get("resource") if isinstance(e, dict) else None,
        )
        for n, e in enumerate(entries, start=1)
    ]


def _place_type(*texts: str) -> str:
    words = " ".join(t for t in texts if t).lower()
    if "dental" in words or "dentist" in words:
        return "dental"
    if (
        "gp" in words.split()
        or "general practice" in words
        or "surgery" in words
        or "medical centre" in words
    ):
        return "gp"
    if "hospital" in words or "clinic" in words or "outpatient" in words or "maternity" in words:
        return "hospital"
    return ""


def _nhs_from_identifiers(identifiers: Any) -> str:
    for identifier in identifiers or []:
        if identifier.system == NHS_NUMBER_SYSTEM and identifier.value:
            return str(identifier.value).replace(" ", "")
    return ""


def fhir_check(raw: bytes | str, *, source: str = "<fhir>") -> FhirCheck:
    """Validate every resource and turn appointments into windows; nothing is written."""
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FhirFileError(f"{source}: not valid JSON ({error})") from None
    check = FhirCheck(source=source, appointments=[], problems=[])
    patients: dict[str, str] = {}
    locations: dict[str, Any] = {}
    appointments: list[tuple[str, str, Any]] = []
    for label, full_url, resource in _entries(document, source):
        if not isinstance(resource, dict) or "resourceType" not in resource:
            check.problems.append(f"{source}: {label}: not a FHIR resource (no resourceType)")
            continue
        kind = str(resource["resourceType"])
        if kind not in USED_TYPES:
            check.ignored += 1
            continue
        named = f"{label} ({kind}/{resource.get('id', '?')})"
        try:
            model: Any = get_fhir_model_class(kind).model_validate(resource)
        except ValidationError as error:
            check.problems.append(
                f"{source}: {named}: invalid {kind}: {_validation_message(error)}"
            )
            continue
        keys = [k for k in (f"{kind}/{model.id}" if model.id else "", full_url) if k]
        if kind == "Patient":
            nhs = _nhs_from_identifiers(model.identifier)
            if nhs and not nhs_number_is_valid(nhs):
                check.problems.append(f"{source}: {named}: {nhs!r} is not a valid NHS number")
                continue
            for key in keys:
                patients[key] = nhs
        elif kind == "Location":
            for key in keys:
                locations[key] = model
        else:
            appointments.append((named, keys[0] if keys else "", model))
    for named, key, model in appointments:
        window = _window(named, key, model, patients, locations, check.problems, source)
        if window is not None:
            check.appointments.append(window)
    return check


def _window(
    named: str,
    key: str,
    model: Any,
    patients: dict[str, str],
    locations: dict[str, Any],
    problems: list[str],
    source: str,
) -> AppointmentWindowIn | None:
    nhs, location_name, place_texts, lat, lon = "", "", [], None, None
    for participant in model.participant or []:
        actor = participant.actor
        if actor is None:
            continue
        reference = actor.reference or ""
        if (
            reference.startswith("Patient/")
            or reference in patients
            or (actor.identifier is not None and actor.identifier.system == NHS_NUMBER_SYSTEM)
        ):
            nhs = patients.get(reference, "") or (
                str(actor.identifier.value)
                if actor.identifier is not None and actor.identifier.value
                else ""
            )
        elif reference.startswith("Location/") or reference in locations:
            location = locations.get(reference)
            location_name = (
                location.name if location is not None and location.name else actor.display
            ) or ""
            if location is not None:
                place_texts += [t.text or "" for t in (location.type or [])]
                if location.position is not None:
                    lat, lon = float(location.position.latitude), float(location.position.longitude)
    if not nhs:
        problems.append(f"{source}: {named}: no patient with an NHS number among its participants")
        return None
    if not nhs_number_is_valid(nhs):
        problems.append(f"{source}: {named}: {nhs!r} is not a valid NHS number")
        return None
    cancelled = model.status in CANCELLED
    starts_at, ends_at = model.start, model.end
    if starts_at is not None and ends_at is None:
        ends_at = starts_at + dt.timedelta(minutes=model.minutesDuration or DEFAULT_MINUTES)
    if not cancelled and starts_at is None:
        problems.append(f"{source}: {named}: has no start time, so it cannot be a contact window")
        return None
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems.append(f"{source}: {named}: ends before it starts")
        return None
    service_texts = [c.text or "" for c in (model.serviceCategory or [])] + [
        c.text or "" for c in (model.serviceType or [])
    ]
    return AppointmentWindowIn(
        key=key,
        label=named,
        nhs_number=nhs,
        starts_at=starts_at,
        ends_at=ends_at,
        cancelled=cancelled,
        place_type=_place_type(location_name, *place_texts, *service_texts),
        location_name=location_name[:120],
        latitude=lat,
        longitude=lon,
    )


def _fields(window: AppointmentWindowIn) -> dict[str, Any]:
    return {
        "starts_at": window.starts_at,
        "ends_at": window.ends_at,
        "place_type": window.place_type,
        "location_name": window.location_name,
        "latitude": window.latitude,
        "longitude": window.longitude,
    }


def _same_times(window: AppointmentWindowIn) -> dict[str, Any]:
    """Lookups for an appointment without a FHIR id: the same start and end (None matches NULL)."""
    return {"starts_at": window.starts_at, "ends_at": window.ends_at}


def appointments_import(
    *,
    check: FhirCheck,
    user: User | None = None,
    actor_label: str = "",
    partial: bool = False,
    dry_run: bool = False,
) -> AppointmentSummary:
    """Write the windows of a checked FHIR file (see the module docstring for the rules)."""
    if user is not None and not can_import_appointments(user):
        raise AppointmentsNotAllowed(NOT_ALLOWED)
    summary = AppointmentSummary(
        rejected=len(check.problems), problems=list(check.problems), dry_run=dry_run
    )
    if check.problems and not partial:
        summary.file_rejected = True
        return summary
    people = dict(
        HealthIdentity.objects.filter(
            nhs_number__in={w.nhs_number for w in check.appointments}
        ).values_list("nhs_number", "person_id")
    )
    touched: list[HealthAppointment] = []
    with transaction.atomic():
        for window in check.appointments:
            person_id = people.get(window.nhs_number)
            if person_id is None:
                summary.unmatched += 1
                continue
            existing = (
                HealthAppointment.objects.select_for_update()
                .filter(person_id=person_id, fhir_id=stored_key(window.key))
                .first()
                if window.key
                else HealthAppointment.objects.select_for_update()
                .filter(person_id=person_id, **_same_times(window))
                .first()
            )
            if window.cancelled:
                if existing is not None:
                    summary.removed += 1
                    if not dry_run:
                        existing.delete()
                else:
                    summary.unchanged += 1
                continue
            values = _fields(window)
            if existing is None:
                summary.created += 1
                if not dry_run:
                    touched.append(
                        HealthAppointment.objects.create(
                            person_id=person_id, fhir_id=stored_key(window.key), **values
                        )
                    )
            elif any(getattr(existing, k) != v for k, v in values.items()):
                summary.updated += 1
                if not dry_run:
                    for name, value in values.items():
                        setattr(existing, name, value)
                    existing.save()
                    touched.append(existing)
            else:
                summary.unchanged += 1
        if not dry_run and (touched or summary.removed):
            audit_record(
                actor=user,
                action=AuditAction.IMPORT,
                event="health.appointments_imported",
                actor_username=actor_label,
                changes={"file": check.source, **summary.counts()},
            )
            audit_record_many(
                actor=user,
                action=AuditAction.UPDATE,
                event="health.appointment_imported",
                subjects=touched,
            )
    return summary
