"""Plan results: visit ids in route order, the gap to the bound, and the JSON form."""

import json

import pytest

from provide.core.planning.solution import (
    LeftOutVisit,
    PlanResult,
    PlanStatus,
    RouteStop,
    SolverStatistics,
    TeamRoute,
    plan_result_to_dict,
)

STATISTICS = SolverStatistics(
    method="search+columns",
    seconds=1.23456,
    iterations=12,
    seed=3,
    time_limit_seconds=5.0,
    stopped_by_clock=False,
    notes=("closing: none beats the plan",),
)

ROUTE = TeamRoute(
    team_id="T1",
    departure_minute=470,
    stops=(
        RouteStop("visit", "case-1", 480, 490, 535, 10),
        RouteStop("break", None, 535, 720, 750, 0),
        RouteStop("visit", "case-2", 760, 760, 820, 10),
    ),
    return_minute=830,
    travel_minutes=30,
    priority=9.0,
)


def _result(**changes):
    fields = {
        "status": PlanStatus.FEASIBLE,
        "objective": 9.0,
        "travel_minutes": 30,
        "routes": (ROUTE,),
        "left_out": (LeftOutVisit("case-3", "outside every team's shift"),),
        "statistics": STATISTICS,
    }
    fields.update(changes)
    return PlanResult(**fields)


def test_visit_ids_follow_the_route_and_leave_out_the_break():
    assert ROUTE.visit_ids == ("case-1", "case-2")


@pytest.mark.parametrize(
    "proven, bound, gap",
    [
        (True, None, 0.0),
        (False, None, None),
        (False, 0.0, None),
        (False, 12.0, 0.25),
        (False, 8.0, 0.0),
    ],
)
def test_the_gap_is_the_share_of_the_bound_the_plan_misses(proven, bound, gap):
    result = _result(proven_optimal=proven, bound=bound)
    assert result.gap == (None if gap is None else pytest.approx(gap))


def test_the_json_form_holds_everything_a_reader_needs():
    data = plan_result_to_dict(_result(bound=12.0))
    assert json.loads(json.dumps(data)) == data
    assert data["status"] == "feasible"
    assert (data["objective"], data["bound"], data["gap"]) == (9.0, 12.0, 0.25)
    (route,) = data["routes"]
    assert [stop["kind"] for stop in route["stops"]] == ["visit", "break", "visit"]
    assert route["stops"][0] == {
        "kind": "visit",
        "visit_id": "case-1",
        "arrival_minute": 480,
        "start_minute": 490,
        "departure_minute": 535,
        "travel_minutes_from_previous": 10,
    }
    assert data["left_out"] == [
        {"visit_id": "case-3", "reason": "outside every team's shift", "mandatory": False}
    ]
    assert data["statistics"]["seconds"] == 1.235
    assert data["statistics"]["notes"] == ["closing: none beats the plan"]
