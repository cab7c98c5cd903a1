"""Writes of visits and consultations: atomic, permission-checked, audited.

Recording a visit uses optimistic locking. The form carries the visit's ``lock_version`` and
the values it was drawn with (its *base*). When the visit was saved by someone else in the
meantime, each field is merged on its own: a field only this user changed is applied, a
field only the other person changed is kept, and a field both changed to different values
is a conflict — nothing is written and :class:`VisitConflict` lists both versions, so the
officer and the IDVA can fill in the same visit at once and neither loses what they typed.
The visit row is locked (``select_for_update``) while the merge is worked out and the
version is claimed with a compare-and-set update, so two saves can never both win, on
PostgreSQL or SQLite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.cases.services import case_attempt_recorded
from provide.health.models import SupportRecord
from provide.health.policies import can_edit_health_record
from provide.health.services import (
    HEALTH_SECTION_FIELDS,
    support_record_save_for_visit,
    support_record_sync_shared,
    support_record_values,
)
from provide.shared.access import RecordNotFound
from provide.visits.models import Consultation, PoliceVisitRecord, Visit
from provide.visits.policies import (
    can_advise_on_consultation,
    can_edit_police_record,
    can_edit_visit,
    can_log_consultation,
    can_start_visit,
    can_view_police_record,
)
from provide.visits.selectors import visit_list_for
from provide.visits.signals import visit_completed_send

SHARED_FIELDS: tuple[str, ...] = (
    "arrived_at",
    "place_type",
    "suspect_present",
    "contact_result",
    "referrals_made",
)
POLICE_FIELDS: tuple[str, ...] = (
    "evidence_gathered",
    "body_worn_video",
    "statement_taken",
    "safety_actions",
)
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "shared": SHARED_FIELDS,
    "police": POLICE_FIELDS,
    "health": HEALTH_SECTION_FIELDS,
}

NOT_ALLOWED_VISIT = "Your role cannot record visits."
NOT_ALLOWED_POLICE = "Only police roles can change the police-side record."
NOT_ALLOWED_HEALTH = "Only health roles can change the health-side record."
NOT_ALLOWED_CONSULTATION = "Your role cannot log a consultation."
NOT_ALLOWED_ADVICE = "Only the IDVA asked can add advice to this consultation."
NEEDS_ARRIVAL = "Enter the time you arrived"
NEEDS_CONTACT = "Select the contact result"
MAX_ATTEMPTS = 3


class VisitNotAllowed(Exception):
    pass


class VisitIncomplete(Exception):
    """Finishing needs more: ``errors`` maps ``section-field`` to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class FieldConflict:
    section: str
    field: str
    mine: Any
    theirs: Any


class VisitConflict(Exception):
    """Someone saved the same fields first. Nothing was written."""

    def __init__(
        self, visit: Visit, conflicts: list[FieldConflict], current: dict[str, dict[str, Any]]
    ) -> None:
        super().__init__(", ".join(f"{c.section}.{c.field}" for c in conflicts))
        self.visit = visit
        self.conflicts = conflicts
        self.current = current


class _StaleRead(Exception):
    """The version moved between the read and the compare-and-set: try again."""


_MISSING = object()


def plain(value: Any) -> Any:
    """The comparable form of a field value (also what the form's base carries, as JSON)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).replace(second=0, microsecond=0)
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


def _police_values(visit: Visit) -> dict[str, Any]:
    record = PoliceVisitRecord.objects.filter(visit=visit).first()
    if record is None:
        return {
            "evidence_gathered": None,
            "body_worn_video": None,
            "statement_taken": None,
            "safety_actions": "",
        }
    return {name: getattr(record, name) for name in POLICE_FIELDS}


def visit_sections(user: User, visit: Visit) -> dict[str, dict[str, Any]]:
    """The current values of each section ``user`` may see: shared always, police for police
    roles, health for health roles (the form's initial values)."""
    sections = {"shared": {name: getattr(visit, name) for name in SHARED_FIELDS}}
    if can_view_police_record(user):
        sections["police"] = _police_values(visit)
    if can_edit_health_record(user):
        sections["health"] = support_record_values(visit)
    return sections


def visit_snapshot(*, user: User, visit: Visit) -> dict[str, dict[str, Any]]:
    """The plain values of every section ``user`` may see: the form's base."""
    return {
        section: {name: plain(value) for name, value in fields.items()}
        for section, fields in visit_sections(user, visit).items()
    }


def _check_sections(user: User, values: dict[str, dict[str, Any]]) -> None:
    if not can_edit_visit(user):
        raise VisitNotAllowed(NOT_ALLOWED_VISIT)
    if "police" in values and not can_edit_police_record(user):
        raise VisitNotAllowed(NOT_ALLOWED_POLICE)
    if "health" in values and not can_edit_health_record(user):
        raise VisitNotAllowed(NOT_ALLOWED_HEALTH)
    for section, fields in values.items():
        unknown = set(fields) - set(SECTION_FIELDS.get(section, ()))
        if unknown:
            raise ValueError(f"unknown fields in {section}: {sorted(unknown)}")


def _merge(
    values: dict[str, dict[str, Any]],
    base: dict[str, dict[str, Any]] | None,
    current: dict[str, dict[str, Any]],
    same_version: bool,
) -> tuple[dict[str, dict[str, Any]], list[FieldConflict]]:
    to_apply: dict[str, dict[str, Any]] = {section: {} for section in values}
    conflicts: list[FieldConflict] = []
    for section, fields in values.items():
        for name, mine in fields.items():
            now_plain = plain(current[section][name])
            mine_plain = plain(mine)
            if mine_plain == now_plain:
                continue
            was = now_plain if same_version else (base or {}).get(section, {}).get(name, _MISSING)
            if was == now_plain:
                to_apply[section][name] = mine  # only this user changed it
            elif was == mine_plain:
                continue  # only the other person changed it: keep theirs
            else:
                conflicts.append(FieldConflict(section, name, mine, current[section][name]))
    return to_apply, conflicts


def _finish_errors(shared: dict[str, Any]) -> dict[str, str]:
    errors = {}
    if shared.get("arrived_at") is None:
        errors["shared-arrived_at"] = NEEDS_ARRIVAL
    if not shared.get("contact_result"):
        errors["shared-contact_result"] = NEEDS_CONTACT
    return errors


def visit_record(
    *,
    user: User,
    visit_id: Any,
    lock_version: int,
    values: dict[str, dict[str, Any]],
    base: dict[str, dict[str, Any]] | None = None,
    finish: bool = False,
) -> Visit:
    """Save what ``user`` typed into the visit form (a draft, or ``finish`` to complete it).

    Parameters
    ----------
    values : section -> field -> value
        Sections ``shared``, ``police`` (police roles), ``health`` (health roles).
    lock_version, base
        The version and plain values (:func:`visit_snapshot`) the form was drawn from.

    Raises
    ------
    RecordNotFound, VisitNotAllowed, VisitConflict, VisitIncomplete
    """
    _check_sections(user, values)
    for _attempt in range(MAX_ATTEMPTS):
        try:
            return _visit_record_once(
                user=user,
                visit_id=visit_id,
                lock_version=lock_version,
                values=values,
                base=base,
                finish=finish,
            )
        except _StaleRead:
            continue
    raise _StaleRead("the visit kept changing while saving")


@transaction.atomic
def _visit_record_once(
    *,
    user: User,
    visit_id: Any,
    lock_version: int,
    values: dict[str, dict[str, Any]],
    base: dict[str, dict[str, Any]] | None,
    finish: bool,
) -> Visit:
    visit = _locked_visit(user, visit_id)
    raw = visit_sections(user, visit)
    current = {section: raw[section] for section in values}
    same_version = visit.lock_version == lock_version
    to_apply, conflicts = _merge(values, base, current, same_version)
    if conflicts:
        raise VisitConflict(visit, conflicts, current)
    shared_updates = dict(to_apply.get("shared", {}))
    if "health" in values:
        accepted = {**raw["health"], **to_apply["health"]}["idva_support_accepted"]
        if accepted != visit.support_accepted:
            shared_updates["support_accepted"] = accepted
    before = {
        **raw["shared"],
        "support_accepted": visit.support_accepted,
        "record_status": visit.record_status,
    }
    after = {**before, **shared_updates}
    if finish:
        errors = _finish_errors(after)
        if errors:
            raise VisitIncomplete(errors)
    after["record_status"] = _next_status(visit, finish=finish, touched=any(to_apply.values()))
    health_finish = finish and "health" in values
    if not any(to_apply.values()) and after == before and not health_finish:
        return visit
    _claim_version(
        visit, user=user, updates={**shared_updates, "record_status": after["record_status"]}
    )
    if after != before:
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            event="visits.visit_updated",
            subject=visit,
            changes=changed_fields(before, after),
        )
        support_record_sync_shared(visit=visit)
    if to_apply.get("police"):
        _save_police_record(user, visit, to_apply["police"])
    if "health" in values and (to_apply["health"] or health_finish):
        support_record_save_for_visit(
            user=user, visit=visit, values=to_apply["health"], finish=finish
        )
    if visit.record_status == Visit.RecordStatus.COMPLETE:
        case_attempt_recorded(user=user, visit=visit)  # the case lifecycle: an attempt, or seen
        visit_completed_send(visit=visit, user=user)  # safeguarding: referrals and the hand-over
    return visit


def _locked_visit(user: User, visit_id: Any) -> Visit:
    try:
        pk = visit_list_for(user=user).values_list("pk", flat=True).get(public_id=visit_id)
    except (Visit.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("investigation", "shift__team", "victim")
        .get(pk=pk)
    )


def _next_status(visit: Visit, *, finish: bool, touched: bool) -> str:
    if finish:
        return Visit.RecordStatus.COMPLETE
    if visit.record_status == Visit.RecordStatus.PLANNED and touched:
        return Visit.RecordStatus.DRAFT
    return visit.record_status


def _claim_version(visit: Visit, *, user: User, updates: dict[str, Any]) -> None:
    updates = {
        **updates,
        "updated_by": user,
        "updated_at": timezone.now(),
        "lock_version": visit.lock_version + 1,
    }
    claimed = Visit.objects.filter(pk=visit.pk, lock_version=visit.lock_version).update(**updates)
    if claimed != 1:
        raise _StaleRead
    for name, value in updates.items():
        setattr(visit, name, value)


def _save_police_record(user: User, visit: Visit, values: dict[str, Any]) -> None:
    record, created = PoliceVisitRecord.objects.select_for_update().get_or_create(visit=visit)
    before = {name: getattr(record, name) for name in values}
    for name, value in values.items():
        setattr(record, name, value)
    record.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        event="visits.police_record_created" if created else "visits.police_record_updated",
        subject=visit,
        changes=changed_fields(before, values),
    )


@transaction.atomic
def visit_plan(
    *,
    user: User,
    investigation: Any,
    mode: str = Visit.Mode.POST_INCIDENT,
    planned_at: dt.datetime | None = None,
    shift: Any = None,
) -> Visit:
    """Create a planned visit to the victim of ``investigation`` (the joint team, or the planner)."""
    if not can_start_visit(user):
        raise VisitNotAllowed(NOT_ALLOWED_VISIT)
    visit = Visit.objects.create(
        mode=mode,
        investigation=investigation,
        victim=investigation.victim,
        shift=shift,
        planned_at=planned_at or timezone.now(),
        record_status=Visit.RecordStatus.PLANNED,
        updated_by=user,
    )
    audit_record(actor=user, action=AuditAction.CREATE, event="visits.visit_planned", subject=visit)
    return visit


@transaction.atomic
def consultation_log(
    *,
    user: User,
    topic: str,
    advice: str = "",
    asked_at: dt.datetime | None = None,
    idva: Any = None,
    investigation: Any = None,
) -> Consultation:
    """An officer records asking an IDVA for advice (deployment mode 3)."""
    if not can_log_consultation(user):
        raise VisitNotAllowed(NOT_ALLOWED_CONSULTATION)
    consultation = Consultation.objects.create(
        officer=user,
        idva=idva,
        investigation=investigation,
        asked_at=asked_at or timezone.now(),
        topic=topic.strip(),
        advice=advice.strip(),
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="visits.consultation_logged",
        subject=consultation,
    )
    return consultation


@transaction.atomic
def consultation_advise(*, user: User, consultation: Consultation, advice: str) -> Consultation:
    """The IDVA adds or corrects the advice they gave."""
    if not can_advise_on_consultation(user, consultation):
        raise VisitNotAllowed(NOT_ALLOWED_ADVICE)
    before = {"advice": consultation.advice}
    consultation.advice = advice.strip()
    if consultation.idva_id is None:
        consultation.idva = user
    consultation.save(update_fields=["advice", "idva", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="visits.consultation_advised",
        subject=consultation,
        changes=changed_fields(before, {"advice": consultation.advice}),
    )
    return consultation


NOT_FUTURE_ARRIVAL = "The arrival time cannot be in the future"


@transaction.atomic
def visit_attempt_record(
    *,
    user: User,
    investigation: Any,
    arrived_at: dt.datetime,
    result: str,
    place_type: str = "",
    mode: str = "",
) -> Visit:
    """Record what happened when the joint team arrived, in one step (the API and control-room
    systems): the case's planned visit is completed, or a new visit is made complete.

    The case lifecycle then counts the attempt (no contact, declined, unsafe) or marks the
    victim seen (engaged). Raises VisitNotAllowed, ValueError for a bad result or time.
    """
    if not can_edit_visit(user):
        raise VisitNotAllowed(NOT_ALLOWED_VISIT)
    if result not in Visit.ContactResult.values:
        raise ValueError(
            f"unknown result {result!r}: use one of {', '.join(Visit.ContactResult.values)}"
        )
    if arrived_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValueError(NOT_FUTURE_ARRIVAL)
    visit = (
        Visit.objects.select_for_update()
        .filter(
            investigation=investigation,
            arrived_at__isnull=True,
            record_status=Visit.RecordStatus.PLANNED,
        )
        .order_by("planned_at")
        .first()
    )
    created = visit is None
    if visit is None:
        visit = Visit(
            investigation=investigation,
            victim=investigation.victim,
            mode=mode or Visit.Mode.POST_INCIDENT,
            planned_at=arrived_at,
        )
    visit.arrived_at, visit.contact_result = arrived_at, result
    visit.place_type = place_type or visit.place_type
    visit.record_status, visit.updated_by = Visit.RecordStatus.COMPLETE, user
    if not created:
        visit.lock_version += 1  # an open form on this visit now sees a newer version
    visit.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        event="visits.visit_recorded",
        subject=visit,
        changes={"arrived_at": [None, arrived_at.isoformat()], "contact_result": [None, result]},
    )
    case_attempt_recorded(user=user, visit=visit)
    return visit


def visit_record_from_tracker(*, record: SupportRecord, created: bool) -> Visit | None:
    """Keep the shared joint record in step with an imported IDVA tracker row.

    A new tracker row with a victim (and not a consultation) is a visit that happened: it is
    recorded complete and linked to the row. An updated row updates its linked visit's time,
    support accepted and referrals (and moves its version on, so an open form sees it).
    Returns the visit, or None when the row has none. Called inside the import's transaction
    by :func:`provide.visits.tracker_import.tracker_import`.
    """
    if not created:
        if record.visit_id is not None:
            Visit.objects.filter(pk=record.visit_id).update(
                arrived_at=record.idva_visit_at,
                support_accepted=record.idva_support_accepted,
                referrals_made=list(record.referrals),
                lock_version=F("lock_version") + 1,
                contact_result=_tracker_contact(record),
                updated_at=timezone.now(),
            )
            case_attempt_recorded(
                user=None, visit=Visit.objects.get(pk=record.visit_id), actor_label="tracker import"
            )  # a corrected result rebuilds the case
        return record.visit
    if record.victim_id is None or record.mode == "consultation":
        return None
    record.visit = Visit.objects.create(
        mode=record.mode or Visit.Mode.POST_INCIDENT,
        investigation_id=record.investigation_id,
        victim_id=record.victim_id,
        planned_at=record.idva_visit_at,
        arrived_at=record.idva_visit_at,
        support_accepted=record.idva_support_accepted,
        referrals_made=list(record.referrals),
        record_status=Visit.RecordStatus.COMPLETE,
        contact_result=_tracker_contact(record),
    )
    record.save(update_fields=["visit", "updated_at"])
    case_attempt_recorded(user=None, visit=record.visit, actor_label="tracker import")
    return record.visit


def _tracker_contact(record: SupportRecord) -> str:
    """A tracker row is a visit where the IDVA met the victim: she engaged with support, or
    declined it; unknown when the row does not say (the case then does not move)."""
    if record.idva_support_accepted is None:
        return ""
    return (
        Visit.ContactResult.ENGAGED
        if record.idva_support_accepted
        else Visit.ContactResult.DECLINED
    )
