"""Peer solvers for Provide's visit planner, on any compiled problem (benchmarks only).

``benchmarks/toptw.py`` has its own adapters for the public TOPTW instances (one depot, one
window a customer, one horizon). These are the general ones, for the realistic families of
``benchmarks/planner_realistic.py``: per-team shifts and start / end places, several start
windows a visit, skills; no breaks (the peers are not given break rules; a problem with
breaks is refused). Set up the same way as in ``toptw.py``:

* ``ortools``: OR-Tools routing, one optional-node disjunction per visit with penalty
  ``priority * (teams * horizon + 1)`` (leaving a visit out always costs more than any
  travel), a time dimension with waiting allowed, each visit's start cumul restricted to its
  windows (gaps removed), skills as allowed vehicles, default first solution, then guided
  local search until the time limit;
* ``vroom``: VROOM through ``pyvroom``, jobs with ``priority`` = the visit's priority (whole
  numbers 0..100), its windows, skills; ``exploration_level=5``, one thread, ``timeout`` =
  the time limit.

A peer's routes are lists of visit indices per team; :func:`score_routes` re-times them with
Provide's own route check and counts an infeasible route as nothing made.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable

from provide.core.planning.compiled import CompiledProblem
from provide.core.planning.search import schedule_route

Routes = list[list[int]]
PEERS: dict[str, Callable[[CompiledProblem, float], Routes]] = {}


def _refuse_breaks(cp: CompiledProblem) -> None:
    if any(node >= 0 for node in cp.break_node):
        raise ValueError("the peer adapters take no break rules")


def _clipped(windows: tuple[tuple[int, int], ...], horizon: int) -> list[tuple[int, int]]:
    return [(max(0, a), min(b, horizon)) for a, b in windows if max(0, a) <= min(b, horizon)]


def score_routes(cp: CompiledProblem, routes: Routes) -> tuple[float, bool]:
    """Total priority of the visits on ``routes`` (visit indices per team) and whether every
    route is feasible by Provide's route check (an infeasible route counts for nothing)."""
    used: set[int] = set()
    score = 0.0
    ok = True
    for k, visits in enumerate(routes):
        eligible = all(k in cp.eligible[j] for j in visits)
        if (
            not eligible
            or schedule_route(cp, k, [cp.start_node[k], *visits, cp.end_node[k]]) is None
        ):
            ok = False
            continue
        for j in visits:
            if j in used:
                ok = False
            used.add(j)
            score += cp.profit[j]
    return score, ok


def run_ortools(cp: CompiledProblem, limit: float) -> Routes:
    """OR-Tools routing with disjunctions and guided local search (see the module)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    _refuse_breaks(cp)
    n, m = cp.n_visits, cp.n_teams
    horizon = max(cp.windows[cp.end_node[k]][0][1] for k in range(m))
    # routing nodes: visits 0..n-1, then each team's start and end
    nodes = (
        list(range(n)) + [cp.start_node[k] for k in range(m)] + [cp.end_node[k] for k in range(m)]
    )
    starts = [n + k for k in range(m)]
    ends = [n + m + k for k in range(m)]
    manager = pywrapcp.RoutingIndexManager(len(nodes), m, starts, ends)
    routing = pywrapcp.RoutingModel(manager)
    T = cp.travel

    def transit(a: int, b: int) -> int:
        i, j = nodes[manager.IndexToNode(a)], nodes[manager.IndexToNode(b)]
        return int(T[cp.loc[i]][cp.loc[j]] + cp.service[i])

    def distance(a: int, b: int) -> int:
        i, j = nodes[manager.IndexToNode(a)], nodes[manager.IndexToNode(b)]
        return int(T[cp.loc[i]][cp.loc[j]])

    time_cb = routing.RegisterTransitCallback(transit)
    cost_cb = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(cost_cb)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    dim = routing.GetDimensionOrDie("time")
    penalty_unit = m * horizon + 1
    for j in range(n):
        index = manager.NodeToIndex(j)
        spans = _clipped(cp.windows[j], horizon)
        if not spans:
            routing.AddDisjunction([index], 0)
            routing.VehicleVar(index).SetValues([-1])
            continue
        cumul = dim.CumulVar(index)
        cumul.SetRange(spans[0][0], spans[-1][1])
        for (_, close), (open_, _) in itertools.pairwise(spans):
            if open_ > close + 1:
                cumul.RemoveInterval(close + 1, open_ - 1)
        routing.AddDisjunction([index], math.ceil(cp.profit[j]) * penalty_unit)
        if len(cp.eligible[j]) < m:
            routing.VehicleVar(index).SetValues([-1, *cp.eligible[j]])
    for k in range(m):
        ((begin, _),) = cp.windows[cp.start_node[k]]
        ((_, finish),) = cp.windows[cp.end_node[k]]
        dim.CumulVar(routing.Start(k)).SetRange(begin, begin)
        dim.CumulVar(routing.End(k)).SetRange(begin, finish)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.time_limit.FromMilliseconds(int(limit * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return [[] for _ in range(m)]
    routes: Routes = []
    for k in range(m):
        visits = []
        index = solution.Value(routing.NextVar(routing.Start(k)))
        while not routing.IsEnd(index):
            visits.append(nodes[manager.IndexToNode(index)])
            index = solution.Value(routing.NextVar(index))
        routes.append(visits)
    return routes


def run_vroom(cp: CompiledProblem, limit: float) -> Routes:
    """VROOM through pyvroom (see the module)."""
    import vroom

    _refuse_breaks(cp)
    n, m = cp.n_visits, cp.n_teams
    horizon = max(cp.windows[cp.end_node[k]][0][1] for k in range(m))
    rows = sorted({cp.loc[node] for node in range(len(cp.loc)) if cp.loc[node] >= 0})
    index = {row: i for i, row in enumerate(rows)}
    T = cp.travel
    problem = vroom.Input()
    problem.set_durations_matrix("car", [[T[a][b] for b in rows] for a in rows])
    # a visit only some teams may make needs a skill that exactly those teams hold
    restricted = [j for j in range(n) if 0 < len(cp.eligible[j]) < m]
    for k in range(m):
        ((begin, _),) = cp.windows[cp.start_node[k]]
        ((_, finish),) = cp.windows[cp.end_node[k]]
        problem.add_vehicle(
            vroom.Vehicle(
                k + 1,
                start=index[cp.loc[cp.start_node[k]]],
                end=index[cp.loc[cp.end_node[k]]],
                time_window=vroom.TimeWindow(begin, finish),
                skills={1 + j for j in restricted if k in cp.eligible[j]},
            )
        )
    for j in range(n):
        spans = _clipped(cp.windows[j], horizon)
        if not spans or not cp.eligible[j]:
            continue
        problem.add_job(
            vroom.Job(
                j + 1,
                location=index[cp.loc[j]],
                default_service=cp.service[j],
                priority=min(100, round(cp.profit[j])),
                time_windows=[vroom.TimeWindow(a, b) for a, b in spans],
                skills={1 + j} if j in restricted else set(),
            )
        )
    solution = problem.solve(exploration_level=5, nb_threads=1, timeout=dt.timedelta(seconds=limit))
    routes: Routes = [[] for _ in range(m)]
    for row in solution.routes.itertuples():
        if row.type == "job":
            routes[int(row.vehicle_id) - 1].append(int(row.id) - 1)
    return routes


PEERS["ortools"] = run_ortools
PEERS["vroom"] = run_vroom
