"""Reads of shifts and plans (by role and BCU) and of the cases waiting to be planned.

``west_shift`` (West A, 07:00-15:00 on ``DAY``) comes from conftest.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.areas.models import Area, Station
from provide.cases.services import case_attempt_recorded
from provide.intake.models import CustodyEpisode
from provide.planning import services
from provide.planning.models import Plan, Shift, Team
from provide.planning.selectors import (
    Route,
    current_plan,
    live_incidents_awaiting,
    plan_versions,
    planning_candidates,
    route_for,
    shift_get_for,
    shift_list_for,
)
from provide.shared.access import RecordNotFound
from provide.triage.models import TriageDecision
from provide.triage.services import triage_policy_ensure_default
from provide.visits.models import Visit
from tests.planning.test_services import DAY, _accepted_case, _at

pytestmark = pytest.mark.django_db
LIVE = TriageDecision.Decision.JOINT_VISIT_LIVE


@pytest.fixture
def shifts(areas: dict[str, Area], west_shift: Shift) -> dict[str, Shift]:
    """West A early (07:00), West B late (14:00), East A early, and West A the day after."""
    west = west_shift.team
    west_b = Team.objects.create(name="West B", bcu=areas["west"], base=west.base)
    east_base = Station.objects.create(
        name="Burnley Police Station", bcu=areas["east"], latitude=53.79, longitude=-2.24
    )
    east = Team.objects.create(name="East A", bcu=areas["east"], base=east_base)

    def shift(team: Team, pattern: str, start: dt.datetime, end: dt.datetime) -> Shift:
        return Shift.objects.create(
            team=team, on_date=start.date(), pattern=pattern, starts_at=start, ends_at=end
        )

    return {
        "west_early": west_shift,
        "west_late": shift(west_b, "late", _at(14), _at(22)),
        "east_early": shift(east, "early", _at(7), _at(15)),
        "west_tomorrow": shift(
            west, "early", _at(7) + dt.timedelta(days=1), _at(15) + dt.timedelta(days=1)
        ),
    }


def test_bcu_users_list_their_own_bcus_shifts_of_the_day_in_start_order(
    personas: dict[str, Any], shifts: dict[str, Shift]
) -> None:
    listed = list(shift_list_for(user=personas["triage_sergeant"], on_date=DAY))
    assert listed == [shifts["west_early"], shifts["west_late"]]


def test_users_without_a_bcu_list_every_bcus_shifts(
    personas: dict[str, Any], shifts: dict[str, Shift]
) -> None:
    listed = list(shift_list_for(user=personas["safeguarding_officer"], on_date=DAY))
    assert listed == [shifts["east_early"], shifts["west_early"], shifts["west_late"]], (
        "by start time, then team name"
    )


def test_roles_without_the_shift_permission_list_nothing(
    personas: dict[str, Any], shifts: dict[str, Shift]
) -> None:
    assert not shift_list_for(user=personas["analyst"], on_date=DAY).exists()


def test_one_shift_is_found_in_the_users_bcu_and_missing_otherwise(
    personas: dict[str, Any], shifts: dict[str, Shift]
) -> None:
    sergeant = personas["triage_sergeant"]
    west = shifts["west_early"]
    assert shift_get_for(user=sergeant, shift_id=west.public_id) == west
    assert shift_get_for(user=sergeant, shift_id=str(west.public_id)) == west
    for missing in (shifts["east_early"].public_id, "not-a-uuid", None):
        with pytest.raises(RecordNotFound):
            shift_get_for(user=sergeant, shift_id=missing)  # type: ignore[arg-type]
    with pytest.raises(RecordNotFound):
        shift_get_for(user=personas["analyst"], shift_id=west.public_id)
    admin = personas["safeguarding_officer"]
    assert shift_get_for(user=admin, shift_id=shifts["east_early"].public_id).team.name == "East A"


def test_the_current_plan_is_the_latest_version_with_its_stops_in_order(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    assert current_plan(west_shift) is None
    for n in range(1, 4):
        _accepted_case(areas, n)
    sergeant = personas["triage_sergeant"]
    first = services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7))[0]
    second = services.plan_run(
        user=sergeant, shifts=[west_shift], as_of=_at(7), trigger=Plan.Trigger.REPLAN
    )[0]
    plan = current_plan(west_shift)
    assert plan == second and plan.status == Plan.Status.CURRENT
    stops = list(plan.stops.all())
    assert [s.sequence for s in stops] == sorted(s.sequence for s in stops) and len(stops) == 3
    assert list(plan_versions(west_shift)) == [second, first]
    assert [p.version for p in plan_versions(west_shift)] == [2, 1]


def test_candidates_are_accepted_cases_highest_priority_first(
    areas: dict[str, Area],
) -> None:
    low = _accepted_case(areas, 1, score=20)
    high = _accepted_case(areas, 2, score=80)
    live = _accepted_case(areas, 3, score=50, decision=LIVE)
    candidates = planning_candidates(bcu=areas["west"], as_of=_at(7))
    assert [c.decision for c in candidates] == [high, live, low]
    assert all(c.custody is None and c.not_before is None for c in candidates)
    assert planning_candidates(bcu=areas["east"], as_of=_at(7)) == []


def test_equal_priorities_are_taken_in_the_order_they_were_decided(
    areas: dict[str, Area],
) -> None:
    first, second = _accepted_case(areas, 1, score=50), _accepted_case(areas, 2, score=50)
    TriageDecision.objects.filter(pk=first.pk).update(decided_at=_at(6, 45))
    order = [c.decision.pk for c in planning_candidates(bcu=areas["west"], as_of=_at(7))]
    assert order == [second.pk, first.pk]


def test_live_incidents_can_be_left_to_the_live_insertion(areas: dict[str, Area]) -> None:
    post = _accepted_case(areas, 1)
    _accepted_case(areas, 2, decision=LIVE)
    candidates = planning_candidates(bcu=areas["west"], as_of=_at(7), include_live=False)
    assert [c.decision for c in candidates] == [post]


def test_only_a_cases_latest_decision_counts(areas: dict[str, Area]) -> None:
    changed = _accepted_case(areas, 1)
    kept = _accepted_case(areas, 2)
    TriageDecision.objects.create(
        investigation=changed.investigation,
        policy=triage_policy_ensure_default(),
        decision=TriageDecision.Decision.CONSULTATION,
        priority_score=10,
        due_by=_at(23),
        decided_at=_at(6, 50),
    )
    candidates = planning_candidates(bcu=areas["west"], as_of=_at(7))
    assert [c.decision for c in candidates] == [kept], (
        "the case still awaits a visit, but its latest decision is not a joint visit"
    )


def test_the_suspects_custody_is_attached_only_while_it_lasts(areas: dict[str, Area]) -> None:
    decision = _accepted_case(areas, 1)
    suspect = decision.investigation.suspect
    episode = CustodyEpisode.objects.create(
        custody_ref="C-1", suspect=suspect, arrested_at=_at(3), expected_release_at=_at(12)
    )
    (candidate,) = planning_candidates(bcu=areas["west"], as_of=_at(7))
    assert candidate.custody == episode
    (later,) = planning_candidates(bcu=areas["west"], as_of=_at(12, 30))
    assert later.custody is None, "released by then"
    (before,) = planning_candidates(bcu=areas["west"], as_of=_at(2))
    assert before.custody is None, "not yet arrested"
    CustodyEpisode.objects.filter(pk=episode.pk).update(
        status=CustodyEpisode.Status.BAILED, expected_release_at=None
    )
    (bailed,) = planning_candidates(bcu=areas["west"], as_of=_at(7))
    assert bailed.custody is None


def test_a_failed_attempt_is_offered_again_once_its_retry_is_due(areas: dict[str, Area]) -> None:
    decision = _accepted_case(areas, 1)
    visit = Visit.objects.create(
        mode=Visit.Mode.POST_INCIDENT,
        investigation=decision.investigation,
        victim=decision.investigation.victim,
        planned_at=_at(6),
        arrived_at=_at(6),
        contact_result=Visit.ContactResult.NO_CONTACT,
        record_status=Visit.RecordStatus.COMPLETE,
    )
    case = case_attempt_recorded(user=None, visit=visit, actor_label="test")
    assert case is not None and case.state == "attempted"
    assert case.next_attempt_due_at == _at(10), "four hours after the attempt"
    (retry,) = planning_candidates(bcu=areas["west"], as_of=_at(7), until=_at(15))
    assert retry.decision == decision and retry.not_before == _at(10)
    assert planning_candidates(bcu=areas["west"], as_of=_at(7), until=_at(9)) == []
    assert planning_candidates(bcu=areas["west"], as_of=_at(7)) == [], "until defaults to as_of"
    (due,) = planning_candidates(bcu=areas["west"], as_of=_at(11))
    assert due.not_before is None, "already due: no waiting"


def test_live_incidents_awaiting_are_the_accepted_live_ones_newest_first(
    areas: dict[str, Area],
) -> None:
    _accepted_case(areas, 1)
    older = _accepted_case(areas, 2, decision=LIVE)
    newer = _accepted_case(areas, 3, decision=LIVE)
    TriageDecision.objects.filter(pk=older.pk).update(decided_at=_at(5))
    assert live_incidents_awaiting(areas["west"]) == [newer, older]
    assert live_incidents_awaiting(areas["east"]) == []


def _route(user: Any, shift: Shift, hour: int = 9) -> Route:
    plan = current_plan(shift)
    assert plan is not None
    return route_for(user=user, shift=shift, plan=plan, as_of=_at(hour))


def test_the_route_marks_each_stop_by_its_visit_and_the_first_still_to_do_as_next(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in (1, 2, 3, 4):
        _accepted_case(areas, n)
    plan = services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))[0]
    visits = [
        Visit.objects.get(shift=west_shift, investigation=stop.investigation)
        for stop in plan.stops.order_by("sequence")
    ]
    Visit.objects.filter(pk=visits[0].pk).update(
        record_status="complete", contact_result="declined", arrived_at=_at(8)
    )
    Visit.objects.filter(pk=visits[1].pk).update(record_status="draft", arrived_at=_at(9))
    route = _route(personas["joint_team_officer"], west_shift)
    assert [s.status for s in route.stops] == ["attempted", "in_progress", "next", "planned"]
    assert (route.done, route.attempted, route.to_go) == (0, 1, 3)
    assert [s.visit for s in route.stops] == visits
    ended = _route(personas["joint_team_officer"], west_shift, hour=15 + 1)
    assert [s.status for s in ended.stops] == [
        "attempted", "in_progress", "not_visited", "not_visited"
    ]  # fmt: skip
    assert ended.ended is True


def test_a_visit_started_without_the_plan_during_the_shift_counts_for_its_stop(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))[0]
    investigation = plan.stops.get().investigation
    Visit.objects.create(
        mode="post-incident", investigation=investigation, victim=investigation.victim,
        arrived_at=_at(10), contact_result="engaged", record_status="complete",
    )  # fmt: skip
    [stop] = _route(personas["joint_team_officer"], west_shift).stops
    assert stop.status == "done" and stop.visit is not None and stop.visit.shift_id is None


@pytest.mark.parametrize(
    ("safe_phone", "method", "tel"),
    [
        ("07700 900123", "", "07700900123"),
        ("+44 7700 900123", "call", "+447700900123"),
        ("07700 900123", "in_person", ""),
        ("07700 900123", "idva", ""),
        ("", "call", ""),
    ],
)
def test_the_call_link_is_her_safe_number_only_and_only_when_she_may_be_phoned(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift,
    safe_phone: str, method: str, tel: str,
) -> None:  # fmt: skip
    decision = _accepted_case(areas, 1)
    services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))
    victim = decision.investigation.victim
    victim.safe_phone, victim.safe_contact_method = safe_phone, method
    victim.save()
    [stop] = _route(personas["joint_team_officer"], west_shift).stops
    assert stop.tel == tel


def test_the_custody_flag_is_the_suspects_open_custody(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decision = _accepted_case(areas, 1)
    services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))
    suspect = decision.investigation.suspect
    CustodyEpisode.objects.create(
        custody_ref="C-OLD", suspect=suspect, arrested_at=_at(1) - dt.timedelta(days=30),
        status=CustodyEpisode.Status.RELEASED, released_at=_at(1) - dt.timedelta(days=29),
    )  # fmt: skip
    assert _route(personas["joint_team_officer"], west_shift).stops[0].custody is None
    held = CustodyEpisode.objects.create(
        custody_ref="C-NOW", suspect=suspect, arrested_at=_at(5), expected_release_at=_at(13)
    )
    assert _route(personas["joint_team_officer"], west_shift).stops[0].custody == held
