"""Route-based bound and plan by column generation (for realistic problem sizes).

The planning problem is a choice, for each team, of one route, no visit made twice. Its
linear relaxation over routes ("set packing": each visit covered at most once, each team at
most one route, routes taken fractionally) is much tighter than any relaxation over single
arcs, because the hard part (timetables, windows, the break, the end of the shift) lives
inside the routes. It has far too many routes to write down, so they are generated as
needed (column generation; Desrosiers and Lübbecke 2005):

1. **Master.** The relaxation over the routes found so far (solved by
   :func:`provide.core.planning.cpsat.master_lp`) gives dual prices: ``price_j`` per visit,
   ``price_g`` per group of identical teams.
2. **Pricing** (:mod:`provide.core.planning.pricing`). For each group, routes whose
   *reduced priority* ``sum (priority_j - price_j)`` beats ``price_g`` improve the master; a
   fast heuristic looks for them first, widening before it gives up.
3. **Bound.** When the heuristic finds nothing (or time is short), exact pricing over
   ng-routes gives, for every group, a bound on the best reduced priority of any route. For
   *any* non-negative prices, ``sum_j price_j + sum_g teams_g * max(0, best_g)`` bounds the
   total priority of every plan (Lagrangian bound), so the result holds even if the method
   has not converged.
4. **Plan.** The best combination of the generated routes (an integer programme solved by
   :func:`provide.core.planning.cpsat.master_ip`) is often a better plan than the search's.

Teams with the same base, shift, break and visits they may make are one group: their routes
are the same, so one pricing serves all of them.

References
----------
.. [1] Desrosiers, J., Lübbecke, M.E. (2005). A primer in column generation. In *Column
   Generation*, Springer, 1-32.
.. [2] Boussier, S., Feillet, D., Gendreau, M. (2007). An exact algorithm for team
   orienteering problems. *4OR* 5(3), 211-230.
.. [3] Baldacci, R., Mingozzi, A., Roberti, R. (2011). New route relaxation and pricing
   strategies for the vehicle routing problem. *Operations Research* 59(5), 1269-1283.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from provide.core.planning.compiled import FLOATING, CompiledProblem
from provide.core.planning.pricing import PricingOutcome, TeamNetwork, best_routes, team_network
from provide.core.planning.relaxation import may_make, shortest_paths
from provide.core.planning.search import schedule_route

__all__ = ["Column", "ColumnOutcome", "MasterIP", "MasterLP", "TeamGroup", "generate_columns"]

BREADTHS = (6, 12, 30)
"""Heuristic pricing widens through these breadths before exact pricing is tried."""

MEMORY = 8
"""ng-route memory of exact pricing (visits remembered at each visit)."""

ROUTES_PER_PRICING = 10
"""Routes each pricing call may add to the master."""

POOL_ROUTES = 400
"""At most this many routes from the pool (the latest) start the master."""

IP_SECONDS = 0.3
"""Seconds kept for the integer programme over the columns."""


@dataclass(frozen=True)
class TeamGroup:
    """Teams with identical routes: ``teams[0]``'s network serves all of them."""

    teams: tuple[int, ...]
    network: TeamNetwork


@dataclass(frozen=True)
class Column:
    """A route of a group: how often it makes each visit, its priority and its nodes."""

    group: int
    visits: tuple[tuple[int, int], ...]
    """``(visit node, times)`` pairs; times is 1 except on repeating (ng) routes."""
    priority: float
    nodes: tuple[int, ...]
    elementary: bool


MasterLP = Callable[[CompiledProblem, list[TeamGroup], list[Column]], tuple[float, list[float], list[float]]]
"""Solve the master relaxation: (value, price per visit, price per group)."""

MasterIP = Callable[
    [CompiledProblem, list[TeamGroup], list[Column], float], list[list[int]] | None
]
"""Best plan from the columns (node lists per team), within the given seconds, or None."""


@dataclass
class ColumnOutcome:
    """What column generation found: a bound (None if none was proven) and maybe a plan."""

    bound: float | None
    routes: list[list[int]] | None
    relaxation: float | None
    iterations: int
    columns: int
    converged: bool
    notes: list[str] = field(default_factory=list)


def team_groups(cp: CompiledProblem) -> list[TeamGroup]:
    """Group identical teams and build each group's pricing network."""
    shortest = shortest_paths(cp.travel)
    by_signature: dict[tuple[object, ...], list[tuple[int, list[int]]]] = {}
    for k in range(cp.n_teams):
        s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
        visits = [j for j in range(cp.n_visits) if k in cp.eligible[j] and may_make(cp, k, j, shortest)]
        signature = (
            cp.loc[s],
            cp.loc[e],
            cp.windows[s],
            cp.windows[e],
            cp.windows[brk] if brk >= 0 else None,
            cp.service[brk] if brk >= 0 else 0,
            tuple(visits),
        )
        by_signature.setdefault(signature, []).append((k, visits))
    groups = []
    for members in by_signature.values():
        k, visits = members[0]
        groups.append(
            TeamGroup(
                teams=tuple(m[0] for m in members),
                network=team_network(cp, k, visits, shortest),
            )
        )
    return groups


def for_team(cp: CompiledProblem, nodes: tuple[int, ...] | list[int], k: int) -> list[int]:
    """The same route driven by team ``k`` (its own start, break and end nodes)."""
    route = [cp.start_node[k]]
    for n in nodes[1:-1]:
        route.append(cp.break_node[k] if cp.loc[n] == FLOATING else n)
    route.append(cp.end_node[k])
    return route


class _Columns:
    def __init__(self, cp: CompiledProblem, groups: list[TeamGroup]) -> None:
        self.cp = cp
        self.groups = groups
        self.columns: list[Column] = []
        self.seen: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
        self.group_of_team = {k: g for g, group in enumerate(groups) for k in group.teams}

    def add(self, group: int, nodes: tuple[int, ...] | list[int]) -> bool:
        cp = self.cp
        counts: dict[int, int] = {}
        for n in nodes:
            if n < cp.n_visits:
                counts[n] = counts.get(n, 0) + 1
        visits = tuple(sorted(counts.items()))
        if (group, visits) in self.seen:
            return False
        self.seen.add((group, visits))
        elementary = all(times == 1 for _, times in visits)
        team = self.groups[group].teams[0]
        if elementary and schedule_route(cp, team, for_team(cp, nodes, team)) is None:
            elementary = False  # only feasible with shortest-path travel: bound use only
        self.columns.append(
            Column(
                group=group,
                visits=visits,
                priority=sum(cp.profit[j] * times for j, times in visits),
                nodes=tuple(nodes),
                elementary=elementary,
            )
        )
        return True


def generate_columns(
    cp: CompiledProblem,
    *,
    initial: list[list[int]],
    deadline: float,
    pool: list[tuple[int, ...]] | None = None,
    master_lp: MasterLP,
    master_ip: MasterIP,
    target: float | None = None,
    reserve: float = 0.6,
) -> ColumnOutcome:
    """Bound the best total priority, and look for a better plan, by column generation.

    Parameters
    ----------
    cp : CompiledProblem
    initial : list of list of int
        A feasible plan (node lists per team); its routes are the first columns.
    pool : list of tuple of int or None
        More feasible routes (node tuples of any team, e.g. from the search) to start from.
    deadline : float
        ``time.monotonic()`` value by which to have finished.
    master_lp, master_ip : callables
        The master solvers (:func:`provide.core.planning.cpsat.master_lp` and ``master_ip``).
    target : float or None
        Stop as soon as the bound is at most this (e.g. the best plan's priority).
    reserve : float
        Seconds kept back for the last exact pricing and the integer programme.

    Returns
    -------
    ColumnOutcome
    """
    began = time.monotonic()
    groups = team_groups(cp)
    columns = _Columns(cp, groups)
    for k, plan_route in enumerate(initial):
        columns.add(columns.group_of_team[k], plan_route)
    for nodes in (pool or [])[-POOL_ROUTES:]:
        team = cp.team_of_node(nodes[0])
        if team >= 0:
            columns.add(columns.group_of_team[team], nodes)
    integral = all(float(p).is_integer() for p in cp.profit)
    bound: float | None = None
    relaxation: float | None = None
    iterations = 0
    converged = False
    notes: list[str] = []

    def price(
        g: int,
        reduced: dict[int, float],
        *,
        exact: bool,
        floor: float,
        until: float,
        breadth: int = BREADTHS[-1],
    ) -> tuple[PricingOutcome, int]:
        """Price group ``g`` and add the routes found; returns the outcome and how many were new."""
        out = best_routes(
            cp,
            groups[g].network,
            reduced,
            exact=exact,
            floor=floor,
            keep=ROUTES_PER_PRICING,
            breadth=breadth,
            memory=MEMORY if exact else None,
            deadline=until,
        )
        return out, sum(columns.add(g, route.nodes) for route in out.routes)

    def lagrangian(
        prices: list[float], reduced: dict[int, float], group_prices: list[float], until: float
    ) -> float | None:
        total = sum(prices)
        for g, group in enumerate(groups):
            out, _ = price(
                g, reduced, exact=True, floor=max(0.0, group_prices[g]), until=until
            )
            if out.bound is None:  # pragma: no cover - exact pricing always bounds
                return None
            total += len(group.teams) * max(0.0, out.bound)
        return total

    def tighten(value: float | None) -> None:
        nonlocal bound
        if value is None:
            return
        if integral:
            value = float(math.floor(value + 1e-6))
        if bound is None or value < bound:
            bound = value

    while True:
        iterations += 1
        relaxation, prices, group_prices = master_lp(cp, groups, columns.columns)
        prices = [max(0.0, p) for p in prices]
        reduced = {j: cp.profit[j] - prices[j] for j in range(cp.n_visits)}
        short = deadline - time.monotonic() < reserve
        added = 0
        if not short:
            for breadth in BREADTHS:
                for g in range(len(groups)):
                    added += price(
                        g,
                        reduced,
                        exact=False,
                        floor=group_prices[g] + 1e-6,
                        until=deadline - reserve,
                        breadth=breadth,
                    )[1]
                if added or time.monotonic() > deadline - reserve:
                    break
        if added:
            continue
        # The heuristic found nothing (or time is short): prove a bound at these prices.
        before = len(columns.columns)
        tighten(lagrangian(prices, reduced, group_prices, deadline - IP_SECONDS))
        if len(columns.columns) == before and not short:
            converged = True
        if (
            converged
            or short
            or time.monotonic() > deadline - reserve
            or (target is not None and bound is not None and bound <= target + 1e-9)
        ):
            break
    routes = master_ip(cp, groups, columns.columns, max(0.05, deadline - time.monotonic()))
    notes.append(
        f"column generation: {iterations} rounds, {len(columns.columns)} routes, "
        f"relaxation {relaxation:.2f}, {time.monotonic() - began:.2f} s"
        if relaxation is not None
        else "column generation: no relaxation"
    )
    return ColumnOutcome(
        bound=bound,
        routes=routes,
        relaxation=relaxation,
        iterations=iterations,
        columns=len(columns.columns),
        converged=converged,
        notes=notes,
    )
