"""Team groups: identical teams share one pricing network; chosen routes become a plan."""

from provide.core.planning.compiled import compile_problem
from provide.core.planning.problem import BreakRule, PlanningProblem
from provide.core.planning.search import schedule_route
from provide.core.planning.team_groups import empty_plan, for_team, plan_of, team_groups
from tests.core.planning.builders import line_travel, team, visit

REST = BreakRule(720, 780, 30)


def _problem(*teams, visits=None):
    visits = visits or (
        visit("a", 1, priority=3),
        visit("b", 2, priority=2, required_skills=frozenset({"language:pl"})),
        visit("c", -1, priority=1),
    )
    return compile_problem(
        PlanningProblem(teams=tuple(teams), visits=tuple(visits), travel_function=line_travel)
    )


def test_identical_teams_form_one_group():
    cp = _problem(
        team("A", break_rule=REST), team("B", break_rule=REST), team("C", break_rule=REST)
    )
    (group,) = team_groups(cp)
    assert group.teams == (0, 1, 2)
    assert sorted(group.network.visits) == [0, 2]  # "b" needs a skill no team has


def test_teams_with_other_skills_or_shifts_are_grouped_apart():
    cp = _problem(
        team("A"),
        team("B", skills=frozenset({"language:pl"})),
        team("C", shift=(600, 1300)),
        team("D"),
    )
    groups = team_groups(cp)
    assert sorted(group.teams for group in groups) == [(0, 3), (1,), (2,)]
    speaks = next(group for group in groups if group.teams == (1,))
    plain = next(group for group in groups if group.teams == (0, 3))
    assert 1 in speaks.network.visits and 1 not in plain.network.visits
    assert speaks.rules == plain.rules  # same base, shift and break: only the visits differ


def test_the_empty_plan_keeps_every_team_at_base_with_its_break():
    cp = _problem(team("A", break_rule=REST), team("B"))
    plan = empty_plan(cp)
    assert plan == [
        [cp.start_node[0], cp.break_node[0], cp.end_node[0]],
        [cp.start_node[1], cp.end_node[1]],
    ]
    assert all(schedule_route(cp, k, nodes) is not None for k, nodes in enumerate(plan))


def test_a_route_driven_by_another_team_uses_that_teams_own_nodes():
    cp = _problem(team("A", break_rule=REST), team("B", break_rule=REST))
    route = [cp.start_node[0], 0, cp.break_node[0], 2, cp.end_node[0]]
    assert schedule_route(cp, 0, route) is not None
    moved = for_team(cp, route, 1)
    assert moved == [cp.start_node[1], 0, cp.break_node[1], 2, cp.end_node[1]]
    assert schedule_route(cp, 1, moved) is not None


def test_chosen_routes_go_to_free_teams_of_their_group_and_the_rest_stay_at_base():
    cp = _problem(team("A"), team("B"), team("C", skills=frozenset({"language:pl"})))
    groups = team_groups(cp)
    pair = next(g for g, group in enumerate(groups) if group.teams == (0, 1))
    lead = groups[pair].teams[0]
    first = [cp.start_node[lead], 0, cp.end_node[lead]]
    second = [cp.start_node[lead], 2, cp.end_node[lead]]
    plan = plan_of(cp, groups, [(pair, first), (pair, second)])
    assert plan[0] == first
    assert plan[1] == [cp.start_node[1], 2, cp.end_node[1]]
    assert plan[2] == empty_plan(cp)[2]
    assert all(schedule_route(cp, k, nodes) is not None for k, nodes in enumerate(plan))
