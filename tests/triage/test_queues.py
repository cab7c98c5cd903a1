"""After the decision: accepted cases for the planner, stale lists, the hand-over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from provide.triage.models import TriageDecision
from provide.triage.queues import stale_cases, stale_cases_for
from provide.triage.selectors import accepted_cases_for
from provide.triage.services import triage_decision_record
from provide.visits.models import Visit
from tests.triage.conftest import BOARD_DATE, CUTOFF

pytestmark = pytest.mark.django_db
D = TriageDecision.Decision


def _accept(user: Any, investigation: Any, decision: str = D.JOINT_VISIT_POST, hours_ago: float = 0,
            reason: str = "") -> TriageDecision:
    record = triage_decision_record(user=user, investigation_id=investigation.public_id, decision=decision,
                                    reason=reason, as_of=CUTOFF)
    record.decided_at = CUTOFF - dt.timedelta(hours=hours_ago)
    record.save()
    return record


def test_accepted_cases_for_the_planner_are_open_unvisited_and_by_priority(
        personas: dict[str, Any], triage_day: dict[str, Any], areas: Any) -> None:
    sergeant = personas["triage_sergeant"]
    _accept(sergeant, triage_day["need"])
    _accept(sergeant, triage_day["high"])
    _accept(sergeant, triage_day["plain"], D.NOT_ELIGIBLE)
    visited = _accept(sergeant, triage_day["repeat"])
    Visit.objects.create(mode="post-incident", investigation=triage_day["repeat"], victim=triage_day["repeat"].victim,
                         arrived_at=visited.decided_at + dt.timedelta(hours=2))
    cases = accepted_cases_for(areas["west"], BOARD_DATE)
    assert [c.decision.investigation.investigation_ref for c in cases] == ["WB/23/HIGH", "WB/23/NEED"]
    assert cases[0].custody is not None and cases[1].custody is None
    assert cases[0].due_by == triage_day["high"].first_police_visit_at + dt.timedelta(hours=24)
    assert accepted_cases_for(areas["east"], BOARD_DATE) == []


def test_stale_lists_band_unvisited_acceptances_at_24_and_72_hours(
        personas: dict[str, Any], triage_day: dict[str, Any], areas: Any) -> None:
    sergeant = personas["triage_sergeant"]
    _accept(sergeant, triage_day["high"], hours_ago=80)
    _accept(sergeant, triage_day["need"], hours_ago=30)
    _accept(sergeant, triage_day["repeat"], hours_ago=5)
    old_visit = _accept(sergeant, triage_day["regraded"], hours_ago=40)
    # A visit *before* the acceptance does not count; one after does.
    Visit.objects.create(mode="post-incident", investigation=triage_day["regraded"],
                         victim=triage_day["regraded"].victim, arrived_at=old_visit.decided_at - dt.timedelta(hours=1))
    lists = stale_cases(areas["west"], CUTOFF)
    assert [s.decision.investigation.investigation_ref for s in lists.over_72_hours] == ["WB/23/HIGH"]
    assert [s.decision.investigation.investigation_ref for s in lists.over_24_hours] == ["WB/23/REGRADE", "WB/23/NEED"]
    Visit.objects.create(mode="post-incident", investigation=triage_day["need"], victim=triage_day["need"].victim,
                         arrived_at=CUTOFF - dt.timedelta(hours=1))
    assert lists.total - 1 == stale_cases(areas["west"], CUTOFF).total


def test_stale_lists_are_for_the_sergeant_and_the_idva_manager(personas: dict[str, Any]) -> None:
    assert stale_cases_for(user=personas["triage_sergeant"]).total == 0
    assert stale_cases_for(user=personas["idva_manager"]).total == 0
    for slug in ("analyst", "administrator"):
        with pytest.raises(PermissionDenied):
            stale_cases_for(user=personas[slug])
