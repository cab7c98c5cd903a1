"""A route in an order a person chose: timed as it stands, with every rule it breaks said."""

import pytest

from provide.core.planning.fixed_route import schedule_fixed_route
from provide.core.planning.problem import PlanningProblem
from tests.core.planning.builders import line_travel, team, visit


def _problem(*visits, teams=None):
    return PlanningProblem(
        teams=tuple(teams or (team(),)), visits=tuple(visits), travel_function=line_travel
    )


def test_an_order_that_works_is_timed_stop_by_stop():
    problem = _problem(
        visit("a", 1, priority=2, windows=((540, 600),)), visit("b", 3, priority=5, duration=45)
    )
    result = schedule_fixed_route(problem, "A", ["a", "b"])
    assert result.feasible and result.problems == ()
    route = result.route
    assert route is not None
    assert [(s.arrival_minute, s.start_minute, s.departure_minute) for s in route.stops] == [
        (490, 540, 570),
        (590, 590, 635),
    ]
    assert (route.departure_minute, route.return_minute) == (480, 665)
    assert (route.travel_minutes, route.priority) == (60, 7.0)
    assert route.visit_ids == ("a", "b")


def test_the_team_may_leave_later_than_the_start_of_its_shift():
    problem = _problem(visit("a", 1))
    route = schedule_fixed_route(problem, "A", ["a"], depart_minute=600).route
    assert route is not None and route.stops[0].arrival_minute == 610


def test_an_order_that_misses_a_window_cannot_be_timed():
    problem = _problem(visit("a", 1, windows=((480, 500),)), visit("b", 4))
    result = schedule_fixed_route(problem, "A", ["b", "a"])
    assert result.route is None and not result.feasible
    assert result.problems == ("visit a cannot start in any of its time windows in this order",)


def test_a_late_return_and_a_missing_skill_are_said_but_the_route_is_shown():
    problem = _problem(
        visit("a", 2, duration=60, required_skills=frozenset({"language:pl"})),
        teams=(team(shift=(480, 560)),),
    )
    result = schedule_fixed_route(problem, "A", ["a"])
    assert result.route is not None and result.route.return_minute == 580
    assert result.problems == (
        "visit a needs language:pl, which this team does not have",
        "the team would be back 20 minutes after the shift ends",
    )


def test_an_unknown_team_or_visit_is_refused():
    problem = _problem(visit("a", 1))
    with pytest.raises(KeyError, match="Z"):
        schedule_fixed_route(problem, "Z", ["a"])
    with pytest.raises(KeyError):
        schedule_fixed_route(problem, "A", ["nope"])
