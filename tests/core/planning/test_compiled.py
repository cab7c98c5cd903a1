"""A problem flattened into the solvers' integer arrays (compiled.py): node numbering,
windows, eligibility, travel rows and the mandatory bonus."""

import pytest

from provide.core.planning.compiled import (
    FLOATING,
    compile_problem,
    mandatory_bonus,
    problem_locations,
)
from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    TravelMatrix,
)
from tests.core.planning.builders import BASE, line_travel, team, visit

OFFICE = Location(5.0, 0.0)


def _problem(**kwargs):
    defaults = {
        "teams": (
            team("A", shift=(480, 1200), break_rule=BreakRule(720, 780, 30)),
            team("B", shift=(540, 1000), skills=frozenset({"language:pl"})),
        ),
        "visits": (
            visit("v1", 1.0, priority=3, duration=40, windows=((600, 660), (540, 570))),
            visit(
                "v2", 2.0, priority=2.5, mandatory=True, required_skills=frozenset({"language:pl"})
            ),
            visit("v3", 1.0, priority=1),
        ),
        "travel_function": line_travel,
    }
    return PlanningProblem(**{**defaults, **kwargs})


def test_nodes_are_visits_then_each_teams_start_end_and_break():
    cp = compile_problem(_problem())
    assert (cp.n_visits, cp.n_teams) == (3, 2)
    assert cp.start_node == (3, 6)
    assert cp.end_node == (4, 7)
    assert cp.break_node == (5, -1)  # team B has no break rule
    assert len(cp.loc) == len(cp.service) == len(cp.windows) == 8
    assert cp.loc[5] == FLOATING  # a break is taken wherever the team is
    assert cp.service[5] == 30 and cp.windows[5] == ((720, 780),)


def test_team_nodes_carry_the_shift():
    cp = compile_problem(_problem())
    assert cp.windows[cp.start_node[0]] == ((480, 480),)  # leave at the start of the shift
    assert cp.windows[cp.end_node[0]] == ((480, 1200),)  # back by its end
    assert cp.windows[cp.start_node[1]] == ((540, 540),)
    assert cp.service[cp.start_node[1]] == cp.service[cp.end_node[1]] == 0


def test_visit_windows_are_sorted_and_an_open_visit_gets_all_shifts():
    cp = compile_problem(_problem())
    assert cp.windows[0] == ((540, 570), (600, 660))
    assert cp.windows[1] == ((480, 1200),)  # earliest start to latest end of any team


def test_visit_attributes_and_eligibility():
    cp = compile_problem(_problem())
    assert cp.service[:3] == (40, 30, 30)
    assert cp.profit == (3.0, 2.5, 1.0)
    assert cp.mandatory == (False, True, False)
    assert cp.eligible == ((0, 1), (1,), (0, 1))  # only B speaks Polish


def test_locations_are_shared_and_travel_comes_from_the_function():
    problem = _problem()
    assert problem_locations(problem) == [BASE, Location(1.0, 0.0), Location(2.0, 0.0)]
    cp = compile_problem(problem)
    assert cp.loc[0] == cp.loc[2]  # v1 and v3 share a place, so a row
    assert cp.travel == ((0, 10, 20), (10, 0, 10), (20, 10, 0))


def test_travel_matrix_rows_follow_the_problems_locations():
    matrix = TravelMatrix(
        locations=(Location(2.0, 0.0), BASE, Location(1.0, 0.0), OFFICE),
        minutes=((0, 7, 3, 9), (8, 0, 5, 9), (4, 6, 0, 9), (9, 9, 9, 0)),
    )
    cp = compile_problem(_problem(travel_function=None, travel_matrix=matrix))
    # locations in first-seen order: base, (1, 0), (2, 0)
    assert cp.travel == ((0, 5, 8), (6, 0, 4), (7, 3, 0))


def test_travel_matrix_without_a_location_is_refused():
    matrix = TravelMatrix(locations=(BASE, Location(1.0, 0.0)), minutes=((0, 1), (1, 0)))
    with pytest.raises(ValueError, match=r"travel matrix has no row for Location\(lat=2.0"):
        compile_problem(_problem(travel_function=None, travel_matrix=matrix))


def test_negative_travel_time_is_refused():
    with pytest.raises(ValueError, match="travel times must be >= 0 minutes"):
        compile_problem(_problem(travel_function=lambda a, b: -1 if a != b else 0))


def test_problem_without_teams_compiles_to_visits_only():
    cp = compile_problem(_problem(teams=()))
    assert cp.n_teams == 0 and cp.start_node == ()
    assert cp.windows[:3] == (((540, 570), (600, 660)), ((0, 0),), ((0, 0),))
    assert cp.eligible == ((), (), ())


def test_team_of_node_names_the_owner_of_team_nodes_only():
    cp = compile_problem(_problem())
    assert [cp.team_of_node(n) for n in range(8)] == [-1, -1, -1, 0, 0, 0, 1, 1]


def test_mandatory_bonus_outweighs_every_priority_together():
    cp = compile_problem(_problem())
    assert mandatory_bonus(cp) == 7.0  # floor(3 + 2.5 + 1) + 1
    assert mandatory_bonus(cp) > sum(cp.profit)


def test_compiled_problem_is_hashable_and_equal_for_equal_problems():
    first, second = compile_problem(_problem()), compile_problem(_problem())
    assert first == second and hash(first) == hash(second)


def test_team_with_its_own_end_location():
    other = Team(id="C", start=BASE, end=OFFICE, shift=TimeWindow(480, 900))
    cp = compile_problem(_problem(teams=(other,)))
    assert cp.loc[cp.start_node[0]] != cp.loc[cp.end_node[0]]
    assert cp.travel[cp.loc[cp.start_node[0]]][cp.loc[cp.end_node[0]]] == 50
