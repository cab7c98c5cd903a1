import pytest

from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    TimeWindow,
    TravelMatrix,
    VisitRequest,
)
from tests.core.planning.builders import team, visit


def test_time_window_rejects_end_before_start():
    with pytest.raises(ValueError, match="ends"):
        TimeWindow(600, 540)


def test_time_window_contains_both_ends():
    window = TimeWindow(540, 600)
    assert window.contains(540) and window.contains(600)
    assert not window.contains(601)


def test_time_window_overlap():
    assert TimeWindow(0, 10).overlaps(TimeWindow(10, 20))
    assert not TimeWindow(0, 9).overlaps(TimeWindow(10, 20))


def test_break_rule_rejects_inverted_interval():
    with pytest.raises(ValueError):
        BreakRule(800, 700, 30)


def test_visit_rejects_negative_priority_and_duration():
    with pytest.raises(ValueError):
        VisitRequest(id="v", location=Location(0, 0), duration_minutes=-1, priority=1)
    with pytest.raises(ValueError):
        VisitRequest(id="v", location=Location(0, 0), duration_minutes=1, priority=-1)


def test_problem_rejects_duplicate_ids():
    with pytest.raises(ValueError, match="team ids"):
        PlanningProblem(teams=(team("A"), team("A")), visits=())
    with pytest.raises(ValueError, match="visit ids"):
        PlanningProblem(teams=(team(),), visits=(visit("v", 1), visit("v", 2)))


def test_travel_matrix_must_be_square():
    with pytest.raises(ValueError):
        TravelMatrix(locations=(Location(0, 0),), minutes=((0, 1),))


def test_problems_are_hashable_values():
    a = PlanningProblem(teams=(team(),), visits=(visit("v", 1),))
    b = PlanningProblem(teams=(team(),), visits=(visit("v", 1),))
    assert a == b
