"""The packing of closing the gap: the best choice worth enough, by every way of solving it,
feasible, and nothing claimed when its budget is spent."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.planning import packing
from provide.core.planning.budget import Budget
from provide.core.planning.compiled import compile_problem
from provide.core.planning.packing import packing_ip
from provide.core.planning.problem import PlanningProblem
from provide.core.planning.team_groups import team_groups
from tests.core.planning.builders import line_travel, team, visit
from tests.core.planning.clocks import FakeClock
from tests.core.planning.test_properties import small_problems


def _feasible(cp, groups, choice, cover_mandatory=False):
    made = [j for _, visits in choice for j in visits]
    per_group = [sum(1 for g, _ in choice if g == h) for h in range(len(groups))]
    covered = not cover_mandatory or all(j in made for j in range(cp.n_visits) if cp.mandatory[j])
    return (
        len(made) == len(set(made))
        and covered
        and all(n <= len(group.teams) for n, group in zip(per_group, groups, strict=True))
    )


@pytest.mark.parametrize(
    "quick_seconds, sat_share, without_row_share",
    [(0.2, 0.15, 0.3), (0.0, 0.0, 1.0), (0.0, 0.0, 0.0), (0.0, 1.0, 0.0)],
)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(problem=small_problems(), data=st.data())
def test_packing_finds_the_best_choice_worth_enough(
    problem, data, quick_seconds, sat_share, without_row_share, monkeypatch
):
    """Every way of solving the packing (CBC with the 'worth at least' row, CP-SAT, CBC
    without the row) against every choice of sets."""
    monkeypatch.setattr(packing, "PACKING_QUICK_SECONDS", quick_seconds)
    monkeypatch.setattr(packing, "PACKING_SAT_SHARE", sat_share)
    monkeypatch.setattr(packing, "PACKING_WITHOUT_ROW_SHARE", without_row_share)
    cp = compile_problem(problem)
    groups = team_groups(cp)
    visits = st.frozensets(st.integers(0, cp.n_visits - 1), min_size=1, max_size=3)
    sets = data.draw(
        st.lists(st.tuples(st.integers(0, len(groups) - 1), visits), max_size=8, unique=True)
    )
    at_least = data.draw(st.integers(0, 30))

    def worth(choice):
        return sum(cp.profit[j] for _, v in choice for j in v)

    best = -1.0
    for size in range(len(sets) + 1):
        for choice in itertools.combinations(sets, size):
            if _feasible(cp, groups, choice):
                best = max(best, worth(choice))
    status, picked = packing_ip(cp, groups, sets, at_least, Budget(5.0), False)
    if best < at_least:
        assert status == "infeasible"
    else:
        assert status == "optimal"
        assert worth([sets[i] for i in picked]) == best
        assert _feasible(cp, groups, [sets[i] for i in picked])


def _two_teams_five_visits(mandatory=()):
    visits = tuple(
        visit(f"v{j}", j + 1, priority=j + 1, mandatory=j in mandatory) for j in range(5)
    )
    problem = PlanningProblem(
        teams=(team("A"), team("B")), visits=visits, travel_function=line_travel
    )
    cp = compile_problem(problem)
    return cp, team_groups(cp)


def test_a_packing_covers_the_mandatory_visits_when_asked():
    cp, groups = _two_teams_five_visits(mandatory=(0,))
    sets = [(0, frozenset({3, 4})), (0, frozenset({1, 2})), (0, frozenset({0, 1}))]
    free_status, free_picked = packing_ip(cp, groups, sets, 0, Budget(5.0), False)
    assert free_status == "optimal" and sorted(free_picked) == [0, 1]  # worth 14, without visit 0
    status, picked = packing_ip(cp, groups, sets, 0, Budget(5.0), True)
    assert status == "optimal" and sorted(picked) == [0, 2]  # worth 12, with visit 0
    assert _feasible(cp, groups, [sets[i] for i in picked], cover_mandatory=True)
    assert packing_ip(cp, groups, sets, 13, Budget(5.0), True) == ("infeasible", [])


def test_a_packing_with_its_budget_spent_claims_nothing():
    cp, groups = _two_teams_five_visits()
    sets = [(0, frozenset({3, 4})), (0, frozenset({1, 2}))]
    spent = Budget(0.0, clock=FakeClock())
    assert packing_ip(cp, groups, sets, 100, spent, False) == ("unknown", [])
    assert packing_ip(cp, groups, sets, 0, spent, False) == ("unknown", [])
