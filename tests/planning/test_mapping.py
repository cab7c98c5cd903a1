"""ORM rows and the planner (``planning.mapping``): why a visit is not in the plan, in the words
and times a sergeant uses; a live incident's arrival target, set from the team that can reach it
soonest; plan times across the clock change."""

from __future__ import annotations

import datetime as dt

from provide.core import planning as planner
from provide.core.planning import (
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    TravelMatrix,
    VisitRequest,
)
from provide.planning import mapping

DAY = dt.date(2026, 12, 4)
ORIGIN = mapping.origin_for(DAY)
BASE = Location(53.81, -3.04)
FAR_BASE = Location(54.05, -2.80)


def _minute(hour: int, minute: int = 0) -> int:
    return hour * 60 + minute


def _team(name: str, start: str, end: str, where: Location = BASE) -> Team:
    hour, minute = (int(part) for part in start.split(":"))
    until_hour, until_minute = (int(part) for part in end.split(":"))
    return Team(
        id=name,
        start=where,
        end=where,
        shift=TimeWindow(_minute(hour, minute), _minute(until_hour, until_minute)),
    )


def _matrix(minutes_away: dict[Location, int]) -> TravelMatrix:
    """Travel times from base to each place (the same back); places to each other via base."""
    places = (BASE, *minutes_away)
    away = {BASE: 0, **minutes_away}
    return TravelMatrix(
        places, tuple(tuple(0 if a == b else away[a] + away[b] for b in places) for a in places)
    )


def _words(problem: PlanningProblem) -> dict[str, str]:
    result = planner.solve_plan(problem, time_limit_seconds=2, seed=0)
    return {
        left.visit_id: left.reason
        for left in mapping.with_reasons_in_words(problem, result, ORIGIN).left_out
    }


def test_a_victim_too_far_for_the_rest_of_the_shift_is_explained_with_the_distance_and_the_end() -> (
    None
):
    victim = Location(53.90, -3.00)
    problem = PlanningProblem(
        teams=(_team("A", "14:30", "15:00"),),
        visits=(VisitRequest("v1", victim, 60, 40.0, mandatory=True),),
        travel_matrix=_matrix({victim: 47}),
    )
    assert _words(problem) == {
        "v1": "Cannot be reached before the shift ends: 47 min away and the shift ends at 15:00"
    }


def test_a_custody_release_before_the_team_can_arrive_is_said_with_both_times() -> None:
    victim = Location(54.40, -3.00)
    problem = PlanningProblem(
        teams=(_team("A", "07:00", "15:00"),),
        visits=(
            VisitRequest(
                "v1",
                victim,
                45,
                30.0,
                time_windows=(TimeWindow(0, _minute(9, 10)),),
                reason_context=mapping.CUSTODY_CONTEXT,
            ),
        ),
        travel_matrix=_matrix({victim: 150}),
    )
    assert _words(problem) == {
        "v1": "Custody release at 09:10 is before the team can arrive: the soonest team is "
        "2 h 30 min away and can be there at 09:30 at the earliest"
    }


def test_a_must_attend_victim_within_reach_but_crowded_out_says_so_and_what_to_do() -> None:
    near, other = Location(53.82, -3.04), Location(53.80, -3.04)
    problem = PlanningProblem(
        teams=(_team("A", "07:00", "09:00"),),
        visits=(
            VisitRequest("v1", near, 60, 40.0, mandatory=True),
            VisitRequest("v2", other, 60, 30.0, mandatory=True),
        ),
        travel_matrix=_matrix({near: 10, other: 10}),
    )
    words = _words(problem)
    assert list(words) == ["v2"], "the higher priority must-attend visit is the one planned"
    assert words["v2"] == (
        "A team could reach her (10 min away), but the shift's time is taken by other "
        "must-attend visits: ask for another team or move a visit"
    )


def test_a_retry_not_due_until_after_the_shift_says_when_it_is_due() -> None:
    victim = Location(53.82, -3.04)
    problem = PlanningProblem(
        teams=(_team("A", "07:00", "15:00"),),
        visits=(
            VisitRequest(
                "v1",
                victim,
                45,
                10.0,
                time_windows=(TimeWindow(_minute(16), _minute(16)),),
                reason_context=mapping.NEXT_ATTEMPT_CONTEXT,
            ),
        ),
        travel_matrix=_matrix({victim: 10}),
    )
    assert _words(problem) == {
        "v1": "The next attempt is not due until 16:00, after every team's shift"
    }


def test_an_ordinary_visit_left_out_for_lack_of_time_keeps_the_planners_words() -> None:
    places = [Location(53.82 + n / 100, -3.04) for n in range(4)]
    problem = PlanningProblem(
        teams=(_team("A", "07:00", "09:00"),),
        visits=tuple(VisitRequest(f"v{n}", place, 45, 10.0 + n) for n, place in enumerate(places)),
        travel_matrix=_matrix(dict.fromkeys(places, 5)),
    )
    words = _words(problem)
    assert words and set(words.values()) == {
        "Not enough time in the shift for this and higher-priority visits"
    }


def test_the_live_target_is_set_by_the_soonest_team_that_can_make_the_visit_and_get_back() -> None:
    # Given a team five minutes away whose shift ends before it could finish, and one further off
    live = Location(53.95, -2.95)
    ending = _team("ending", "14:00", "14:30")
    later = _team("later", "14:00", "18:00", where=FAR_BASE)
    visit = VisitRequest("live", live, 60, 5.0, mandatory=True)
    # When the live visit's arrival target is set
    targeted = mapping.live_incident_next(visit, [ending, later])
    # Then it comes from the team that can make it, with the slack, and outranks other must-attend visits
    soonest = later.shift.start_minute + mapping.reach(visit, later).travel_minutes
    assert targeted.time_windows == (TimeWindow(0, soonest + mapping.LIVE_SLACK_MINUTES),)
    assert targeted.reason_context == mapping.LIVE_TARGET_CONTEXT
    assert targeted.priority == visit.priority + mapping.LIVE_PRIORITY


def test_a_live_incident_no_team_can_make_keeps_its_window_so_the_reason_is_the_real_one() -> None:
    visit = VisitRequest("live", Location(53.95, -2.95), 60, 5.0, mandatory=True)
    assert mapping.live_incident_next(visit, [_team("ending", "14:00", "14:30")]) == visit


def test_plan_times_are_counted_in_true_minutes_across_the_clock_change() -> None:
    origin = mapping.origin_for(dt.date(2026, 3, 29))  # clocks go forward at 01:00 GMT
    three_am_gmt = dt.datetime(2026, 3, 29, 3, tzinfo=dt.UTC)
    assert mapping.to_datetime(180, origin) == three_am_gmt
    assert mapping.to_minute(three_am_gmt, origin) == 180
