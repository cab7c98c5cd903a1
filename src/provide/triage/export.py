"""The board as plain data, for the API and ``provide triage --json``.

Victims are identified by their public id, never by name: the page shows names to the
sergeant; machine output does not need them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from provide.intake.presenters import custody_text
from provide.triage.models import TriageDecision
from provide.triage.selectors import BoardRow, TriageBoard


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def decision_to_dict(decision: TriageDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "id": str(decision.public_id),
        "investigation_id": str(decision.investigation.public_id),
        "decision": decision.decision,
        "decision_label": decision.get_decision_display(),
        "reasons": decision.reasons,
        "status": decision.status,
        "policy_version": decision.policy.version,
        "priority_score": decision.priority_score,
        "score_explanation": decision.score_explanation,
        "eligible_by_policy": decision.eligible_by_policy,
        "eligibility_overridden": decision.eligibility_overridden,
        "due_by": _iso(decision.due_by),
        "decided_by": decision.decided_by.get_username() if decision.decided_by else None,
        "decided_at": _iso(decision.decided_at),
    }


def row_to_dict(row: BoardRow) -> dict[str, Any]:
    assessment = row.assessment
    case = assessment.case
    custody = case.custody
    clock = assessment.clock
    return {
        "rank": row.rank,
        "investigation_id": case.case_id,
        "investigation_ref": case.reference,
        "victim_id": str(row.investigation.victim.public_id),
        "recorded_at": _iso(case.recorded_at),
        "first_police_visit_at": _iso(case.first_police_visit_at),
        "risk_grade": case.risk_grade.value if case.risk_grade else None,
        "score": assessment.score.total,
        "factors": assessment.score.explanation(),
        "eligibility": assessment.eligibility.as_dict(),
        "clock": {
            "state": clock.state.value,
            "due_by": _iso(clock.due_by),
            "hours_since_first_visit": None
            if clock.hours_since_first_visit is None
            else round(clock.hours_since_first_visit, 2),
            "hours_left": None if clock.hours_left is None else round(clock.hours_left, 2),
            "summary": clock.summary,
        },
        "custody": None
        if custody is None
        else {
            "status": custody.status.value,
            "custody_ref": custody.custody_ref,
            "arrested_at": _iso(custody.arrested_at),
            "expected_release_at": _iso(custody.expected_release_at),
            "hours_to_release": (
                None
                if custody.hours_to_release(assessment.score.as_of) is None
                else round(custody.hours_to_release(assessment.score.as_of) or 0, 2)
            ),
            "summary": custody_text(custody, assessment.score.as_of),
        },
        "decision": decision_to_dict(row.decision),
        "case": {"id": str(row.case.public_id), "state": row.case.state} if row.case else None,
        "carried_over": row.carried_over,
    }


def board_to_dict(board: TriageBoard) -> dict[str, Any]:
    window = board.window
    return {
        "bcu": board.bcu.name,
        "date": window.on_date.isoformat(),
        "as_of": _iso(window.as_of),
        "window": {
            "starts_at": _iso(window.starts_at),
            "cutoff": _iso(window.cutoff),
            "look_back_hours": window.look_back_hours,
        },
        "policy": {"version": board.policy.version, "name": board.policy.name},
        "counts": {
            "cases": len(board.rows),
            "eligible": len(board.eligible_rows),
            "to_decide": board.to_decide,
            "due_soon": board.due_soon,
            "breached": board.breached,
            "in_custody": board.in_custody,
            "accepted": board.accepted,
            "carried_over": board.carried_over,
        },
        "cases": [row_to_dict(row) for row in board.rows],
        "carried_over": [row_to_dict(row) for row in board.carried_over_rows],
    }
