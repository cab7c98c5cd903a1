"""Adaptive large-neighbourhood search for the team orienteering problem with time windows.

Pure Python, seeded, and bounded by a *work budget* (a count of insertion evaluations) so
that a run is reproducible for a given seed; its time :class:`~.budget.Budget` is enforced
as well, as a hard cap.

Algorithm
---------
1. **Construction.** Greedy insertion: repeatedly insert the unvisited request with the best
   ratio ``priority**alpha / (extra time + 1)`` at its cheapest feasible position, until
   nothing fits.
2. **Destroy and repair** (Shaw 1998; Ropke and Pisinger 2006). Each iteration removes a few
   visits from the current plan with one of four operators (random, a run of consecutive
   stops, visits related in place and time to a seed visit, visits with the worst priority
   per minute) and repairs by greedy insertion with a noised ratio. Removing a team's break
   and putting it back at its cheapest position lets the break move.
3. **Acceptance.** Simulated annealing on total priority (ties broken by less travel),
   cooling with the work budget; the search returns to the best plan after a run of
   iterations without improvement.
4. **Polish.** The best plan's routes are re-sequenced to cut travel without losing a visit.

Feasibility tests are O(1) per insertion position with the *latest start* of each stop
(Savelsbergh 1992; the "MaxShift" of Vansteenwegen et al. 2009): inserting a visit is feasible
if it can start in one of its windows and pushes the next stop's start no later than that
stop's latest start.

References
----------
.. [1] Savelsbergh, M.W.P. (1992). The vehicle routing problem with time windows:
   minimizing route duration. *ORSA Journal on Computing* 4(2), 146-154.
.. [2] Shaw, P. (1998). Using constraint programming and local search methods to solve
   vehicle routing problems. *CP-98*, LNCS 1520, 417-431.
.. [3] Ropke, S., Pisinger, D. (2006). An adaptive large neighborhood search heuristic for
   the pickup and delivery problem with time windows. *Transportation Science* 40(4),
   455-472.
.. [4] Vansteenwegen, P., Souffriau, W., Vanden Berghe, G., Van Oudheusden, D. (2009).
   Iterated local search for the team orienteering problem with time windows. *Computers &
   Operations Research* 36(12), 3281-3290.
"""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect_left
from dataclasses import dataclass

from provide.core.planning.budget import Budget
from provide.core.planning.compiled import FLOATING, CompiledProblem, mandatory_bonus
from provide.core.planning.relaxation import makeable

__all__ = ["WORK_PER_SECOND", "Route", "SearchOutcome", "schedule_route", "search_routes"]

WORK_PER_SECOND = 2_500_000
"""Insertion evaluations the search budgets per second of time limit (calibrated on a 2-core
2020s server so that the budget, not the clock, normally ends the search)."""

REMOVE_FRACTION = 0.5
"""Each iteration removes between 1 and this share of the routed visits (at least 4)."""

TEMPERATURE_START, TEMPERATURE_END = 1.0, 0.01
"""Annealing temperature at the start and end of the budget, times the mean priority."""

RESTART_AFTER = 300
"""Iterations without a new best plan after which the search returns to the best plan."""

_uid = itertools.count(1)


class Route:
    """One team's route with its timetable; treat as immutable (changes build a new one).

    ``nodes[0]`` is the team's start node and ``nodes[-1]`` its end node. For each position:
    ``eloc`` the travel-matrix row where the team is, ``arr`` arrival, ``start`` service start,
    ``wstart``/``wend`` the window used, ``late`` the latest start that keeps the rest of the
    route feasible (all in minutes).
    """

    __slots__ = (
        "arr",
        "eloc",
        "late",
        "nodes",
        "profit",
        "start",
        "team",
        "travel",
        "uid",
        "wend",
        "wstart",
    )

    def __init__(self, team: int, nodes: list[int]) -> None:
        self.team = team
        self.nodes = nodes
        self.uid = next(_uid)
        self.eloc: list[int] = []
        self.arr: list[int] = []
        self.start: list[int] = []
        self.wstart: list[int] = []
        self.wend: list[int] = []
        self.late: list[int] = []
        self.travel = 0
        self.profit = 0.0


def schedule_route(cp: CompiledProblem, team: int, nodes: list[int]) -> Route | None:
    """Time a sequence of nodes for a team, starting every stop as early as possible.

    Parameters
    ----------
    cp : CompiledProblem
    team : int
    nodes : list of int
        Start node, stops, end node.

    Returns
    -------
    Route or None
        None if some stop cannot start inside any of its windows.
    """
    route = Route(team, nodes)
    T = cp.travel
    loc, svc, windows = cp.loc, cp.service, cp.windows
    eloc, arr, start, wstart, wend = route.eloc, route.arr, route.start, route.wstart, route.wend
    travel = 0
    prev_loc = -1
    dep = 0
    for i, node in enumerate(nodes):
        here = loc[node]
        if i == 0:
            a = windows[node][0][0]
        elif here == FLOATING:
            here = prev_loc
            a = dep
        else:
            step = T[prev_loc][here]
            travel += step
            a = dep + step
        for ws, we in windows[node]:
            if a <= we:
                s = ws if ws > a else a
                break
        else:
            return None
        eloc.append(here)
        arr.append(a)
        start.append(s)
        wstart.append(ws)
        wend.append(we)
        dep = s + svc[node]
        prev_loc = here
    late = [0] * len(nodes)
    nxt = wend[-1]
    late[-1] = nxt
    for i in range(len(nodes) - 2, -1, -1):
        node_next = nodes[i + 1]
        step = 0 if loc[node_next] == FLOATING else T[eloc[i]][eloc[i + 1]]
        value = nxt - step - svc[nodes[i]]
        if wend[i] < value:
            value = wend[i]
        late[i] = value
        nxt = value
    route.late = late
    route.travel = travel
    n_visits = cp.n_visits
    route.profit = sum(cp.profit[node] for node in nodes if node < n_visits)
    return route


def _best_insertion(cp: CompiledProblem, route: Route, j: int) -> tuple[int, int] | None:
    """Cheapest feasible position to insert visit ``j``: ``(extra minutes, position)``."""
    T = cp.travel
    svc = cp.service
    loc = cp.loc
    nodes = route.nodes
    eloc, arr, start, wstart, late = route.eloc, route.arr, route.start, route.wstart, route.late
    wins = cp.windows[j]
    lj = loc[j]
    sj = svc[j]
    row_j = T[lj]
    first_open = wins[0][0]
    last_close = wins[-1][1]
    pos = bisect_left(late, first_open + sj)
    if pos < 1:
        pos = 1
    n = len(nodes)
    best_cost = 1 << 62
    best_pos = -1
    for q in range(pos, n):
        p = q - 1
        dep_p = start[p] + svc[nodes[p]]
        if dep_p > last_close:
            break
        a = dep_p + T[eloc[p]][lj]
        for ws, we in wins:
            if a <= we:
                s = ws if ws > a else a
                break
        else:
            continue
        dj = s + sj
        if loc[nodes[q]] == FLOATING:
            # The break moves to j's place: check the break, then the stop after it.
            bq = dj if dj > wstart[q] else wstart[q]
            if bq > late[q]:
                continue
            r = q + 1
            ar = bq + svc[nodes[q]] + row_j[eloc[r]]
            sr = ar if ar > wstart[r] else wstart[r]
            if sr > late[r]:
                continue
            cost = ar - arr[r]
        else:
            aq = dj + row_j[eloc[q]]
            sq = aq if aq > wstart[q] else wstart[q]
            if sq > late[q]:
                continue
            cost = aq - arr[q]
        if cost < best_cost:
            best_cost = cost
            best_pos = q
    if best_pos < 0:
        return None
    return best_cost, best_pos


@dataclass
class SearchOutcome:
    """What the search found: one node list per team (start and end included)."""

    routes: list[list[int]]
    iterations: int
    work: int
    seconds: float
    stopped_by_clock: bool


class _Search:
    """State of one search run; see :func:`search_routes`."""

    def __init__(self, cp: CompiledProblem, rng: random.Random, budget: Budget) -> None:
        self.cp = cp
        self.rng = rng
        self.budget = budget
        self.work = 0
        self.cache: dict[tuple[int, int], tuple[int, int] | None] = {}
        bonus = mandatory_bonus(cp)
        self.weight = [
            cp.profit[j] + (bonus if cp.mandatory[j] else 0.0) for j in range(cp.n_visits)
        ]
        self.routable = [j for j in range(cp.n_visits) if cp.eligible[j]]
        self.teams_of = cp.eligible
        self.is_break = [cp.loc[node] == FLOATING for node in range(len(cp.loc))]

    # -- evaluation -------------------------------------------------------------------------
    def insertion(self, route: Route, j: int) -> tuple[int, int] | None:
        key = (route.uid, j)
        cache = self.cache
        if key in cache:
            return cache[key]
        self.work += len(route.nodes)
        result = _best_insertion(self.cp, route, j)
        if len(cache) > 400_000:
            cache.clear()
        cache[key] = result
        return result

    @staticmethod
    def value(routes: list[Route], weight: list[float], n_visits: int) -> tuple[float, int]:
        score = 0.0
        travel = 0
        for route in routes:
            travel += route.travel
            for node in route.nodes:
                if node < n_visits:
                    score += weight[node]
        return score, travel

    # -- repair -----------------------------------------------------------------------------
    def repair(self, routes: list[Route], unrouted: set[int], alpha: float, noise: float) -> None:
        cp = self.cp
        rng = self.rng
        weight = self.weight
        candidates = sorted(unrouted)
        while candidates:
            best_val = -1.0
            best: tuple[int, int, int] | None = None
            keep: list[int] = []
            for j in candidates:
                wj = weight[j] ** alpha
                found = False
                for k in self.teams_of[j]:
                    entry = self.insertion(routes[k], j)
                    if entry is None:
                        continue
                    found = True
                    cost = entry[0]
                    val = wj / ((cost if cost > 0 else 0) + 1.0)
                    if noise:
                        val *= 1.0 + noise * rng.random()
                    if val > best_val:
                        best_val = val
                        best = (j, k, entry[1])
                if found:
                    keep.append(j)
            if best is None:
                return
            j, k, pos = best
            old = routes[k]
            new_nodes = [*old.nodes[:pos], j, *old.nodes[pos:]]
            new = schedule_route(cp, k, new_nodes)
            if new is None:  # pragma: no cover - the O(1) test is exact for one window
                self.cache[(old.uid, j)] = None
                continue
            routes[k] = new
            unrouted.discard(j)
            keep.remove(j)
            candidates = keep

    # -- destroy ----------------------------------------------------------------------------
    def destroy(self, routes: list[Route], unrouted: set[int], k: int, operator: int) -> None:
        cp = self.cp
        rng = self.rng
        n_visits = cp.n_visits
        routed = [node for route in routes for node in route.nodes[1:-1] if node < n_visits]
        if not routed:
            return
        k = min(k, len(routed))
        remove: set[int]
        if operator == 0:
            remove = set(rng.sample(routed, k))
        elif operator == 1:
            remove = set()
            order = [r for r in range(len(routes)) if len(routes[r].nodes) > 2]
            rng.shuffle(order)
            for r in order[: max(1, rng.randint(1, len(order)))]:
                inner = routes[r].nodes[1:-1]
                length = min(len(inner), max(1, k // max(1, len(order))))
                first = rng.randrange(0, len(inner) - length + 1)
                remove.update(n for n in inner[first : first + length] if n < n_visits)
        elif operator == 2:
            seed = rng.choice(routed)
            when: dict[int, int] = {}
            for route in routes:
                for i, node in enumerate(route.nodes):
                    when[node] = route.start[i]
            T = cp.travel
            ls = cp.loc[seed]
            ranked = sorted(
                routed,
                key=lambda n: T[ls][cp.loc[n]] + abs(when[n] - when[seed]) * 0.5,
            )
            remove = set()
            while len(remove) < k:
                index = int(len(ranked) * rng.random() ** 3)
                remove.add(ranked[index])
                ranked.pop(index)
        else:
            saving: list[tuple[float, int]] = []
            for route in routes:
                nodes = route.nodes
                for i in range(1, len(nodes) - 1):
                    node = nodes[i]
                    if node >= n_visits:
                        continue
                    gained = route.arr[i + 1] - route.start[i - 1] - cp.service[nodes[i - 1]]
                    saving.append((self.weight[node] / (gained + 1.0), node))
            saving.sort()
            remove = set()
            while len(remove) < k and saving:
                index = int(len(saving) * rng.random() ** 4)
                remove.add(saving.pop(index)[1])
        move_break = rng.random() < 0.2
        for r, route in enumerate(routes):
            if not any(n in remove for n in route.nodes):
                continue
            kept = [n for n in route.nodes if n not in remove]
            breaks = [n for n in kept if self.is_break[n]] if move_break else []
            if breaks:
                kept = [n for n in kept if not self.is_break[n]]
            new = schedule_route(cp, route.team, kept)
            if new is not None and breaks:
                new = self.place_break(new, breaks[0])
            if new is None:
                continue  # removal broke the timetable (no triangle inequality): keep route
            routes[r] = new
            unrouted.update(n for n in route.nodes if n in remove)

    def place_break(self, route: Route, brk: int) -> Route | None:
        best: Route | None = None
        for pos in range(1, len(route.nodes)):
            candidate = schedule_route(
                self.cp, route.team, [*route.nodes[:pos], brk, *route.nodes[pos:]]
            )
            if candidate is not None and (
                best is None
                or candidate.travel < best.travel
                or (candidate.travel == best.travel and candidate.start[-1] < best.start[-1])
            ):
                best = candidate
        return best

    # -- polish -----------------------------------------------------------------------------
    def polish(self, routes: list[Route]) -> list[Route]:
        """Move single stops within each route while that cuts travel (keeps every visit)."""
        cp = self.cp
        result = []
        for route in routes:
            improved = True
            while improved and not self.budget.expired():
                improved = False
                nodes = route.nodes
                for i in range(1, len(nodes) - 1):
                    if self.budget.expired():
                        break
                    base = nodes[:i] + nodes[i + 1 :]
                    for pos in range(1, len(base)):
                        if pos == i:
                            continue
                        trial = schedule_route(cp, route.team, [*base[:pos], nodes[i], *base[pos:]])
                        if trial is not None and trial.travel < route.travel:
                            route = trial
                            improved = True
                            break
                    if improved:
                        break
            result.append(route)
        return result


def _initial_routes(cp: CompiledProblem) -> list[Route]:
    routes = []
    for k in range(cp.n_teams):
        nodes = [cp.start_node[k]]
        if cp.break_node[k] >= 0:
            nodes.append(cp.break_node[k])
        nodes.append(cp.end_node[k])
        route = schedule_route(cp, k, nodes)
        if route is None:
            raise ValueError(f"team {k} cannot fit its break inside its shift")
        routes.append(route)
    return routes


def _weighted_target(cp: CompiledProblem, target: float, weight: list[float]) -> float:
    """The bound on priority, in the search's weights: mandatory visits carry a bonus, but
    only those some team could make at all count (else the search could never stop early)."""
    possible = makeable(cp)
    return target + sum(weight[j] - cp.profit[j] for j in range(cp.n_visits) if possible[j])


def search_routes(
    cp: CompiledProblem,
    *,
    budget: Budget,
    seed: int,
    work_budget: int | None = None,
    initial: list[list[int]] | None = None,
    target: float | None = None,
    route_pool: dict[tuple[int, ...], None] | None = None,
) -> SearchOutcome:
    """Search for a plan that maximises total priority, then minimises travel.

    Parameters
    ----------
    cp : CompiledProblem
        The problem, from :func:`provide.core.planning.compiled.compile_problem`.
    budget : Budget
        Hard cap on time: the search (and its polish) stop when it runs out.
    seed : int
        Seed of the pseudo-random generator; with the same seed and a work budget that ends
        before the time budget, the answer is identical.
    work_budget : int or None
        Insertion evaluations to spend; default ``WORK_PER_SECOND`` per second of ``budget``
        left.
    initial : list of list of int or None
        A starting plan (node lists per team), e.g. a previous plan when re-planning.
    target : float or None
        A proven upper bound on total priority; the search stops as soon as it reaches it.
    route_pool : dict or None
        If given, every route of every plan the search accepts is added to it (as a node
        tuple, in first-seen order), for column generation to start from.

    Returns
    -------
    SearchOutcome
        The best plan found, as node lists per team.

    Raises
    ------
    ValueError
        If a team's break cannot be taken inside its shift.
    """
    began = budget.clock()
    work = work_budget if work_budget is not None else int(budget.remaining() * WORK_PER_SECOND)
    search = _Search(cp, random.Random(seed), budget)
    rng = search.rng
    routes = _initial_routes(cp)
    if initial is not None:
        for k, nodes in enumerate(initial):
            candidate = schedule_route(cp, k, list(nodes))
            if candidate is not None:
                routes[k] = candidate
    used = {n for route in routes for n in route.nodes}
    unrouted = {j for j in search.routable if j not in used}
    search.repair(routes, unrouted, 2.0, 0.0)
    current, current_unrouted = list(routes), set(unrouted)
    n_visits = cp.n_visits
    weight = search.weight
    current_value = search.value(current, weight, n_visits)
    best, best_value = list(current), current_value
    mean_profit = (sum(cp.profit) / max(1, n_visits)) or 1.0
    t_start, t_end = TEMPERATURE_START * mean_profit, TEMPERATURE_END * mean_profit
    iterations = 0
    since_best = 0
    clock = False
    goal = math.inf if target is None else _weighted_target(cp, target, weight)
    # With no visit in the plan, destroying removes nothing and repairing inserts what it
    # could not insert before: no iteration could change the plan.
    stuck = not any(n < n_visits for route in current for n in route.nodes)
    while not stuck and search.work < work and best_value[0] < goal - 1e-9:
        if budget.expired():
            clock = True
            break
        iterations += 1
        progress = search.work / work
        temperature = t_start * (t_end / t_start) ** progress
        routes = list(current)
        unrouted = set(current_unrouted)
        n_routed = sum(len(r.nodes) - 2 for r in routes)
        k = rng.randint(1, max(4, min(40, int(REMOVE_FRACTION * n_routed) + 1)))
        search.destroy(routes, unrouted, k, rng.randrange(4))
        alpha = rng.choice((1.0, 1.5, 2.0, 3.0))
        search.repair(routes, unrouted, alpha, rng.choice((0.0, 0.1, 0.3, 0.6)))
        value = search.value(routes, weight, n_visits)
        delta = value[0] - current_value[0]
        if (
            delta > 1e-9
            or (delta > -1e-9 and value[1] <= current_value[1])
            or rng.random() < math.exp(min(0.0, delta) / temperature)
        ):
            current, current_unrouted, current_value = routes, unrouted, value
            if route_pool is not None:
                for route in routes:
                    route_pool.setdefault(tuple(route.nodes))
        if value[0] > best_value[0] + 1e-9 or (
            value[0] > best_value[0] - 1e-9 and value[1] < best_value[1]
        ):
            best, best_value = list(routes), value
            since_best = 0
        else:
            since_best += 1
            if since_best > RESTART_AFTER:
                since_best = 0
                current, current_value = list(best), best_value
                current_unrouted = {
                    j for j in search.routable if j not in {n for r in best for n in r.nodes}
                }
    best = search.polish(best)
    return SearchOutcome(
        routes=[list(route.nodes) for route in best],
        iterations=iterations,
        work=search.work,
        seconds=budget.clock() - began,
        stopped_by_clock=clock,
    )
