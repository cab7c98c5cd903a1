"""Route-based bound and plan by column generation (for realistic problem sizes).

The planning problem is a choice, for each team, of one route, no visit made twice. Its
linear relaxation over routes ("set packing": each visit covered at most once, each team at
most one route, routes taken fractionally) is much tighter than any relaxation over single
arcs, because the hard part (timetables, windows, the break, the end of the shift) lives
inside the routes. It has far too many routes to write down, so they are generated as
needed (column generation; Desrosiers and Lübbecke 2005):

1. **Master.** The relaxation over the routes found so far (solved by GLOP,
   :class:`provide.core.planning.lp_bound.IncrementalMasterLP`) gives dual prices:
   ``price_j`` per visit, ``price_g`` per group of identical teams
   (:mod:`provide.core.planning.team_groups`).
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
5. **Closing the gap** (:func:`close_gap`): the routes that could beat the best plan are
   enumerated and packed (:func:`provide.core.planning.packing.packing_ip`).

Every step runs within the :class:`~provide.core.planning.budget.Budget` of its phase.

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
from dataclasses import dataclass, field

from provide.core.planning.budget import (
    MASTER_IP_SECONDS,
    MIN_SOLVER_SECONDS,
    PRICING_RESERVE_SECONDS,
    Budget,
)
from provide.core.planning.compiled import CompiledProblem
from provide.core.planning.cpsat import master_ip
from provide.core.planning.lp_bound import IncrementalMasterLP
from provide.core.planning.packing import packing_ip
from provide.core.planning.pricing import PricingOutcome, best_routes, enumerate_visit_sets
from provide.core.planning.search import schedule_route
from provide.core.planning.team_groups import Column, TeamGroup, for_team, plan_of, team_groups

__all__ = [
    "ColumnOutcome",
    "close_gap",
    "drivable_route",
    "generate_columns",
]

BREADTHS = (6, 12, 30)
"""Heuristic pricing widens through these breadths before exact pricing is tried."""

MEMORY = 8
"""ng-route memory of exact pricing (visits remembered at each visit)."""

ROUTES_PER_PRICING = 10
"""Routes each pricing call may add to the master."""

POOL_ROUTES = 400
"""At most this many routes from the pool (the latest) start the master."""

ENUMERATION_MOST = 60_000
"""Closing the gap gives up when a group has more candidate routes than this: CBC needs
about 1.5 s to pack 30,000, and turning a few hundred thousand into Python sets took long
enough to overrun a 5-second plan."""

CLOSING_ROUNDS = 30
"""...or when this many packings have each chosen a set no team can drive."""

FIRST_SLACK = 0.5
"""Closing first enumerates the routes within this much of the best (a quick look for a
better plan) when the full slack is larger."""


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
    proven: bool = False
    """``routes`` are proven best (by closing the gap, see :func:`close_gap`)."""


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
    budget: Budget,
    pool: list[tuple[int, ...]] | None = None,
    target: float | None = None,
    closing: Budget | None = None,
) -> ColumnOutcome:
    """Bound the best total priority, and look for a better plan, by column generation.

    Parameters
    ----------
    cp : CompiledProblem
    initial : list of list of int
        A feasible plan (node lists per team); its routes are the first columns.
    budget : Budget
        The column phase: heuristic pricing stops ``PRICING_RESERVE_SECONDS`` before its
        end, exact pricing ``MASTER_IP_SECONDS`` before it, and the master LP (GLOP) and
        master IP (CP-SAT) run within it.
    pool : list of tuple of int or None
        More feasible routes (node tuples of any team, e.g. from the search) to start from.
    target : float or None
        Stop as soon as the bound is at most this (e.g. the best plan's priority).
    closing : Budget or None
        If given, and the bound is above the best plan, the gap is closed within it by
        :func:`close_gap` (the master IP then gets at most ``2 * MASTER_IP_SECONDS``).

    Returns
    -------
    ColumnOutcome
    """
    began = budget.clock()
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
    heuristic = budget.keeping(PRICING_RESERVE_SECONDS)  # heuristic pricing
    exact_pricing = budget.keeping(MASTER_IP_SECONDS)
    master_lp = IncrementalMasterLP()

    def price(
        g: int,
        reduced: dict[int, float],
        *,
        exact: bool,
        floor: float,
        within: Budget,
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
            budget=within,
        )
        return out, sum(columns.add(g, route.nodes) for route in out.routes)

    duals: _Duals | None = None  # the prices that gave the best bound

    def lagrangian(
        prices: list[float],
        reduced: dict[int, float],
        group_prices: list[float],
    ) -> None:
        nonlocal duals
        total = sum(prices)
        best_of_group = []
        for g, group in enumerate(groups):
            out, _ = price(
                g,
                reduced,
                exact=True,
                floor=max(0.0, group_prices[g]),
                within=exact_pricing,
            )
            if out.bound is None:  # pragma: no cover - exact pricing always bounds
                return
            best_of_group.append(max(0.0, out.bound))
            total += len(group.teams) * max(0.0, out.bound)
        if duals is None or total < duals.value:
            duals = _Duals(total, reduced, best_of_group)
        tighten(total)

    def tighten(value: float) -> None:
        nonlocal bound
        if integral:
            value = float(math.floor(value + 1e-6))
        if bound is None or value < bound:
            bound = value

    ng_converged = False  # then only elementary routes are priced, by the heuristic
    while True:
        iterations += 1
        master = master_lp(cp, groups, columns.columns, budget)
        if master is None:  # GLOP ran out of time: keep the bound proven so far
            break
        relaxation = master.value
        prices = [max(0.0, p) for p in master.visit_prices]
        group_prices = master.group_prices
        reduced = {j: cp.profit[j] - prices[j] for j in range(cp.n_visits)}
        short = heuristic.expired()
        added = 0
        if not short:
            for breadth in BREADTHS:
                for g in range(len(groups)):
                    added += price(
                        g,
                        reduced,
                        exact=False,
                        floor=group_prices[g] + 1e-6,
                        within=heuristic,
                        breadth=breadth,
                    )[1]
                if added or heuristic.expired():
                    break
        if added:
            continue
        if ng_converged:
            # The bound stays the ng-route one: exact elementary pricing is too slow to
            # pay for itself (measured: it ran out of time on 60-visit problems).
            converged = True
            break
        # The heuristic found nothing (or time is short): prove a bound at these prices.
        before = len(columns.columns)
        lagrangian(prices, reduced, group_prices)
        if len(columns.columns) == before and not short:
            if not heuristic.expired():
                # Converged over ng-routes. Routes repeating a visit belong to that
                # relaxation only; drop them and go on with elementary routes found by the
                # heuristic, which tighten the relaxation and give the plan more routes.
                ng_converged = True
                columns.columns = [
                    c for c in columns.columns if all(times == 1 for _, times in c.visits)
                ]
                notes.append(f"ng-routes converged, bound {bound}")
                continue
            converged = True
        if (
            converged
            or short
            or heuristic.expired()
            or (target is not None and bound is not None and bound <= target + 1e-9)
        ):
            break
    # Closing the gap also finds plans: keep time for it.
    routes = master_ip(
        cp,
        groups,
        columns.columns,
        budget,
        most_seconds=None if closing is None else 2 * MASTER_IP_SECONDS,
    )
    proven = False
    incumbent = max(
        (plan for plan in (initial, routes) if plan is not None),
        key=lambda plan: _priority(cp, plan),
    )
    value = _priority(cp, incumbent)
    if (
        closing is not None
        and integral
        and duals is not None
        and bound is not None
        and bound > value + 1e-9
        and _makes_every_mandatory(cp, incumbent)
    ):
        closed = close_gap(cp, groups, duals, value, closing)
        notes.append(closed.note)
        if closed.routes is not None:
            routes = closed.routes
        if closed.bound is not None:
            bound = min(bound, closed.bound)
            proven = True
    notes.append(
        f"column generation: {iterations} rounds, {len(columns.columns)} routes, "
        f"relaxation {relaxation:.2f}, {budget.clock() - began:.2f} s"
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
        proven=proven,
    )


@dataclass(frozen=True)
class _Duals:
    """A Lagrangian bound and what it came from: reduced priority per visit and, per
    group, the best reduced priority of any of its routes (at least 0)."""

    value: float
    reduced: dict[int, float]
    best_of_group: list[float]


@dataclass(frozen=True)
class _Closed:
    routes: list[list[int]] | None
    bound: float | None
    note: str


def _priority(cp: CompiledProblem, plan: list[list[int]]) -> float:
    return sum(cp.profit[n] for nodes in plan for n in nodes if n < cp.n_visits)


def _makes_every_mandatory(cp: CompiledProblem, plan: list[list[int]]) -> bool:
    made = {n for nodes in plan for n in nodes if n < cp.n_visits}
    return all(j in made for j in range(cp.n_visits) if cp.mandatory[j])


def close_gap(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    duals: _Duals,
    incumbent: float,
    budget: Budget,
) -> _Closed:
    """Prove the best plan, or find it, by enumerating the routes that could beat the
    incumbent (Baldacci, Christofides and Mingozzi 2008).

    With whole priorities a better plan is worth at least ``incumbent + 1``. The Lagrangian
    bound ``D = sum_j price_j + sum_g teams_g * best_g`` exceeds the worth of any plan by
    at least ``best_g - reduced(route)`` for each of its routes, so every route of a better
    plan has reduced priority at least ``best_g - slack`` with
    ``slack = D - incumbent - 1``. When the bound is close, those routes are few: they are
    all enumerated (compiled labelling, relaxed rules, so none is missed), and the packing
    (:func:`.packing.packing_ip`) picks the best choice worth at least ``incumbent + 1`` —
    none means the incumbent is the best. A chosen set no team can drive (:func:`drivable_route`; the relaxed rules allow a
    few) is dropped and the packing solved again.

    The enumerations and packings (:func:`.packing.packing_ip`) run within ``budget``.
    Returns a plan (if a better one was found and proven), the proven bound (the proven
    optimum's worth), or neither (out of time or too many routes) and a note.

    References
    ----------
    .. [1] Baldacci, R., Christofides, N., Mingozzi, A. (2008). An exact algorithm for the
       vehicle routing problem based on the set partitioning formulation with additional
       cuts. *Mathematical Programming* 115(2), 351-385.
    """
    began = budget.clock()
    drivable: dict[tuple[int, frozenset[int]], list[int] | None] = {}
    improved: list[list[int]] | None = None
    enumerated: dict[int, tuple[float, list[frozenset[int]]]] = {}  # group: (threshold, sets)
    visits_of = [frozenset(group.network.visits) for group in groups]
    family: dict[int, list[int]] = {}  # parent group: the groups it enumerates for
    for g, group in enumerate(groups):
        parent = max(
            (
                h
                for h, other in enumerate(groups)
                if other.rules == group.rules and visits_of[g] <= visits_of[h]
            ),
            key=lambda h: (len(visits_of[h]), -h),
        )
        family.setdefault(parent, []).append(g)
    first = True
    while True:
        slack = duals.value - incumbent - 1.0
        if slack < -1e-9:  # a better plan found on the way brought the bound down to it
            return _Closed(
                improved, incumbent, _closing_note("a better plan proven best", budget, began)
            )
        # A first look with a small slack is cheap and often finds a better plan, which
        # shrinks the slack of the full enumeration.
        trial = min(slack, FIRST_SLACK) if first else slack
        complete = trial >= slack
        thresholds = [best - trial - 1e-6 for best in duals.best_of_group]
        sets: list[tuple[int, frozenset[int]]] = []
        for parent, members in family.items():
            # One enumeration serves the parent and the groups whose visits it includes.
            threshold = min(thresholds[g] for g in members)
            if parent in enumerated and enumerated[parent][0] <= threshold:
                found = enumerated[parent][1]  # a wider look already listed these
            else:
                listed = enumerate_visit_sets(
                    groups[parent].network,
                    duals.reduced,
                    threshold=threshold,
                    best=duals.best_of_group[parent],
                    most=ENUMERATION_MOST,
                    budget=budget,
                )
                if listed is None:
                    return _Closed(
                        improved, None, "closing: too many candidate routes or out of time"
                    )
                found = sorted(listed, key=sorted)
                enumerated[parent] = (threshold, found)
                if budget.expired():
                    return _Closed(improved, None, "closing: out of time")
            for g in members:
                allowed = visits_of[g]
                sets.extend(
                    (g, visits)
                    for visits in found
                    if visits
                    and visits <= allowed
                    and sum(duals.reduced[j] for j in visits) >= thresholds[g]
                )
        status, plan = _best_packing(cp, groups, sets, incumbent + 1.0, budget, drivable)
        if status == "better" and plan is not None:  # not proven the best of these: go on
            improved, incumbent = plan, _priority(cp, plan)
            continue
        if status == "plan" and plan is not None:
            improved, incumbent = plan, _priority(cp, plan)
            if complete:
                return _Closed(
                    improved,
                    incumbent,
                    _closing_note(
                        f"{len(sets)} candidate routes, a better plan proven best", budget, began
                    ),
                )
            continue
        if status == "infeasible" and complete:
            return _Closed(
                improved,
                incumbent,
                _closing_note(f"{len(sets)} candidate routes, none beats the plan", budget, began),
            )
        if status == "unknown" or complete:
            return _Closed(improved, None, "closing: out of time")
        first = False


def _closing_note(what: str, budget: Budget, began: float) -> str:
    return f"closing: {what} ({budget.clock() - began:.2f} s)"


def _best_packing(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    sets: list[tuple[int, frozenset[int]]],
    at_least: float,
    budget: Budget,
    drivable: dict[tuple[int, frozenset[int]], list[int] | None],
) -> tuple[str, list[list[int]] | None]:
    """The best plan made of ``sets`` worth ``at_least``: ("plan", plan), ("infeasible",
    None) if there is none, ("better", plan) for one worth that much but not proven the
    best when time ran out, or ("unknown", None)."""
    for _ in range(CLOSING_ROUNDS):
        if budget.remaining() < MIN_SOLVER_SECONDS:
            break
        status, picked = packing_ip(cp, groups, sets, at_least, budget.rest(), any(cp.mandatory))
        if status == "infeasible":
            return "infeasible", None
        if status not in ("optimal", "feasible"):
            break
        for i in picked:
            if sets[i] not in drivable:
                drivable[sets[i]] = drivable_route(cp, groups[sets[i][0]].teams[0], sets[i][1])
        undrivable = {sets[i] for i in picked if drivable[sets[i]] is None}
        if undrivable:  # the relaxed rules allowed it; no team can really make it
            sets = [item for item in sets if item not in undrivable]
            continue
        chosen = [(sets[i][0], drivable[sets[i]]) for i in picked]
        plan = plan_of(cp, groups, [(g, nodes) for g, nodes in chosen if nodes is not None])
        return ("plan" if status == "optimal" else "better"), plan
    return "unknown", None


def drivable_route(cp: CompiledProblem, k: int, visits: frozenset[int]) -> list[int] | None:
    """Nodes of a route by which team ``k`` makes exactly ``visits`` (break included), or
    None if no order works.

    Dynamic programming over (visits made, last visit, break taken), keeping the earliest
    time the team is ready: starting every stop as early as possible is never worse, so the
    earliest time is the only one worth keeping and the answer is exact.
    """
    order = sorted(visits)
    s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
    T, loc, svc = cp.travel, cp.loc, cp.service

    def start_at(node: int, arrive: int) -> int | None:
        for ws, we in cp.windows[node]:
            if arrive <= we:
                return ws if ws > arrive else arrive
        return None

    State = tuple[int, int, bool]  # visits made (mask over order), last (-1: base), break
    best: dict[State, tuple[int, State | None, int]] = {
        (0, -1, brk < 0): (cp.windows[s][0][0], None, s)
    }
    levels: list[list[State]] = [[] for _ in range(len(order) + 2)]
    levels[0].append((0, -1, brk < 0))
    full = (1 << len(order)) - 1
    finish: tuple[State, int] | None = None
    for level in levels:
        for state in level:
            mask, last, taken = state
            ready = best[state][0]
            here = loc[s] if last < 0 else loc[order[last]]
            moves: list[tuple[State, int, int]] = []
            if not taken:
                begin = start_at(brk, ready)
                if begin is not None:
                    moves.append(((mask, last, True), begin + svc[brk], brk))
            for i, j in enumerate(order):
                if mask >> i & 1:
                    continue
                begin = start_at(j, ready + T[here][loc[j]])
                if begin is not None:
                    moves.append(((mask | 1 << i, i, taken), begin + svc[j], j))
            for nxt, time_ready, node in moves:
                if nxt not in best:
                    levels[bin(nxt[0]).count("1") + (nxt[2] and brk >= 0)].append(nxt)
                if nxt not in best or time_ready < best[nxt][0]:
                    best[nxt] = (time_ready, state, node)
            if (
                mask == full
                and taken
                and start_at(e, ready + T[here][loc[e]]) is not None
                and (finish is None or ready < finish[1])
            ):
                finish = (state, ready)
    if finish is None:
        return None
    nodes = [e]
    at: State | None = finish[0]
    while at is not None:
        _, parent, node = best[at]
        nodes.append(node)
        at = parent
    nodes.reverse()
    return nodes
