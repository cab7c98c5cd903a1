"""Writes of the health-side record from the visit form (the IDVA's section).

The visit service (:mod:`provide.visits.services`) calls these inside its own transaction,
with the visit row already locked, so the shared record, the police record and this one are
saved together or not at all. Audit events name the fields changed, never their values: the
audit log is read by administrators, who may be police staff.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.health.models import SupportRecord
from provide.health.policies import can_edit_health_record

HEALTH_SECTION_FIELDS: tuple[str, ...] = (
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
    "services",
    "notes",
)

NOT_ALLOWED = "Only health roles can change the health-side record."


class HealthPermissionDenied(Exception):
    pass


def support_record_values(visit: Any) -> dict[str, Any]:
    """The health section's current values for ``visit`` (blank when there is no record).

    For services only: callers have checked the user is a health role."""
    record = SupportRecord.objects.filter(visit=visit).first()
    if record is None:
        return {
            name: ([] if name == "services" else ("" if name == "notes" else None))
            for name in HEALTH_SECTION_FIELDS
        }
    return {name: getattr(record, name) for name in HEALTH_SECTION_FIELDS}


def _new_tracker_id() -> str:
    return f"PV-{uuid.uuid4().hex[:10].upper()}"


def _record_for_visit(*, user: User, visit: Any) -> tuple[SupportRecord, bool]:
    record = SupportRecord.objects.select_for_update().filter(visit=visit).first()
    if record is not None:
        return record, False
    investigation = visit.investigation
    bcu = (
        investigation.bcu
        if investigation is not None
        else (visit.shift.team.bcu if visit.shift is not None else None)
    )
    record = SupportRecord(
        tracker_id=_new_tracker_id(),
        visit=visit,
        investigation=investigation,
        investigation_ref=investigation.investigation_ref if investigation is not None else "",
        victim=visit.victim,
        bcu=bcu,
        mode=visit.mode,
        police_visit_at=investigation.first_police_visit_at if investigation is not None else None,
        idva=user,
        idva_name=user.get_full_name() or user.get_username(),
        record_status=SupportRecord.RecordStatus.DRAFT,
    )
    return record, True


@transaction.atomic
def support_record_save_for_visit(
    *, user: User, visit: Any, values: dict[str, Any], finish: bool = False
) -> SupportRecord:
    """Create or update the IDVA's record of ``visit`` with ``values`` (health-section fields).

    The shared fact "support accepted" on the visit follows ``idva_support_accepted``; the
    caller saves the visit.
    """
    if not can_edit_health_record(user):
        raise HealthPermissionDenied(NOT_ALLOWED)
    unknown = set(values) - set(HEALTH_SECTION_FIELDS)
    if unknown:
        raise ValueError(f"not health-section fields: {sorted(unknown)}")
    record, created = _record_for_visit(user=user, visit=visit)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name, value in values.items():
        setattr(record, name, value)
    record.idva_visit_at = visit.arrived_at
    record.referrals = list(visit.referrals_made)
    record.mode = visit.mode
    if finish and record.record_status != SupportRecord.RecordStatus.COMPLETE:
        record.record_status = SupportRecord.RecordStatus.COMPLETE
        changed.append("record_status")
    if not created and not changed:
        record.save(update_fields=["idva_visit_at", "referrals", "mode"])
        return record
    record.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        event="health.support_record_created" if created else "health.support_record_updated",
        subject=record,
        # A count, not field names or values: "prosecution support changed" is itself a disclosure.
        changes={"health_fields_changed": len(changed)},
    )
    return record


def support_record_sync_shared(*, visit: Any) -> None:
    """Copy the shared facts (arrival time, referrals, mode) to the visit's tracker row."""
    SupportRecord.objects.filter(visit=visit).update(
        idva_visit_at=visit.arrived_at, referrals=list(visit.referrals_made), mode=visit.mode
    )
