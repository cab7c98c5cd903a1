"""Flatten a :class:`PlanningProblem` into integer arrays that the solvers share.

Node numbering: visits are nodes ``0 .. V-1`` in problem order; then, for each team ``k``
in order, its start node, its end node and (if it has a break rule) its break node. Every
node has a location row in the travel matrix, except break nodes (``loc == -1``), which are
taken wherever the team is, so they add no travel.

Nothing here searches; :mod:`provide.core.planning.search` and
:mod:`provide.core.planning.cpsat`, :mod:`provide.core.planning.lp_bound` and :mod:`provide.core.planning.packing` read these arrays. ("Compiled" means flattened into
arrays; the pricing compiled from C is :mod:`provide.core.planning.native`.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from provide.core.planning.problem import Location, PlanningProblem, TravelMatrix
from provide.core.planning.travel import estimate_minutes

__all__ = ["CompiledProblem", "compile_problem", "mandatory_bonus"]

FLOATING = -1
"""Location index of a break node: the team's position at the time of the break."""


@dataclass(frozen=True)
class CompiledProblem:
    """Integer arrays describing one problem; see the module docstring for numbering.

    Attributes
    ----------
    n_visits, n_teams : int
    loc : tuple of int
        Travel-matrix row of each node (``FLOATING`` for break nodes).
    service : tuple of int
        Minutes spent at each node.
    windows : tuple of tuple of (int, int)
        Allowed start intervals of each node, sorted, clipped to nothing; a visit with no
        windows gets one window as wide as all shifts.
    profit : tuple of float
        Priority of each visit (0 for team nodes).
    mandatory : tuple of bool
    eligible : tuple of tuple of int
        For each visit, the teams whose skills cover it.
    start_node, end_node : tuple of int
        Per team.
    break_node : tuple of int
        Per team; -1 if the team has no break.
    travel : tuple of tuple of int
        Minutes between locations.
    """

    n_visits: int
    n_teams: int
    loc: tuple[int, ...]
    service: tuple[int, ...]
    windows: tuple[tuple[tuple[int, int], ...], ...]
    profit: tuple[float, ...]
    mandatory: tuple[bool, ...]
    eligible: tuple[tuple[int, ...], ...]
    start_node: tuple[int, ...]
    end_node: tuple[int, ...]
    break_node: tuple[int, ...]
    travel: tuple[tuple[int, ...], ...]

    def team_of_node(self, node: int) -> int:
        """Return the team owning a start, end or break node (-1 for a visit)."""
        for k in range(self.n_teams):
            if node in (self.start_node[k], self.end_node[k], self.break_node[k]):
                return k
        return -1


def mandatory_bonus(cp: CompiledProblem) -> float:
    """What a mandatory visit is worth on top of its priority wherever the planner ranks
    plans by "mandatory visits made, then priority": more than all priorities together."""
    return float(math.floor(sum(cp.profit)) + 1)


def problem_locations(problem: PlanningProblem) -> list[Location]:
    """All distinct locations of a problem, in first-seen order (teams, then visits)."""
    seen: dict[Location, None] = {}
    for team in problem.teams:
        seen.setdefault(team.start)
        seen.setdefault(team.end)
    for visit in problem.visits:
        seen.setdefault(visit.location)
    return list(seen)


def _travel_rows(
    problem: PlanningProblem, locations: list[Location]
) -> tuple[tuple[int, ...], ...]:
    matrix: TravelMatrix | None = problem.travel_matrix
    if matrix is not None:
        index = matrix.index()
        missing = [loc for loc in locations if loc not in index]
        if missing:
            raise ValueError(f"travel matrix has no row for {missing[0]}")
        rows = [index[loc] for loc in locations]
        return tuple(tuple(matrix.minutes[i][j] for j in rows) for i in rows)
    function = problem.travel_function or estimate_minutes
    return tuple(tuple(int(function(a, b)) for b in locations) for a in locations)


def compile_problem(problem: PlanningProblem) -> CompiledProblem:
    """Turn a problem into the arrays the solvers use.

    Parameters
    ----------
    problem : PlanningProblem

    Returns
    -------
    CompiledProblem

    Raises
    ------
    ValueError
        If an injected travel matrix misses a location or holds a negative time.
    """
    locations = problem_locations(problem)
    row_of = {location: i for i, location in enumerate(locations)}
    travel = _travel_rows(problem, locations)
    if any(value < 0 for row in travel for value in row):
        raise ValueError("travel times must be >= 0 minutes")
    if problem.teams:
        horizon = (
            min(t.shift.start_minute for t in problem.teams),
            max(t.shift.end_minute for t in problem.teams),
        )
    else:
        horizon = (0, 0)

    loc: list[int] = []
    service: list[int] = []
    windows: list[tuple[tuple[int, int], ...]] = []
    profit: list[float] = []
    mandatory: list[bool] = []
    eligible: list[tuple[int, ...]] = []
    for visit in problem.visits:
        loc.append(row_of[visit.location])
        service.append(visit.duration_minutes)
        spans = sorted((w.start_minute, w.end_minute) for w in visit.time_windows)
        windows.append(tuple(spans) if spans else (horizon,))
        profit.append(float(visit.priority))
        mandatory.append(visit.mandatory)
        eligible.append(
            tuple(k for k, team in enumerate(problem.teams) if visit.required_skills <= team.skills)
        )
    start_node: list[int] = []
    end_node: list[int] = []
    break_node: list[int] = []
    for team in problem.teams:
        shift = (team.shift.start_minute, team.shift.end_minute)
        start_node.append(len(loc))
        loc.append(row_of[team.start])
        service.append(0)
        windows.append(((shift[0], shift[0]),))
        end_node.append(len(loc))
        loc.append(row_of[team.end])
        service.append(0)
        windows.append((shift,))
        if team.break_rule is None:
            break_node.append(-1)
        else:
            rule = team.break_rule
            break_node.append(len(loc))
            loc.append(FLOATING)
            service.append(rule.duration_minutes)
            windows.append(((rule.earliest_start_minute, rule.latest_start_minute),))
    return CompiledProblem(
        n_visits=len(problem.visits),
        n_teams=len(problem.teams),
        loc=tuple(loc),
        service=tuple(service),
        windows=tuple(windows),
        profit=tuple(profit),
        mandatory=tuple(mandatory),
        eligible=tuple(eligible),
        start_node=tuple(start_node),
        end_node=tuple(end_node),
        break_node=tuple(break_node),
        travel=travel,
    )
