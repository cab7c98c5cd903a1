"""solve_plan: routes are valid, left-out visits carry the right reason, runs repeat, and
the time limit is kept on the planner's own clock."""

import pytest

from provide.core.planning.problem import BreakRule, PlanningProblem
from provide.core.planning.solution import PlanStatus
from provide.core.planning.solve import (
    REASON_CANNOT_RETURN,
    REASON_NOT_ENOUGH_TIME,
    REASON_OUTSIDE_SHIFTS,
    REASON_TOO_LATE,
    solve_plan,
)
from provide.core.planning.validate import validate_plan
from tests.core.planning.builders import line_travel, team, visit
from tests.core.planning.clocks import FakeClock
from tests.core.planning.realistic import programme_problem, realistic_problem


def plan(*visits, teams=None, expect_violations=(), **kwargs):
    problem = PlanningProblem(
        teams=tuple(teams or (team(),)), visits=tuple(visits), travel_function=line_travel
    )
    kwargs.setdefault("time_limit_seconds", 2)
    kwargs.setdefault("work_budget", 20_000)
    result = solve_plan(problem, **kwargs)
    assert validate_plan(problem, result) == list(expect_violations)
    return result


def reason_of(result, visit_id):
    return {item.visit_id: item.reason for item in result.left_out}[visit_id]


def test_single_visit_is_made_with_its_timetable():
    result = plan(visit("v", 1, duration=45, windows=((540, 600),), priority=3))
    (route,) = result.routes
    assert route.visit_ids == ("v",)
    stop = route.stops[0]
    assert (stop.arrival_minute, stop.start_minute, stop.departure_minute) == (540, 540, 585)
    assert route.departure_minute == 530  # leaves base just in time instead of waiting
    assert route.return_minute == 595
    assert result.objective == 3 and result.travel_minutes == 20
    assert result.status is PlanStatus.OPTIMAL and result.proven_optimal


def test_skill_missing_on_every_team_is_explained():
    result = plan(visit("v", 1, required_skills=frozenset({"language:pl"})))
    assert reason_of(result, "v") == "needs skill 'language:pl' that no team on shift has"


def test_skills_held_only_separately_are_explained():
    teams = (team("A", skills=frozenset({"a"})), team("B", skills=frozenset({"b"})))
    result = plan(visit("v", 1, required_skills=frozenset({"a", "b"})), teams=teams)
    assert (
        reason_of(result, "v")
        == "needs skills 'a' and 'b' together, and no team on shift has them all"
    )


def test_visit_goes_to_the_team_with_the_skill():
    teams = (team("A"), team("B", skills=frozenset({"language:pl"})))
    result = plan(visit("v", 1, required_skills=frozenset({"language:pl"})), teams=teams)
    assert result.routes[1].visit_ids == ("v",)


def test_window_outside_every_shift_is_explained():
    result = plan(visit("v", 1, windows=((1300, 1400),)))
    assert reason_of(result, "v") == REASON_OUTSIDE_SHIFTS


def test_release_before_any_team_can_arrive_is_explained_in_context():
    late = visit("v", 2, windows=((480, 485),), reason_context="the suspect's expected release")
    assert reason_of(plan(late), "v") == "no team free before the suspect's expected release"
    assert reason_of(plan(visit("w", 2, windows=((480, 485),))), "w") == REASON_TOO_LATE


def test_visit_that_ends_too_late_to_return_is_explained():
    result = plan(visit("v", 3, windows=((1180, 1190),)))
    assert reason_of(result, "v") == REASON_CANNOT_RETURN


def test_lower_priority_clash_is_left_out_for_lack_of_time():
    result = plan(
        visit("high", 1, priority=5, windows=((600, 600),)),
        visit("low", -1, priority=2, windows=((600, 600),)),
    )
    assert result.routes[0].visit_ids == ("high",)
    assert reason_of(result, "low") == REASON_NOT_ENOUGH_TIME
    assert result.proven_optimal is False or result.bound == 5


def test_mandatory_visit_beats_higher_priority():
    result = plan(
        visit("high", 1, priority=9, windows=((600, 600),)),
        visit("must", -1, priority=1, windows=((600, 600),), mandatory=True),
    )
    assert result.routes[0].visit_ids == ("must",)
    assert result.status is not PlanStatus.MANDATORY_LEFT_OUT


def test_impossible_mandatory_visit_sets_the_status():
    result = plan(
        visit("must", 1, windows=((1300, 1400),), mandatory=True),
        expect_violations=["mandatory visit 'must' is not made"],
    )
    assert result.status is PlanStatus.MANDATORY_LEFT_OUT
    assert result.left_out[0].mandatory


def test_second_time_window_is_used_when_the_first_is_missed():
    result = plan(visit("v", 3, windows=((480, 490), (900, 1000))))
    assert result.routes[0].stops[0].start_minute == 900


def test_break_is_taken_inside_its_interval_without_travel():
    rest = BreakRule(720, 750, 30)
    visits = [visit(f"v{i}", i % 3 + 1, duration=60, priority=1) for i in range(8)]
    result = plan(*visits, teams=(team(break_rule=rest),))
    (route,) = result.routes
    breaks = [s for s in route.stops if s.kind == "break"]
    assert len(breaks) == 1 and 720 <= breaks[0].start_minute <= 750
    assert breaks[0].travel_minutes_from_previous == 0


def test_travel_is_minimised_once_priority_is_settled():
    result = plan(visit("near", 1), visit("far", 2))
    assert result.travel_minutes == 40


def test_exact_model_proves_optimality_when_not_everything_fits():
    visits = [
        visit(
            f"v{i}", (i % 4) + 1, priority=i + 1, duration=120, windows=((480 + 60 * (i % 3), 900),)
        )
        for i in range(8)
    ]
    result = plan(*visits, exact=True, time_limit_seconds=10)
    assert result.proven_optimal and result.bound == result.objective
    # The route bound (column generation) or CP-SAT proves it: the search alone cannot.
    assert "columns" in result.statistics.method or "cp-sat" in result.statistics.method


def test_realistic_problem_is_valid_and_explained():
    problem = realistic_problem(seed=3, n_visits=40)
    result = solve_plan(problem, time_limit_seconds=3, seed=1)
    assert validate_plan(problem, result) == []
    assert result.objective > 0
    assert all(item.reason for item in result.left_out)
    assert result.bound is not None and result.bound >= result.objective


def test_same_seed_gives_the_same_plan():
    problem = realistic_problem(seed=4, n_visits=30)
    first = solve_plan(problem, time_limit_seconds=30, seed=7, work_budget=200_000, exact=False)
    second = solve_plan(problem, time_limit_seconds=30, seed=7, work_budget=200_000, exact=False)
    assert not first.statistics.stopped_by_clock
    assert first.routes == second.routes and first.left_out == second.left_out


@pytest.mark.parametrize("limit", [1.0, 3.0])
def test_time_limit_is_honoured_on_the_planners_clock(limit):
    """Every reading of the clock moves it on by 10 ms: the planner reads it as it goes and
    stops within its limit, as its own clock measures it, however busy the machine is."""
    problem = realistic_problem(seed=5, n_visits=60)
    result = solve_plan(problem, time_limit_seconds=limit, seed=1, clock=FakeClock(step=0.01))
    assert result.statistics.seconds <= limit
    assert validate_plan(problem, result) == []
    assert result.bound is not None and result.bound >= result.objective


def test_with_no_time_left_the_plan_is_the_searchs_first_one():
    """The clock jumps a minute at every reading: every phase finds its budget spent, and
    the planner still returns a valid plan, from the search's construction."""
    problem = realistic_problem(seed=5, n_visits=30)
    result = solve_plan(problem, time_limit_seconds=5, seed=1, clock=FakeClock(step=60.0))
    assert validate_plan(problem, result) == []
    assert result.statistics.method == "search"
    assert result.statistics.iterations == 0
    assert result.objective > 0
    assert result.bound is not None and result.bound >= result.objective


def test_a_clock_that_stands_still_leaves_the_work_to_decide():
    """With the clock standing still no budget runs out: the search's work budget and the
    proofs end the run, which then repeats exactly."""
    problem = programme_problem(seed=2, n_visits=12, n_teams=2)
    runs = [
        solve_plan(problem, time_limit_seconds=5, seed=3, work_budget=20_000, clock=FakeClock())
        for _ in range(2)
    ]
    assert runs[0].proven_optimal and runs[0].bound == runs[0].objective
    assert runs[0].routes == runs[1].routes
    assert runs[0].statistics.seconds == 0.0


def test_a_time_limit_that_cannot_be_counted_down_is_refused():
    problem = PlanningProblem(teams=(team(),), visits=(visit("v", 1),), travel_function=line_travel)
    with pytest.raises(ValueError, match="finite, non-negative"):
        solve_plan(problem, time_limit_seconds=-1.0)
