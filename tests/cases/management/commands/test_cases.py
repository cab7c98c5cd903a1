"""provide cases: a BCU's cases in a state, as text or JSON, audited as an export."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from provide.audit.models import AuditAction
from provide.cases.models import Case
from provide.cases.services import case_attempt_recorded, case_close, case_decided
from provide.core.cases import AttemptRules
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.visits.models import Visit
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cases_lists_a_bcu_in_a_state_as_json(areas: Any, west_case: Any, east_case: Any) -> None:
    body = json.loads(_run("cases", "--bcu", "west", "--state", "new", "--json"))
    assert [c["investigation_ref"] for c in body["results"]] == [
        west_case["investigation"].investigation_ref
    ]
    assert body["results"][0]["state"] == "new" and "clock" in body["results"][0]
    assert (body["bcu"], body["state"]) == ("West", "new")
    assert (
        json.loads(_run("cases", "--bcu", "West", "--state", "awaiting_visit", "--json"))["results"]
        == []
    )
    assert "1 case(s) in West" in _run("cases", "--bcu", "West")
    assert_audited(
        "cases.listed_on_command_line",
        action=AuditAction.EXPORT,
        actor_username="provide cases",
        count=3,
    )


def test_cases_lists_open_cases_oldest_first_with_their_clock_in_text(
    personas: dict[str, Any], areas: Any, west_case: Any
) -> None:
    # Given an older accepted case, the cast's new one, a seen one and a closed one
    older = Investigation.objects.create(
        investigation_ref="WB/2026/000000",
        recorded_at=west_case["investigation"].recorded_at - dt.timedelta(days=1),
        bcu=areas["west"],
        victim=Person.objects.create(family_name="Older", synthetic=True),
    )
    case_decided(
        user=personas["triage_sergeant"],
        investigation=older,
        decision="joint_visit_post",
        reason="",
        rules=AttemptRules(),
    )
    seen = Investigation.objects.create(
        investigation_ref="WB/2026/000002",
        recorded_at=west_case["investigation"].recorded_at + dt.timedelta(hours=1),
        bcu=areas["west"],
        victim=Person.objects.create(family_name="Seen", synthetic=True),
    )
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=seen,
        victim=seen.victim,
        arrived_at=seen.recorded_at + dt.timedelta(hours=1),
        contact_result="engaged",
    )
    case_attempt_recorded(user=personas["joint_team_officer"], visit=visit)
    closed = Investigation.objects.create(
        investigation_ref="WB/2026/000009",
        recorded_at=west_case["investigation"].recorded_at,
        bcu=areas["west"],
        victim=Person.objects.create(family_name="Closed", synthetic=True),
    )
    case_close(
        user=personas["triage_sergeant"],
        case=Case.objects.get(investigation=closed),
        reason="Duplicate",
    )
    # When the open cases are listed as text
    lines = _run("cases", "--bcu", "West").splitlines()
    # Then each open case is a line, oldest first, with its state, attempts and clock
    due = (west_case["investigation"].first_police_visit_at + dt.timedelta(hours=24)).isoformat()
    assert lines[0] == "3 case(s) in West, open:"
    assert lines[1].split() == [
        "WB/2026/000000",
        "accepted",
        "attempts",
        "0",
        "clock",
        "not",
        "started",
    ]
    assert lines[2].split() == ["WB/2026/000001", "new", "attempts", "0", "due", due]
    assert lines[3].split() == [
        "WB/2026/000002",
        "seen",
        "attempts",
        "0",
        "seen",
        visit.arrived_at.isoformat(),
    ]
    assert len(lines) == 4
    event = assert_audited(
        "cases.listed_on_command_line", action=AuditAction.EXPORT, actor_username="provide cases"
    )
    assert event.changes == {"bcu": "West", "state": "open", "cases": 3}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--bcu", "Nowhere"), "no BCU called"),
        (("--bcu", "West", "--state", "sideways"), "unknown state"),
    ],
)
def test_cases_says_what_is_wrong(areas: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run("cases", *args)
