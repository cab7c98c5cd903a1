"""Linear-programming bounds on total priority, solved by GLOP (OR-Tools).

Two linear relaxations of the planning problem, each solved within the :class:`Budget` it is
given (GLOP's time limit; a relaxation not solved in time gives no bound):

* :func:`flow_bound`, over single travel arcs: cheap, and the search's target;
* :func:`master_lp` and :class:`IncrementalMasterLP`, over whole routes (the master problem
  of column generation, :mod:`provide.core.planning.columns`): tighter, and its dual prices
  drive pricing.

Any optimum of a relaxation bounds the best plan, because every plan is a feasible point.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ortools.linear_solver import pywraplp

from provide.core.planning.budget import Budget
from provide.core.planning.compiled import CompiledProblem
from provide.core.planning.relaxation import budget_rows, flow_arcs, shortest_paths
from provide.core.planning.team_groups import Column, TeamGroup

__all__ = ["IncrementalMasterLP", "MasterSolution", "flow_bound", "master_lp"]


def flow_bound(cp: CompiledProblem, budget: Budget) -> float | None:
    """Upper bound on total priority from a linear relaxation with travel arcs (GLOP).

    Per team: ``x[j]`` (makes visit j) and ``y[i,j]`` (goes straight from i to j) in [0, 1],
    one arc into and one out of every visit made, at most one arc leaving the base, and the
    shift budget ``sum service_j x[j] + sum travel_ij y[i,j] + break <= shift length``; the
    time-budget rows of ``relaxation.budget_rows`` are added on ``x``. Arcs that no timetable
    allows are left out. Any plan gives a feasible point, so the LP optimum is a bound.

    Parameters
    ----------
    cp : CompiledProblem
    budget : Budget
        Writing the model and GLOP's solve (its time limit) stay within it.

    Returns
    -------
    float or None
        The bound (rounded down when priorities are whole); None if the budget ran out
        (before or during the solve) or GLOP failed.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    teams_of, rows = budget_rows(cp)
    shortest = shortest_paths(cp.travel)
    infinity = solver.infinity()
    x: dict[tuple[int, int], pywraplp.Variable] = {}
    for j, teams in enumerate(teams_of):
        once = solver.Constraint(-infinity, 1.0)
        for k in teams:
            x[j, k] = solver.NumVar(0.0, 1.0, "")
            once.SetCoefficient(x[j, k], 1.0)
    if not x:
        return 0.0
    for row in rows:
        budget_row = solver.Constraint(-infinity, float(row.rhs))
        for j, c in row.coef.items():
            budget_row.SetCoefficient(x[j, row.team], float(c))
    for k in range(cp.n_teams):
        visits = [j for j, teams in enumerate(teams_of) if k in teams]
        if not visits:
            continue
        if budget.expired():
            return None
        s, _, length, arcs = flow_arcs(cp, k, visits, shortest)
        into = {j: solver.Constraint(0.0, 0.0) for j in visits}
        out = {j: solver.Constraint(0.0, 0.0) for j in visits}
        for j in visits:
            into[j].SetCoefficient(x[j, k], -1.0)
            out[j].SetCoefficient(x[j, k], -1.0)
        leave_base = solver.Constraint(-infinity, 1.0)
        shift = solver.Constraint(-infinity, float(length))
        for j in visits:
            shift.SetCoefficient(x[j, k], float(cp.service[j]))
        for i, j, minutes in arcs:
            y = solver.NumVar(0.0, 1.0, "")
            if j in into:
                into[j].SetCoefficient(y, 1.0)
            if i in out:
                out[i].SetCoefficient(y, 1.0)
            if i == s:
                leave_base.SetCoefficient(y, 1.0)
            shift.SetCoefficient(y, float(minutes))
    objective = solver.Objective()
    for (j, _), var in x.items():
        objective.SetCoefficient(var, cp.profit[j])
    objective.SetMaximization()
    if budget.expired():
        return None
    solver.SetTimeLimit(budget.solver_milliseconds())  # what writing the model left of it
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = float(objective.Value())
    if all(float(p).is_integer() for p in cp.profit):
        return float(math.floor(value + 1e-3))
    return value + 1e-3


class MasterSolution(NamedTuple):
    """The route relaxation's optimum and its dual prices."""

    value: float
    visit_prices: list[float]
    """Dual price of each visit's "at most once" row."""
    group_prices: list[float]
    """Dual price of each group's "at most as many routes as teams" row."""


def master_lp(
    cp: CompiledProblem, groups: list[TeamGroup], columns: list[Column], budget: Budget
) -> MasterSolution | None:
    """Solve the route relaxation over ``columns`` with GLOP, within ``budget``.

    Every visit at most once, every group at most as many routes as it has teams, routes
    taken fractionally, most total priority. None if GLOP did not solve it in time.
    """
    return IncrementalMasterLP()(cp, groups, columns, budget)


class IncrementalMasterLP:
    """:func:`master_lp` that keeps its GLOP model between rounds of one column generation.

    When the column list is the same list as last time, only grown, the new columns are
    added to the model and GLOP starts from its last basis instead of from scratch; any
    other list rebuilds the model. Use one instance per column generation.
    """

    def __init__(self) -> None:
        self._columns: list[Column] | None = None
        self._count = 0
        self._solver: pywraplp.Solver | None = None
        self._once: list[pywraplp.Constraint] = []
        self._teams: list[pywraplp.Constraint] = []

    def _build(self, cp: CompiledProblem, groups: list[TeamGroup], columns: list[Column]) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
            raise RuntimeError("GLOP is not available")
        self._solver = solver
        self._once = [solver.Constraint(-solver.infinity(), 1.0) for _ in range(cp.n_visits)]
        self._teams = [solver.Constraint(-solver.infinity(), float(len(g.teams))) for g in groups]
        solver.Objective().SetMaximization()
        self._columns, self._count = columns, 0

    def __call__(
        self, cp: CompiledProblem, groups: list[TeamGroup], columns: list[Column], budget: Budget
    ) -> MasterSolution | None:
        warm = not (
            self._solver is None or columns is not self._columns or len(columns) < self._count
        )
        if not warm:
            self._build(cp, groups, columns)
        solver = self._solver
        assert solver is not None
        objective = solver.Objective()
        for column in columns[self._count :]:
            var = solver.NumVar(0.0, solver.infinity(), "")
            for j, times in column.visits:
                self._once[j].SetCoefficient(var, float(times))
            self._teams[column.group].SetCoefficient(var, 1.0)
            objective.SetCoefficient(var, column.priority)
        self._count = len(columns)
        solver.SetTimeLimit(budget.solver_milliseconds())
        if solver.Solve() != pywraplp.Solver.OPTIMAL:
            self._solver = None
            if not warm or budget.expired():
                return None  # out of time (the relaxation is always feasible: 0)
            # A warm start can end badly (seen: rarely, after many rounds); a fresh model
            # never did. Fall back on one.
            return self(cp, groups, columns, budget)
        return MasterSolution(
            float(objective.Value()),
            [row.dual_value() for row in self._once],
            [row.dual_value() for row in self._teams],
        )
