"""A case as plain data: the fields every answer carries, and the history with who did each step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.cases.models import Case
from provide.cases.presenters import case_detail, case_summary
from provide.cases.services import case_attempt_recorded, case_close, case_decided
from provide.core.cases import AttemptRules
from provide.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_a_new_case_summary_says_where_it_stands_with_blanks_as_none(
    west_case: dict[str, Any],
) -> None:
    investigation = west_case["investigation"]
    case = Case.objects.get(investigation=investigation)
    started = investigation.first_police_visit_at
    assert case_summary(case) == {
        "case": str(case.public_id),
        "state": "new",
        "state_label": "New: awaiting triage",
        "bcu": "West",
        "investigation_ref": "WB/2026/000001",
        "victim": str(west_case["victim"].public_id),
        "risk_grade": "high",
        "high_risk": True,
        "decision": None,
        "attempts": 0,
        "last_attempt_result": None,
        "next_attempt_due_at": None,
        "escalated": False,
        "escalation_reason": None,
        "clock": {
            "started_at": started.isoformat(),
            "due_at": (started + dt.timedelta(hours=24)).isoformat(),
            "stopped_at": None,
        },
        "closed_reason": None,
    }


def test_a_failed_attempt_on_a_high_risk_case_shows_the_escalation_and_the_next_attempt(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    investigation = west_case["investigation"]
    case_decided(
        user=personas["triage_sergeant"],
        investigation=investigation,
        decision="joint_visit_post",
        reason="",
        rules=AttemptRules(retry_after_hours=4),
    )
    arrived = investigation.recorded_at + dt.timedelta(hours=2)
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=west_case["victim"],
        arrived_at=arrived,
        contact_result="no_contact",
    )
    case = case_attempt_recorded(user=personas["joint_team_officer"], visit=visit)
    assert case is not None
    summary = case_summary(case)
    assert (summary["state"], summary["decision"], summary["attempts"]) == (
        "attempted",
        "joint_visit_post",
        1,
    )
    assert summary["last_attempt_result"] == "no_contact" and summary["escalated"] is True
    assert (
        summary["escalation_reason"]
        == "High-risk victim not reached: the sergeant decides the next step"
    )
    assert summary["next_attempt_due_at"] == (arrived + dt.timedelta(hours=4)).isoformat()


def test_the_detail_adds_the_history_naming_the_user_or_the_system_behind_each_step(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    case = Case.objects.get(investigation=west_case["investigation"])
    closed_at = west_case["investigation"].recorded_at + dt.timedelta(hours=1)
    case = case_close(user=sergeant, case=case, reason="Duplicate of another record", at=closed_at)
    detail = case_detail(case)
    assert detail["closed_reason"] == "Duplicate of another record" and detail["state"] == "closed"
    assert detail["history"] == [
        {
            "at": west_case["investigation"].recorded_at.isoformat(),
            "event": "opened",
            "from_state": None,
            "to_state": "new",
            "reason": None,
            "by": "provide",
        },
        {
            "at": closed_at.isoformat(),
            "event": "closed",
            "from_state": "new",
            "to_state": "closed",
            "reason": "Duplicate of another record",
            "by": "triage.sergeant",
        },
    ]
