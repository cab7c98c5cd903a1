"""Time-budget (knapsack) relaxation of the planning problem, for upper bounds on priority.

Each team's shift is a time budget. Along one team's route, visits, travel legs and the break
occupy disjoint stretches of the shift, so for any set of visits a team makes:

* ``sum (service_j + in_j) <= shift length - break`` where ``in_j`` is the least travel into
  ``j`` from any place that can precede it (the base or another visit, reachable in time);
* ``sum (2 service_j + in_j + out_j) <= 2 (shift length - break)`` (every leg is shared
  half by the stop it leaves and half by the stop it reaches);
* for a time ``t``: visits that must be finished by ``t`` fit, with their inward legs, between
  the start of the shift and ``t`` ("deadline cuts"); visits that cannot start before ``t``
  fit, with their outward legs, between ``t`` and the end of the shift;
* interval cuts: visits that start after ``a`` and finish by ``b`` have their services, and
  the legs out of all but the last of them, inside ``[a, b]``;
* clique cuts: of visits no two of which one team can make in either order, it makes one.

Visits a team certainly cannot make (:func:`may_make`) get no variable for that team. The rows
are linear in the 0/1 "team k makes visit j" variables, so the multi-knapsack problem they
define (plus "each visit at most once") is a relaxation: its optimum, or any proven bound on
it, bounds the best total priority. :func:`provide.core.planning.cpsat.budget_bound` solves
it with CP-SAT; :func:`provide.core.planning.lp_bound.flow_bound` adds the rows, with the
travel arcs of :func:`flow_arcs`, to its linear relaxation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from provide.core.planning.compiled import CompiledProblem

__all__ = ["BudgetRow", "budget_rows", "flow_arcs", "makeable", "may_make", "shortest_paths"]


@dataclass(frozen=True)
class BudgetRow:
    """``sum coef[j] * x[j, team] <= rhs``."""

    team: int
    coef: dict[int, int]
    rhs: int


def makeable(cp: CompiledProblem) -> list[bool]:
    """For each visit: could some team make it at all (:func:`may_make`)?"""
    shortest = shortest_paths(cp.travel)
    return [any(may_make(cp, k, j, shortest) for k in cp.eligible[j]) for j in range(cp.n_visits)]


def may_make(cp: CompiledProblem, k: int, j: int, shortest: list[list[int]]) -> bool:
    """Could team ``k`` make visit ``j`` in some plan? False only if it certainly cannot.

    A necessary condition: reach ``j`` in a window and get back by the end of the shift, with
    the break (if any) fitted in before or after ``j``, travelling the shortest ways. The
    break is taken wherever the team is, possibly at another visit on the way, so it is only
    counted as time, not tied to a place.
    """
    s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
    shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
    out_, back = shortest[cp.loc[s]][cp.loc[j]], shortest[cp.loc[j]][cp.loc[e]]

    def finish(arrive: int) -> int | None:
        for ws, we in cp.windows[j]:
            if arrive <= we:
                return max(ws, arrive) + cp.service[j]
        return None

    if brk < 0:
        done = finish(shift_start + out_)
        return done is not None and done + back <= shift_end
    ((b_open, b_close),) = cp.windows[brk]
    pause = cp.service[brk]
    first = max(shift_start, b_open)
    done = finish(max(shift_start + out_, first) + pause) if first <= b_close else None
    if done is not None and done + back <= shift_end:
        return True  # break before the visit
    done = finish(shift_start + out_)
    return (
        done is not None
        and max(done, b_open) <= b_close
        and max(done + back, b_open) + pause <= shift_end
    )


def _start_bounds(
    cp: CompiledProblem, k: int, j: int, shortest: list[list[int]]
) -> tuple[int, int]:
    """Earliest and latest start of visit ``j`` for team ``k`` (shortest ways from and to base)."""
    s, e = cp.start_node[k], cp.end_node[k]
    T = shortest
    shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
    arrive = shift_start + T[cp.loc[s]][cp.loc[j]]
    leave_by = shift_end - T[cp.loc[j]][cp.loc[e]] - cp.service[j]
    opens = [max(ws, arrive) for ws, we in cp.windows[j] if we >= arrive]
    closes = [min(we, leave_by) for ws, we in cp.windows[j] if ws <= leave_by]
    earliest = min(opens) if opens else shift_start
    latest = max(closes) if closes else shift_end
    return earliest, latest


def shortest_paths(travel: tuple[tuple[int, ...], ...]) -> list[list[int]]:
    """Least travel between locations allowing stops on the way (Floyd-Warshall)."""
    if not travel:
        return []
    dist = np.array(travel, dtype=np.int64)
    for m in range(len(travel)):
        np.minimum(dist, dist[:, m, None] + dist[None, m, :], out=dist)
    return [[int(v) for v in row] for row in dist]


def _conflict_cliques(
    cp: CompiledProblem,
    k: int,
    visits: list[int],
    bounds: dict[int, tuple[int, int]],
    shortest: list[list[int]],
) -> list[list[int]]:
    """Groups of visits no two of which team ``k`` can make (in either order): cliques cover.

    ``i`` cannot come anywhere before ``j`` if even leaving ``i`` as early as possible and
    taking the shortest way (through any stops) misses ``j``'s latest start.
    """
    loc, svc = cp.loc, cp.service

    def before(i: int, j: int) -> bool:
        return bounds[i][0] + svc[i] + shortest[loc[i]][loc[j]] <= bounds[j][1]

    clash = {
        j: {i for i in visits if i != j and not before(i, j) and not before(j, i)} for j in visits
    }
    cliques: list[list[int]] = []
    covered: set[tuple[int, int]] = set()
    for j in sorted(visits, key=lambda v: -len(clash[v])):
        clique = [j]
        for i in sorted(clash[j], key=lambda v: -len(clash[v])):
            if all(i in clash[c] for c in clique):
                clique.append(i)
        pairs = {(a, b) for a in clique for b in clique if a < b}
        if len(clique) > 1 and not pairs <= covered:
            covered |= pairs
            cliques.append(clique)
    return cliques


def budget_rows(cp: CompiledProblem) -> tuple[list[list[int]], list[BudgetRow]]:
    """Visits each team may make, and the time-budget rows described in the module docstring.

    Returns
    -------
    (list of list of int, list of BudgetRow)
        ``teams_of[j]``: teams that can make visit ``j``; the rows.
    """
    T, loc, svc = cp.travel, cp.loc, cp.service
    teams_of: list[list[int]] = [[] for _ in range(cp.n_visits)]
    rows: list[BudgetRow] = []
    shortest = shortest_paths(cp.travel)
    for k in range(cp.n_teams):
        s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
        shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
        pause = cp.service[brk] if brk >= 0 else 0
        visits = [
            j for j in range(cp.n_visits) if k in cp.eligible[j] and may_make(cp, k, j, shortest)
        ]
        for j in visits:
            teams_of[j].append(k)
        if not visits:
            continue
        bounds = {j: _start_bounds(cp, k, j, shortest) for j in visits}
        into: dict[int, int] = {}
        out: dict[int, int] = {}
        for j in visits:
            ej, lj = bounds[j]
            best_in = T[loc[s]][loc[j]]
            best_out = T[loc[j]][loc[e]]
            for i in visits:
                if i == j:
                    continue
                ei, li = bounds[i]
                if ei + svc[i] + T[loc[i]][loc[j]] <= lj:
                    best_in = min(best_in, T[loc[i]][loc[j]])
                if ej + svc[j] + T[loc[j]][loc[i]] <= li:
                    best_out = min(best_out, T[loc[j]][loc[i]])
            into[j], out[j] = best_in, best_out
        budget = shift_end - shift_start - pause
        for clique in _conflict_cliques(cp, k, visits, bounds, shortest):
            rows.append(BudgetRow(k, dict.fromkeys(clique, 1), 1))
        if brk >= 0:
            ((b_open, b_close),) = cp.windows[brk]
        else:
            b_open, b_close = shift_end, shift_start  # no break: never counted below
        rows.append(BudgetRow(k, {j: svc[j] + into[j] for j in visits}, budget))
        rows.append(BudgetRow(k, {j: 2 * svc[j] + into[j] + out[j] for j in visits}, 2 * budget))
        # Interval cuts: the visits that start no earlier than a and finish no later than b
        # have their services in [a, b], and so are the legs leaving each of them except the
        # one that leaves the last of them (which may end after b).
        done = {j: bounds[j][1] + svc[j] for j in visits}
        seen: set[frozenset[int]] = set()
        for a in sorted({bounds[j][0] for j in visits}):
            inside = [j for j in visits if bounds[j][0] >= a]
            for b in sorted({done[j] for j in inside}):
                group = frozenset(j for j in inside if done[j] <= b)
                if len(group) < 2 or group in seen:
                    continue
                seen.add(group)
                span = b - a - (pause if brk >= 0 and a <= b_open and b_close + pause <= b else 0)
                need = {j: svc[j] + out[j] for j in group}
                rhs = span + max(out[j] for j in group)
                if rhs < sum(need.values()):
                    rows.append(BudgetRow(k, need, max(rhs, 0)))
        for t in sorted({bounds[j][1] + svc[j] for j in visits}):
            members = {j: svc[j] + into[j] for j in visits if bounds[j][1] + svc[j] <= t}
            rhs = t - shift_start - (pause if brk >= 0 and b_close + pause <= t else 0)
            if len(members) > 1 and rhs < sum(members.values()):
                rows.append(BudgetRow(k, members, max(rhs, 0)))
        for t in sorted({bounds[j][0] for j in visits}):
            members = {j: svc[j] + out[j] for j in visits if bounds[j][0] >= t}
            rhs = shift_end - t - (pause if brk >= 0 and b_open >= t else 0)
            if len(members) > 1 and rhs < sum(members.values()):
                rows.append(BudgetRow(k, members, max(rhs, 0)))
    return teams_of, rows


def flow_arcs(
    cp: CompiledProblem, k: int, visits: list[int], shortest: list[list[int]]
) -> tuple[int, int, int, list[tuple[int, int, int]]]:
    """Arcs team ``k`` could drive between its base and ``visits`` in some timetable.

    Returns
    -------
    (int, int, int, list of (int, int, int))
        Start node, end node, time budget (shift length less the break), and the arcs
        ``(from, to, travel minutes)``; arcs into the end node come from visits only.
    """
    T, loc, svc = cp.travel, cp.loc, cp.service
    s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
    shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
    budget = shift_end - shift_start - (cp.service[brk] if brk >= 0 else 0)
    bounds = {j: _start_bounds(cp, k, j, shortest) for j in visits}
    arcs = []
    for j in visits:
        arcs.append((s, j, T[loc[s]][loc[j]]))
        arcs.append((j, e, T[loc[j]][loc[e]]))
        for i in visits:
            if i != j and bounds[i][0] + svc[i] + T[loc[i]][loc[j]] <= bounds[j][1]:
                arcs.append((i, j, T[loc[i]][loc[j]]))
    return s, e, budget, arcs
