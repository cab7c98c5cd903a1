"""validate_plan catches each kind of broken plan."""

import dataclasses

import pytest

from provide.core.planning.problem import BreakRule, PlanningProblem
from provide.core.planning.solution import LeftOutVisit
from provide.core.planning.solve import solve_plan
from provide.core.planning.validate import validate_plan
from tests.core.planning.builders import line_travel, team, visit


@pytest.fixture
def problem():
    return PlanningProblem(
        teams=(team("A", break_rule=BreakRule(700, 800, 30), skills=frozenset({"s"})),),
        visits=(
            visit("v1", 1, windows=((540, 600),), priority=2),
            visit("v2", 2, windows=((600, 900),), required_skills=frozenset({"s"})),
        ),
        travel_function=line_travel,
    )


@pytest.fixture
def good(problem):
    result = solve_plan(problem, time_limit_seconds=2, work_budget=10_000)
    assert validate_plan(problem, result) == []
    assert len(result.routes[0].visit_ids) == 2
    return result


def with_stops(result, stops, **route_changes):
    route = dataclasses.replace(result.routes[0], stops=tuple(stops), **route_changes)
    return dataclasses.replace(result, routes=(route,))


def visit_stops(result):
    return [s for s in result.routes[0].stops if s.kind == "visit"]


def test_start_outside_window_is_reported(problem, good):
    stops = list(good.routes[0].stops)
    i = next(i for i, s in enumerate(stops) if s.visit_id == "v1")
    stops[i] = dataclasses.replace(stops[i], start_minute=650, departure_minute=680)
    messages = validate_plan(problem, with_stops(good, stops))
    assert any("outside its time windows" in m for m in messages)


def test_missing_break_is_reported(problem, good):
    stops = [s for s in good.routes[0].stops if s.kind == "visit"]
    assert any(
        "must take exactly one" in m for m in validate_plan(problem, with_stops(good, stops))
    )


def test_return_after_shift_end_is_reported(problem, good):
    bad = with_stops(good, good.routes[0].stops, return_minute=1300)
    assert any("after its shift ends" in m for m in validate_plan(problem, bad))


def test_teleporting_is_reported(problem, good):
    stops = list(good.routes[0].stops)
    first = stops[0]
    stops[0] = dataclasses.replace(
        first, travel_minutes_from_previous=first.travel_minutes_from_previous + 5
    )
    assert any("reported travel" in m for m in validate_plan(problem, with_stops(good, stops)))


def test_missing_skill_is_reported(good):
    problem = PlanningProblem(
        teams=(team("A", break_rule=BreakRule(700, 800, 30)),),
        visits=(
            visit("v1", 1, windows=((540, 600),), priority=2),
            visit("v2", 2, windows=((600, 900),), required_skills=frozenset({"s"})),
        ),
        travel_function=line_travel,
    )
    assert any("lacks skill 's'" in m for m in validate_plan(problem, good))


def test_duplicate_and_unaccounted_visits_are_reported(problem, good):
    stops = list(good.routes[0].stops)
    doubled = with_stops(good, [*stops, *visit_stops(good)[:1]])
    assert any("more than once" in m for m in validate_plan(problem, doubled))
    dropped = with_stops(good, [s for s in stops if s.visit_id != "v2"])
    assert any("neither made nor" in m for m in validate_plan(problem, dropped))


def test_mandatory_visit_left_out_is_reported(problem, good):
    mandatory = dataclasses.replace(problem.visits[0], mandatory=True)
    strict = dataclasses.replace(problem, visits=(mandatory, problem.visits[1]))
    stops = [s for s in good.routes[0].stops if s.visit_id != "v1"]
    bad = dataclasses.replace(with_stops(good, stops), left_out=(LeftOutVisit("v1", "test", True),))
    assert any("mandatory visit 'v1'" in m for m in validate_plan(strict, bad))


def test_wrong_objective_is_reported(problem, good):
    bad = dataclasses.replace(good, objective=good.objective + 1)
    assert any("objective" in m for m in validate_plan(problem, bad))
