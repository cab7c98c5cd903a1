"""After the decision: the stale lists and the hand-over read the case lifecycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from provide.cases.services import case_attempt_recorded
from provide.triage.models import TriageDecision
from provide.triage.queues import stale_cases, stale_cases_for
from provide.triage.services import triage_decision_record
from provide.visits.models import Visit
from tests.triage.conftest import CUTOFF

pytestmark = pytest.mark.django_db
D = TriageDecision.Decision


def _accept(
    user: Any,
    investigation: Any,
    decision: str = D.JOINT_VISIT_POST,
    hours_ago: float = 0,
    reason: str = "",
) -> TriageDecision:
    with time_machine.travel(CUTOFF - dt.timedelta(hours=hours_ago), tick=False):
        return triage_decision_record(
            user=user,
            investigation_id=investigation.public_id,
            decision=decision,
            reason=reason,
            as_of=CUTOFF,
        )


def _visit(user: Any, investigation: Any, arrived_at: dt.datetime, result: str) -> Visit:
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=investigation.victim,
        arrived_at=arrived_at,
        contact_result=result,
    )
    case_attempt_recorded(user=user, visit=visit)
    return visit


def _refs(items: list[Any]) -> list[str]:
    return [item.case.investigation.investigation_ref for item in items]


def test_stale_lists_band_cases_awaiting_a_visit_at_24_and_72_hours(
    personas: dict[str, Any], triage_day: dict[str, Any], areas: Any
) -> None:
    sergeant, officer = personas["triage_sergeant"], personas["joint_team_officer"]
    _accept(sergeant, triage_day["high"], hours_ago=80)
    _accept(sergeant, triage_day["need"], hours_ago=30)
    _accept(sergeant, triage_day["repeat"], hours_ago=5)
    _accept(sergeant, triage_day["regraded"], hours_ago=40)
    _accept(sergeant, triage_day["plain"], D.NOT_ELIGIBLE, hours_ago=50)
    lists = stale_cases(areas["west"], CUTOFF)
    assert _refs(lists.over_72_hours) == ["WB/23/HIGH"]
    assert _refs(lists.over_24_hours) == ["WB/23/REGRADE", "WB/23/NEED"]
    # No contact keeps the victim on the list, with the attempt counted.
    _visit(officer, triage_day["need"], CUTOFF - dt.timedelta(hours=2), "no_contact")
    after = stale_cases(areas["west"], CUTOFF)
    assert _refs(after.over_24_hours) == ["WB/23/REGRADE", "WB/23/NEED"]
    assert after.over_24_hours[1].case.attempts == 1
    # Seeing the victim takes the case off.
    _visit(officer, triage_day["need"], CUTOFF - dt.timedelta(hours=1), "engaged")
    assert _refs(stale_cases(areas["west"], CUTOFF).over_24_hours) == ["WB/23/REGRADE"]


def test_stale_lists_are_for_the_sergeant_and_the_idva_manager(personas: dict[str, Any]) -> None:
    assert stale_cases_for(user=personas["triage_sergeant"]).total == 0
    assert stale_cases_for(user=personas["idva_manager"]).total == 0
    for slug in ("analyst", "administrator"):
        with pytest.raises(PermissionDenied):
            stale_cases_for(user=personas[slug])
