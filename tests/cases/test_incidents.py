"""Raising a live incident: checked field by field, scoped to the user's BCU, and recorded as a
person, an investigation and a new case on the board, each audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.cases.incidents import (
    FUTURE_TOLERANCE,
    IncidentDetails,
    IncidentInvalid,
    VictimDetails,
    incident_raise,
)
from provide.cases.models import Case
from provide.intake.models import Investigation
from provide.people.models import Person
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London


def _details(**changes: Any) -> IncidentDetails:
    victim = VictimDetails(
        first_name=" Dee ",
        last_name="Example ",
        date_of_birth=dt.date(1990, 1, 31),
        postcode="fy1 1aa ",
        address=" 1 High Street",
        safe_phone=" 07700 900982",
    )
    fields: dict[str, Any] = {
        "bcu_name": "west",
        "occurred_at": NOW - dt.timedelta(minutes=20),
        "risk_grade": "high",
        "victim": victim,
        "latitude": 53.815,
        "longitude": -3.045,
        "summary": " Assault at home ",
        "incident_ref": " INC-42 ",
    }
    return IncidentDetails(**{**fields, **changes})


def test_a_live_incident_creates_the_victim_the_investigation_and_a_new_case(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    officer = personas["response_officer"]
    case = incident_raise(user=officer, details=_details(), now=NOW)
    investigation = case.investigation
    victim = investigation.victim
    assert (
        victim.given_name,
        victim.family_name,
        victim.postcode,
        victim.address,
        victim.safe_phone,
    ) == ("Dee", "Example", "FY1 1AA", "1 High Street", "07700 900982")
    assert (victim.date_of_birth, victim.latitude, victim.longitude) == (
        dt.date(1990, 1, 31),
        53.815,
        -3.045,
    )
    assert investigation.source == Investigation.Source.LIVE and investigation.bcu == areas["west"]
    assert (investigation.risk_grade, investigation.offence, investigation.incident_ref) == (
        "high",
        "Assault at home",
        "INC-42",
    )
    assert investigation.recorded_at == NOW - dt.timedelta(minutes=20)
    assert re.fullmatch(
        r"LIVE/WES/20260702/[0-9A-F]{6}", investigation.investigation_ref
    )  # the London date
    # The case is new, high risk, with the clock running from when the incident was raised
    assert (case.state, case.high_risk, case.clock_started_at) == (
        "new",
        True,
        investigation.recorded_at,
    )
    assert_audited(
        "people.person_created",
        action=AuditAction.CREATE,
        actor=officer,
        subject=victim,
        reason="Live incident",
    )
    raised = assert_audited(
        "cases.incident_raised",
        action=AuditAction.CREATE,
        actor=officer,
        subject=investigation,
        person=victim,
    )
    assert raised.changes == {"bcu": "West", "risk_grade": "high"}


def test_each_problem_is_named_and_nothing_is_written(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    details = _details(
        bcu_name="Nowhere",
        risk_grade="severe",
        occurred_at=NOW + FUTURE_TOLERANCE + dt.timedelta(minutes=1),
        victim=VictimDetails(first_name="Dee", last_name=" ", date_of_birth=dt.date(2027, 1, 1)),
        latitude=53.8,
        longitude=None,
    )
    with pytest.raises(IncidentInvalid) as raised:
        incident_raise(user=personas["triage_sergeant"], details=details, now=NOW)
    assert raised.value.errors == {
        "bcu": "Choose a BCU (known: East, West)",
        "risk_grade": "Choose the risk grade: high, medium or standard",
        "occurred_at": "The incident time cannot be in the future",
        "victim": "Give the victim's first and last name",
        "victim.date_of_birth": "The date of birth cannot be in the future",
        "latitude": "Give both latitude and longitude, or neither",
    }
    assert "risk_grade: Choose the risk grade" in str(raised.value)
    assert not Person.objects.filter(family_name="Example").exists()
    assert not Investigation.objects.filter(source=Investigation.Source.LIVE).exists()


def test_a_time_without_a_time_zone_is_refused_and_a_few_minutes_ahead_is_allowed(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    officer = personas["response_officer"]
    with pytest.raises(IncidentInvalid) as raised:
        naive = dt.datetime(2026, 7, 1, 23, 0)  # noqa: DTZ001 - what a careless client might send
        incident_raise(user=officer, details=_details(occurred_at=naive), now=NOW)
    assert list(raised.value.errors) == ["occurred_at"]
    ahead = incident_raise(
        user=officer, details=_details(occurred_at=NOW + FUTURE_TOLERANCE), now=NOW
    )
    assert ahead.investigation.recorded_at == NOW + FUTURE_TOLERANCE


def test_an_officer_raises_incidents_in_their_own_bcu_only(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    with pytest.raises(IncidentInvalid) as raised:
        incident_raise(
            user=personas["response_officer"], details=_details(bcu_name="East"), now=NOW
        )
    assert raised.value.errors == {"bcu": "You can raise incidents in West only"}


def test_roles_without_the_permission_are_refused_before_anything_is_checked(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    for role in ("joint_team_officer", "health_idva", "analyst"):
        with pytest.raises(PermissionDenied):
            incident_raise(user=personas[role], details=_details(bcu_name="Nowhere"), now=NOW)
    assert not Case.objects.exists()


def test_with_no_bcu_set_up_the_message_says_so(personas: dict[str, Any]) -> None:
    Area.objects.filter(kind=Area.Kind.BCU).update(kind=Area.Kind.DISTRICT)
    with pytest.raises(IncidentInvalid) as raised:
        incident_raise(user=personas["triage_sergeant"], details=_details(), now=NOW)
    assert raised.value.errors["bcu"] == "Choose a BCU (known: none set up)"
