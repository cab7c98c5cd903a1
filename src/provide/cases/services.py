"""Every write to a case: the one place its state changes.

Each function turns what happened (a decision, a plan, a visit, a hand-over, a close) into a
:mod:`provide.core.cases` event, applies it, stores the new state and appends the event to
the case's history with who and why, and writes the audit log — in the caller's transaction.
Callers sit above (triage, planning, visits, safeguarding, the API); they pass what the case
needs (the policy's attempt rules, the visit's result), so this app reads none of them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.services import Actor
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.models import Case as CaseRow
from provide.cases.models import CaseEvent
from provide.cases.policies import can_close_case
from provide.core import cases as core
from provide.intake.models import Investigation

__all__ = [
    "CaseTransitionRefused",
    "case_attempt_recorded",
    "case_close",
    "case_decided",
    "case_for",
    "case_handed_over",
    "case_rebuild",
    "cases_open_for",
    "cases_planned",
    "cases_unplanned",
]

CaseTransitionRefused = core.TransitionRefused


# --- row <-> core ----------------------------------------------------------------------------


def _enum_or_none(kind: Any, value: str) -> Any:
    return kind(value) if value else None


def to_core(row: CaseRow) -> core.Case:
    """The core case a row caches."""
    return core.Case(
        state=core.CaseState(row.state),
        high_risk=row.high_risk,
        decision=_enum_or_none(core.Decision, row.decision),
        accepted_at=row.accepted_at,
        clock=core.CaseClock(row.clock_started_at, row.clock_due_at, row.clock_stopped_at),
        rules=core.attempt_rules_from(row.rules),
        attempts=row.attempts,
        last_attempt_at=row.last_attempt_at,
        last_attempt_result=_enum_or_none(core.AttemptResult, row.last_attempt_result),
        next_attempt_due_at=row.next_attempt_due_at,
        escalated_at=row.escalated_at,
        escalation_reason=row.escalation_reason,
        seen_at=row.seen_at,
        handed_over_at=row.handed_over_at,
        closed_at=row.closed_at,
        closed_reason=row.closed_reason,
    )


def store_case(row: CaseRow, case: core.Case) -> None:
    row.state = case.state.value
    row.high_risk = case.high_risk
    row.decision = case.decision.value if case.decision else ""
    row.rules = case.rules.as_mapping()
    row.accepted_at = case.accepted_at
    row.clock_started_at, row.clock_due_at = case.clock.started_at, case.clock.due_at
    row.clock_stopped_at = case.clock.stopped_at
    row.attempts = case.attempts
    row.last_attempt_at = case.last_attempt_at
    row.last_attempt_result = case.last_attempt_result.value if case.last_attempt_result else ""
    row.next_attempt_due_at = case.next_attempt_due_at
    row.escalated_at, row.escalation_reason = case.escalated_at, case.escalation_reason[:200]
    row.seen_at, row.handed_over_at = case.seen_at, case.handed_over_at
    row.closed_at, row.closed_reason = case.closed_at, case.closed_reason


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def event_payload(event: core.Event) -> dict[str, Any]:
    if isinstance(event, core.Opened):
        return {
            "first_police_visit_at": _iso(event.first_police_visit_at),
            "high_risk": event.high_risk,
        }
    if isinstance(event, core.Decided):
        return {
            "decision": event.decision.value,
            "rules": event.rules.as_mapping(),
            "first_police_visit_at": _iso(event.first_police_visit_at),
            "high_risk": event.high_risk,
        }
    if isinstance(event, core.Attempted):
        return {"result": event.result.value}
    if isinstance(event, core.Closed):
        return {"reason": event.reason}
    return {}


EVENT_KINDS: dict[type, str] = {
    core.Opened: CaseEvent.Kind.OPENED,
    core.Decided: CaseEvent.Kind.DECIDED,
    core.Planned: CaseEvent.Kind.PLANNED,
    core.Unplanned: CaseEvent.Kind.UNPLANNED,
    core.Attempted: CaseEvent.Kind.ATTEMPTED,
    core.HandedOver: CaseEvent.Kind.HANDED_OVER,
    core.Closed: CaseEvent.Kind.CLOSED,
}


def event_from_row(row: CaseEvent, *, result: str | None = None) -> core.Event:
    """The core event a history row records (``result`` overrides a corrected visit's result)."""
    at, data = row.happened_at, row.payload
    if row.kind == CaseEvent.Kind.OPENED:
        return core.Opened(
            at, _parse(data.get("first_police_visit_at")), bool(data.get("high_risk"))
        )
    if row.kind == CaseEvent.Kind.DECIDED:
        return core.Decided(
            at,
            core.Decision(data["decision"]),
            core.attempt_rules_from(data.get("rules")),
            _parse(data.get("first_police_visit_at")),
            data.get("high_risk"),
        )
    if row.kind == CaseEvent.Kind.ATTEMPTED:
        return core.Attempted(at, core.AttemptResult(result or data["result"]))
    if row.kind == CaseEvent.Kind.CLOSED:
        return core.Closed(at, data.get("reason", row.reason))
    simple: dict[CaseEvent.Kind, Callable[[dt.datetime], core.Event]] = {
        CaseEvent.Kind.PLANNED: core.Planned,
        CaseEvent.Kind.UNPLANNED: core.Unplanned,
        CaseEvent.Kind.HANDED_OVER: core.HandedOver,
    }
    return simple[CaseEvent.Kind(row.kind)](at)


# --- opening ---------------------------------------------------------------------------------


def clock_start(investigation: Investigation) -> dt.datetime | None:
    """Where the 24-hour clock starts: the first police visit; for a live incident raised in
    Provide (the joint team may be the first to attend), the moment it was raised."""
    if (
        investigation.first_police_visit_at is None
        and investigation.source == Investigation.Source.LIVE
    ):
        return investigation.recorded_at
    return investigation.first_police_visit_at


def _opened_event(investigation: Investigation) -> core.Opened:
    return core.Opened(
        investigation.recorded_at, clock_start(investigation), investigation.risk_grade == "high"
    )


def cases_open_for(investigation_ids: Iterable[int], *, actor_label: str = "provide") -> int:
    """Open a case (state new) for each investigation that has none. Idempotent; bulk."""
    ids = set(investigation_ids)
    have = set(
        CaseRow.objects.filter(investigation_id__in=ids).values_list("investigation_id", flat=True)
    )
    missing = list(Investigation.objects.filter(id__in=ids - have).order_by("id"))
    rows = []
    for investigation in missing:
        row = CaseRow(investigation=investigation)
        store_case(row, core.apply_event(core.Case(), _opened_event(investigation)))
        rows.append(row)
    CaseRow.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    created = {
        r.investigation_id: r
        for r in CaseRow.objects.filter(investigation_id__in=[i.id for i in missing])
    }
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=created[i.id],
                kind=CaseEvent.Kind.OPENED,
                happened_at=i.recorded_at,
                payload=event_payload(_opened_event(i)),
                to_state=core.CaseState.NEW.value,
                actor_label=actor_label,
            )
            for i in missing
            if i.id in created
        ],
        batch_size=2000,
    )
    return len(missing)


def case_for(investigation: Investigation | int) -> CaseRow:
    """The investigation's case, opened if it has none yet; locked for the caller's change."""
    investigation_id = investigation if isinstance(investigation, int) else investigation.pk
    cases_open_for([investigation_id])
    return (
        CaseRow.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .get(investigation_id=investigation_id)
    )


# --- transitions -----------------------------------------------------------------------------


def _apply(
    row: CaseRow,
    event: core.Event,
    *,
    actor: Any = None,
    actor_label: str = "",
    reason: str = "",
    visit_public_id: Any = None,
) -> CaseRow:
    before = row.state
    case = core.apply_event(to_core(row), event)
    store_case(row, case)
    row.save()
    user = actor if getattr(actor, "is_authenticated", False) else None
    CaseEvent.objects.create(
        case=row,
        kind=EVENT_KINDS[type(event)],
        happened_at=event.at,
        payload=event_payload(event),
        visit_public_id=visit_public_id,
        from_state=before,
        to_state=row.state,
        reason=reason,
        actor=user,
        actor_label=actor_label or ("" if user else "provide"),
    )
    audit_record(
        actor=user,
        actor_username=actor_label,
        action=AuditAction.UPDATE,
        event=f"cases.{EVENT_KINDS[type(event)]}",
        subject=row,
        reason=reason,
        changes={"state": [before, row.state]},
    )
    return row


def case_decided(
    *,
    user: User,
    investigation: Investigation,
    decision: str,
    reason: str,
    rules: core.AttemptRules,
    at: dt.datetime | None = None,
) -> CaseRow:
    """The sergeant's decision: accepted (a joint visit) or triaged (anything else)."""
    row = case_for(investigation)
    event = core.Decided(
        at or timezone.now(),
        core.Decision(decision),
        rules,
        clock_start(investigation),
        _high_risk(investigation),
    )
    return _apply(row, event, actor=user, reason=reason)


def case_check_decidable(investigation: Investigation) -> None:
    """Raise CaseTransitionRefused when the case can no longer take a triage decision (seen,
    handed over or closed): checked before anything else about the decision."""
    row = CaseRow.objects.filter(investigation=investigation).first()
    if row is not None and core.CaseState(row.state) not in core.DECIDABLE:
        raise core.TransitionRefused(
            f"cannot record a triage decision: the case is {row.state} ({row.get_state_display().lower()})"
        )


def _high_risk(investigation: Investigation) -> bool:
    grade = getattr(investigation, "latest_grade", None) or investigation.risk_grade
    return grade == "high"


def cases_planned(
    *, user: Actor, investigation_ids: Iterable[int], at: dt.datetime, actor_label: str = ""
) -> int:
    """Cases awaiting a visit that a plan now holds. Others are left as they are."""
    moved = 0
    for row in _locked(investigation_ids, {"accepted", "attempted"}):
        _apply(row, core.Planned(at), actor=user, actor_label=actor_label)
        moved += 1
    return moved


def cases_unplanned(
    *, user: Actor, investigation_ids: Iterable[int], at: dt.datetime, actor_label: str = ""
) -> int:
    """Planned cases a re-plan dropped: back to the queue (accepted, or attempted)."""
    moved = 0
    for row in _locked(investigation_ids, {"planned"}):
        _apply(row, core.Unplanned(at), actor=user, actor_label=actor_label)
        moved += 1
    return moved


def _locked(investigation_ids: Iterable[int], states: set[str]) -> list[CaseRow]:
    ids = list(investigation_ids)
    cases_open_for(ids)
    return list(
        CaseRow.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .filter(investigation_id__in=ids, state__in=states)
        .order_by("id")
    )


def case_attempt_recorded(
    *, user: User | None, visit: Any, actor_label: str = ""
) -> CaseRow | None:
    """A visit with an arrival time and a contact result: an attempt on its case.

    Once per visit. Editing the visit's result later appends a correction and rebuilds the
    case from its history, so a visit corrected from "engaged" to "no contact" puts the victim
    back in the queue. Visits with no investigation (consultations) have no case.
    """
    if visit.investigation_id is None or visit.arrived_at is None or not visit.contact_result:
        return None
    row = case_for(visit.investigation_id)
    recorded = list(
        CaseEvent.objects.filter(
            case=row, visit_public_id=visit.public_id, kind=CaseEvent.Kind.ATTEMPTED
        ).order_by("id")
    )
    if recorded and recorded[-1].payload.get("result") == visit.contact_result:
        return row
    event = core.Attempted(visit.arrived_at, core.AttemptResult(visit.contact_result))
    if not recorded:
        return _apply(
            row,
            event,
            actor=user,
            actor_label=actor_label,
            visit_public_id=visit.public_id,
            reason=f"Visit: {core.AttemptResult(visit.contact_result).value.replace('_', ' ')}",
        )
    with transaction.atomic():
        correction = CaseEvent.objects.create(
            case=row,
            kind=CaseEvent.Kind.ATTEMPTED,
            happened_at=visit.arrived_at,
            payload=event_payload(event),
            visit_public_id=visit.public_id,
            from_state=row.state,
            to_state=row.state,
            reason="Visit result corrected",
            actor=user if getattr(user, "is_authenticated", False) else None,
            actor_label=actor_label,
        )
        row = case_rebuild(row, actor=user, reason="Visit result corrected")
        # The correction's "after" is the state the replay reached, so the history ends where
        # the case stands (written once, in the same transaction as the event itself).
        CaseEvent.objects.filter(pk=correction.pk).update(to_state=row.state)
    return row


def case_rebuild(row: CaseRow, *, actor: Any = None, reason: str = "") -> CaseRow:
    """Replay the case's history (the latest result of each visit wins) and store the state."""
    history = list(row.events.order_by("id"))
    latest_result: dict[uuid.UUID | None, Any] = {
        e.visit_public_id: e.payload.get("result")
        for e in history
        if e.kind == CaseEvent.Kind.ATTEMPTED and e.visit_public_id
    }
    seen_visits: set[Any] = set()
    case = core.Case()
    for entry in history:
        if entry.kind == CaseEvent.Kind.ATTEMPTED and entry.visit_public_id:
            if entry.visit_public_id in seen_visits:
                continue
            seen_visits.add(entry.visit_public_id)
        event = event_from_row(entry, result=latest_result.get(entry.visit_public_id))
        try:
            case = core.apply_event(case, event)
        except core.TransitionRefused:
            continue  # a later correction made this step moot (e.g. a hand-over before the visit)
    before = row.state
    store_case(row, case)
    row.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event="cases.rebuilt",
        subject=row,
        reason=reason,
        changes={"state": [before, row.state]},
    )
    return row


def case_handed_over(
    *, user: User, investigation_id: int, at: dt.datetime | None = None, reason: str = ""
) -> CaseRow | None:
    """Safeguarding took the case over. Only a seen case moves; earlier, it is noted only."""
    row = case_for(investigation_id)
    if row.state != core.CaseState.SEEN.value:
        return None
    return _apply(row, core.HandedOver(at or timezone.now()), actor=user, reason=reason)


@transaction.atomic
def case_close(*, user: User, case: CaseRow, reason: str, at: dt.datetime | None = None) -> CaseRow:
    """Close a case with a reason, by a named user. Raises CaseTransitionRefused."""
    if not can_close_case(user):
        raise PermissionDenied
    row = (
        CaseRow.objects.select_for_update(of=("self",))
        .select_related("investigation")
        .get(pk=case.pk)
    )
    _apply(row, core.Closed(at or timezone.now(), reason), actor=user, reason=reason.strip())
    row.closed_by = user
    row.save(update_fields=["closed_by", "updated_at"])
    return row
