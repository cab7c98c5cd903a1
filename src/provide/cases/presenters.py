"""A case as plain data: what the API, the command line and exports print."""

from __future__ import annotations

from typing import Any

from provide.cases.models import Case
from provide.cases.selectors import case_history


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def case_summary(case: Case) -> dict[str, Any]:
    """The fields every case answer carries."""
    investigation = case.investigation
    return {
        "case": str(case.public_id),
        "state": case.state,
        "state_label": case.get_state_display(),
        "bcu": investigation.bcu.name,
        "investigation_ref": investigation.investigation_ref,
        "victim": str(investigation.victim.public_id),
        "risk_grade": investigation.risk_grade or None,
        "high_risk": case.high_risk,
        "decision": case.decision or None,
        "attempts": case.attempts,
        "last_attempt_result": case.last_attempt_result or None,
        "next_attempt_due_at": _when(case.next_attempt_due_at),
        "escalated": case.escalated_at is not None,
        "escalation_reason": case.escalation_reason or None,
        "clock": {
            "started_at": _when(case.clock_started_at),
            "due_at": _when(case.clock_due_at),
            "stopped_at": _when(case.clock_stopped_at),
        },
        "closed_reason": case.closed_reason or None,
    }


def case_detail(case: Case) -> dict[str, Any]:
    history = [
        {
            "at": _when(event.happened_at),
            "event": event.kind,
            "from_state": event.from_state or None,
            "to_state": event.to_state,
            "reason": event.reason or None,
            "by": event.actor.get_username() if event.actor else (event.actor_label or None),
        }
        for event in case_history(case)
    ]
    return {**case_summary(case), "history": history}
