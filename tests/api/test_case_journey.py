"""The case journey through the API, checking every working list at each step: a high-risk live
incident, no contact, back in the queue, seen, handed over, closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from provide.areas.models import Station
from provide.audit.models import AuditEvent
from provide.cases.models import Case
from provide.cases.selectors import cases_to_hand_over
from provide.planning.models import Shift, Team
from provide.planning.selectors import planning_candidates
from provide.planning.services import plan_run
from provide.safeguarding.services import handover_create
from provide.triage.queues import handover_for
from provide.triage.selectors import triage_board_for

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def _lists(personas: dict[str, Any], areas: dict[str, Any], case_id: str) -> dict[str, bool]:
    """Which working lists show the case right now."""
    sergeant = personas["triage_sergeant"]
    now = timezone.now()
    board = triage_board_for(user=sergeant, audit=False)
    on_board = [r for r in board.rows + board.carried_over_rows if str(r.case.public_id) == case_id]
    awaiting = _api(sergeant).get("/api/cases/", {"state": "awaiting_visit"}).json()["results"]
    handover = handover_for(user=sergeant, board=board)
    return {
        "board_undecided": bool(on_board) and not on_board[0].decided,
        "board_breached": bool(on_board) and on_board[0].assessment.clock.state.value == "breached",
        "awaiting_api": any(item["case"] == case_id for item in awaiting),
        "planner": any(
            str(c.decision.investigation.case.public_id) == case_id
            for c in planning_candidates(
                bcu=areas["west"], as_of=now, until=now + dt.timedelta(hours=12)
            )
        ),
        "handover_awaiting": any(str(c.public_id) == case_id for c in handover.awaiting_visit),
        "escalated": any(str(c.public_id) == case_id for c in handover.escalated),
        "to_hand_over": any(str(c.public_id) == case_id for c in cases_to_hand_over(areas["west"])),
    }


def test_a_high_risk_live_incident_goes_from_no_contact_to_closed(
    personas: dict[str, Any], areas: Any
) -> None:
    officer, sergeant = personas["response_officer"], personas["triage_sergeant"]
    team_officer, safeguarding = personas["joint_team_officer"], personas["safeguarding_officer"]
    now = timezone.now().replace(microsecond=0)
    raised = _post(
        _api(officer),
        "/api/incidents/",
        {
            "bcu": "West",
            "occurred_at": (now - dt.timedelta(minutes=20)).isoformat(),
            "risk_grade": "high",
            "victim": {
                "first_name": "Ann",
                "last_name": "Example",
                "date_of_birth": "1990-01-01",
                "postcode": "FY1 1AA",
            },
            "latitude": 53.815,
            "longitude": -3.045,
        },
    )
    assert raised.status_code == 201, raised.content
    case_id = raised.json()["case"]
    assert raised.json()["state"] == "new"
    assert _lists(personas, areas, case_id) == {
        "board_undecided": True,
        "board_breached": False,
        "awaiting_api": False,
        "planner": False,
        "handover_awaiting": False,
        "escalated": False,
        "to_hand_over": False,
    }

    decided = _post(
        _api(sergeant),
        f"/api/cases/{case_id}/decision/",
        {"decision": "joint_visit", "mode": "live"},
    )
    assert decided.status_code == 200 and decided.json()["state"] == "accepted"
    lists = _lists(personas, areas, case_id)
    assert lists["awaiting_api"] and lists["planner"] and lists["handover_awaiting"]
    assert not lists["board_undecided"]

    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West A", bcu=areas["west"], base=base, vehicle="PV1")
    shift = Shift.objects.create(
        team=team,
        on_date=timezone.localdate(now),
        pattern="early",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=7),
    )
    plan_run(user=sergeant, shifts=[shift], as_of=now)
    assert Case.objects.get(public_id=case_id).state == "planned"

    missed = _post(
        _api(team_officer),
        f"/api/cases/{case_id}/attempts/",
        {"arrived_at": (now - dt.timedelta(minutes=5)).isoformat(), "result": "no_contact"},
    )
    assert missed.status_code == 201 and missed.json()["state"] == "attempted"
    assert missed.json()["attempts"] == 1 and missed.json()["escalated"] is True
    lists = _lists(personas, areas, case_id)
    assert lists["awaiting_api"] and lists["handover_awaiting"] and lists["escalated"]
    assert lists["planner"], "a no-contact visit must put the victim back in the planner's queue"

    seen = _post(
        _api(team_officer),
        f"/api/cases/{case_id}/attempts/",
        {"arrived_at": now.isoformat(), "result": "engaged"},
    )
    assert seen.status_code == 201 and seen.json()["state"] == "seen"
    assert seen.json()["clock"]["stopped_at"] is not None
    lists = _lists(personas, areas, case_id)
    assert lists == {
        "board_undecided": False,
        "board_breached": False,
        "awaiting_api": False,
        "planner": False,
        "handover_awaiting": False,
        "escalated": False,
        "to_hand_over": True,
    }

    case = Case.objects.get(public_id=case_id)
    handover_create(
        user=safeguarding,
        victim=case.investigation.victim,
        team=areas["west"],
        title="Safety plan follow-up",
        investigation=case.investigation,
    )
    assert _api(sergeant).get(f"/api/cases/{case_id}/").json()["state"] == "handed_over"
    assert not _lists(personas, areas, case_id)["to_hand_over"]

    closed = _post(
        _api(sergeant), f"/api/cases/{case_id}/close/", {"reason": "Support in place; MARAC heard"}
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    detail = _api(sergeant).get(f"/api/cases/{case_id}/").json()
    assert [step["to_state"] for step in detail["history"]] == [
        "new",
        "accepted",
        "planned",
        "attempted",
        "seen",
        "handed_over",
        "closed",
    ]
    assert detail["history"][-1]["by"] == sergeant.get_username()
    assert detail["history"][-1]["reason"] == "Support in place; MARAC heard"
    audit = AuditEvent.objects.filter(event="cases.closed", actor=sergeant, object_id=case_id)
    assert audit.count() == 1 and audit.get().person_label == "Ann Example"


def _incident(personas: dict[str, Any]) -> str:
    response = _post(
        _api(personas["response_officer"]),
        "/api/incidents/",
        {
            "bcu": "West",
            "occurred_at": timezone.now().isoformat(),
            "risk_grade": "medium",
            "victim": {"first_name": "Bea", "last_name": "Sample"},
        },
    )
    assert response.status_code == 201
    return str(response.json()["case"])


@pytest.mark.parametrize(
    ("path", "body", "code", "reason"),
    [
        ("/api/cases/?state=sideways", None, 400, "unknown state"),
        ("decision", {"decision": "joint_visit"}, 400, "mode"),
        ("decision", {"decision": "teleport"}, 400, "decision"),
        ("attempts", {"arrived_at": "2026-12-04T09:00:00Z", "result": "maybe"}, 400, "result"),
        ("attempts", {"arrived_at": "2150-01-01T09:00:00Z", "result": "engaged"}, 400, "future"),
        ("close", {"reason": ""}, 400, "reason"),
    ],
)
def test_bad_input_gets_a_4xx_with_the_reason_and_changes_nothing(
    personas: dict[str, Any], areas: Any, path: str, body: Any, code: int, reason: str
) -> None:
    case_id = _incident(personas)
    events_before = Case.objects.get(public_id=case_id).events.count()
    client = _api(
        personas["triage_sergeant"] if path != "attempts" else personas["joint_team_officer"]
    )
    response = (
        client.get(path) if body is None else _post(client, f"/api/cases/{case_id}/{path}/", body)
    )
    assert response.status_code == code
    assert reason in response.content.decode().lower()
    assert Case.objects.get(public_id=case_id).state == "new"
    assert Case.objects.get(public_id=case_id).events.count() == events_before


def test_transitions_that_are_not_allowed_are_409_and_change_nothing(
    personas: dict[str, Any], areas: Any
) -> None:
    case_id = _incident(personas)
    sergeant = _api(personas["triage_sergeant"])
    assert (
        _post(
            sergeant, f"/api/cases/{case_id}/close/", {"reason": "Duplicate of another report"}
        ).status_code
        == 200
    )
    again = _post(sergeant, f"/api/cases/{case_id}/close/", {"reason": "again"})
    assert again.status_code == 409 and "closed" in again.json()["detail"]
    decide = _post(
        sergeant, f"/api/cases/{case_id}/decision/", {"decision": "joint_visit", "mode": "live"}
    )
    assert decide.status_code == 409
    visit = _post(
        _api(personas["joint_team_officer"]),
        f"/api/cases/{case_id}/attempts/",
        {"arrived_at": timezone.now().isoformat(), "result": "engaged"},
    )
    assert visit.status_code == 409
    assert Case.objects.get(public_id=case_id).state == "closed"


def test_a_case_from_another_bcu_is_not_found_and_roles_are_checked(
    personas: dict[str, Any], areas: Any, make_user: Any
) -> None:
    case_id = _incident(personas)
    east_sergeant = make_user("triage_sergeant", bcu="east", username="east.sergeant")
    assert _api(east_sergeant).get(f"/api/cases/{case_id}/").status_code == 404
    assert (
        _post(
            _api(east_sergeant), f"/api/cases/{case_id}/close/", {"reason": "not mine"}
        ).status_code
        == 404
    )
    other = _api(east_sergeant).get("/api/cases/", {"bcu": "West"})
    assert other.status_code == 403 and "East" in other.json()["detail"]
    raised_elsewhere = _post(
        _api(personas["response_officer"]),
        "/api/incidents/",
        {
            "bcu": "East",
            "occurred_at": timezone.now().isoformat(),
            "risk_grade": "high",
            "victim": {"first_name": "C", "last_name": "D"},
        },
    )
    assert raised_elsewhere.status_code == 403
    assert _api(personas["analyst"]).get("/api/cases/").status_code == 403
    decide = _post(
        _api(personas["response_officer"]),
        f"/api/cases/{case_id}/decision/",
        {"decision": "not_eligible", "reason": "x"},
    )
    assert decide.status_code == 403
    close = _post(
        _api(personas["joint_team_officer"]), f"/api/cases/{case_id}/close/", {"reason": "no"}
    )
    assert close.status_code == 403
    assert Case.objects.get(public_id=case_id).state == "new"
