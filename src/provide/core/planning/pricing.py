"""Pricing for the route-based bound: one team's most valuable route under dual prices.

The route-based (set-packing) relaxation of the planning problem chooses, for each team, a
mix of whole routes, each visit covered at most once. Column generation
(:func:`provide.core.planning.columns.generate_columns`) needs, for given *reduced priorities*
``r_j = priority_j - price_j``, the feasible route of one team with the highest total ``r``
(an elementary shortest path problem with resource constraints). This module solves it with
a labelling algorithm:

* a label is a partial route from the team's base: the node it is at, when the team is ready
  to leave, the reduced priority collected, the visits it may no longer make (made, or out
  of reach in time: Feillet et al. 2004), and whether the break has been taken;
* labels are extended in order of time to every visit that can still be made, starting in
  one of its windows, with the break still fitting and the team back by the end of its
  shift. The break is *relaxed*: it may start anywhere on a leg or while waiting, inside its
  interval, whereas the planner takes it where the team is, straight after a stop (as in
  :func:`provide.core.planning.search.schedule_route`); so every route the planner can drive
  is priced, and a priced route may need checking before it is driven;
* a label is dropped when another at the same place is ready no later, has collected no less,
  has the break no less done and may make every visit it may make (dominance), or when even
  collecting every visit still open to it could not beat the best route found (bounding).

Only visits with positive ``r`` are considered: travel times here are shortest paths (they
obey the triangle inequality), so leaving out a visit never makes a team later, and a visit
with ``r <= 0`` never raises a route's value. The shortest paths can only shorten legs, so
every route the planner could drive is among the routes considered: the result is a valid
upper bound even where the travel matrix itself breaks the triangle inequality.

*Heuristic* pricing ignores the visit sets in the dominance test, which keeps few labels and
finds good routes fast but may miss the best; *exact* pricing returns, besides the routes, an
upper bound on the best route's value that holds even if it runs out of time (the largest
value any unfinished label could still reach).

References
----------
.. [1] Feillet, D., Dejax, P., Gendreau, M., Gueguen, C. (2004). An exact algorithm for the
   elementary shortest path problem with resource constraints: application to some vehicle
   routing problems. *Networks* 44(3), 216-229.
.. [2] Boussier, S., Feillet, D., Gendreau, M. (2007). An exact algorithm for team
   orienteering problems. *4OR* 5(3), 211-230.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass

from provide.core.planning import native
from provide.core.planning.budget import Budget
from provide.core.planning.compiled import CompiledProblem

__all__ = [
    "PricedRoute",
    "PricingOutcome",
    "TeamNetwork",
    "best_routes",
    "enumerate_visit_sets",
    "team_network",
]

EPSILON = 1e-9


@dataclass(frozen=True)
class TeamNetwork:
    """What pricing needs to know about one team, with visits renumbered ``1..n``.

    Local place 0 is the team's base at the start, ``n + 1`` its base at the end; ``visits``
    maps local ``1..n`` to visit nodes.
    """

    team: int
    visits: tuple[int, ...]
    travel: tuple[tuple[int, ...], ...]
    service: tuple[int, ...]
    windows: tuple[tuple[tuple[int, int], ...], ...]
    latest_start: tuple[int, ...]
    shift_start: int
    shift_end: int
    break_window: tuple[int, int] | None
    break_minutes: int
    out_of_reach: tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
    """Per local place ``i``: thresholds (sorted) and masks; leaving ``i`` after
    ``thresholds[m]`` puts every visit in ``masks[m]`` out of reach."""


def team_network(
    cp: CompiledProblem, k: int, visits: list[int], shortest: list[list[int]]
) -> TeamNetwork:
    """Build team ``k``'s pricing network over ``visits`` (those it may make)."""
    s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
    shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
    places = [cp.loc[s], *(cp.loc[j] for j in visits), cp.loc[e]]
    travel = tuple(tuple(shortest[a][b] for b in places) for a in places)
    service = (0, *(cp.service[j] for j in visits), 0)
    windows = (
        ((shift_start, shift_start),),
        *(cp.windows[j] for j in visits),
        ((shift_end, shift_end),),
    )
    end = len(places) - 1
    latest = [shift_start] * len(places)
    for v in range(1, end):
        leave_by = shift_end - travel[v][end] - service[v]
        starts = [min(we, leave_by) for ws, we in windows[v] if ws <= leave_by]
        latest[v] = max(starts) if starts else -1
    latest[end] = shift_end
    out_of_reach = []
    for i in range(len(places)):
        pairs = sorted((latest[v] - travel[i][v], v) for v in range(1, end) if v != i)
        thresholds, masks, mask = [], [], 0
        for threshold, v in pairs:
            mask |= 1 << v
            thresholds.append(threshold)
            masks.append(mask)
        out_of_reach.append((tuple(thresholds), tuple(masks)))
    if brk >= 0:
        ((b_open, b_close),) = cp.windows[brk]
        break_window: tuple[int, int] | None = (b_open, b_close)
        break_minutes = cp.service[brk]
    else:
        break_window, break_minutes = None, 0
    return TeamNetwork(
        team=k,
        visits=tuple(visits),
        travel=travel,
        service=service,
        windows=windows,
        latest_start=tuple(latest),
        shift_start=shift_start,
        shift_end=shift_end,
        break_window=break_window,
        break_minutes=break_minutes,
        out_of_reach=tuple(out_of_reach),
    )


@dataclass(frozen=True)
class PricedRoute:
    """A route found by pricing: its value under the reduced priorities and its nodes.

    ``nodes`` are the team's start node, visits, end node, with the break node (if any) after
    the stop where the break is taken, ready for :func:`~.search.schedule_route`.
    """

    value: float
    nodes: tuple[int, ...]


@dataclass(frozen=True)
class PricingOutcome:
    """Best routes found (highest value first) and, for exact pricing, a bound on any route."""

    routes: tuple[PricedRoute, ...]
    bound: float | None
    labels: int
    finished: bool


class _Label:
    __slots__ = (
        "alive",
        "depth",
        "mask",
        "node",
        "open_value",
        "parent",
        "ready",
        "rest",
        "taken",
        "value",
    )

    def __init__(
        self,
        node: int,
        ready: int,
        value: float,
        mask: int,
        taken: bool,
        parent: _Label | None,
        rest: bool,
        open_value: float,
    ) -> None:
        self.node = node
        self.ready = ready
        self.value = value
        self.mask = mask
        self.taken = taken
        self.parent = parent
        self.rest = rest  # the break was taken on the leg into this label's place
        self.alive = True
        self.open_value = open_value  # most reduced priority it could still collect
        self.depth: int = 0 if parent is None else parent.depth + 1


@dataclass(frozen=True)
class Prepared:
    """What one pricing call works with, whichever implementation runs it.

    ``gain`` is the reduced priority per local place (0 where not considered), ``active``
    the places considered, ``closed`` a mask of every place not considered (they count as
    made), ``remember`` per place the ng-memory mask (-1: every visit), ``weight`` per place
    its service plus shortest leg in (for the completion bound) and ``density`` the active
    places by reduced priority per minute of weight, highest first.
    """

    gain: list[float]
    active: list[int]
    closed: int
    remember: list[int]
    weight: list[int]
    density: list[int]


def prepare(
    net: TeamNetwork,
    reduced: dict[int, float],
    *,
    exact: bool,
    memory: int | None,
    lowest: float = EPSILON,
) -> Prepared:
    """Turn dual prices into the arrays of one pricing call (visits worth more than
    ``lowest`` are considered; the completion bound counts only positive worth)."""
    n_places = len(net.travel)
    end = n_places - 1
    T = net.travel
    gain = [0.0] * n_places
    active = []
    for v in range(1, end):
        r = reduced.get(net.visits[v - 1], 0.0)
        if r > lowest and net.latest_start[v] >= 0:
            gain[v] = r
            active.append(v)
    closed = ~sum(1 << v for v in active)
    remember = [-1] * n_places
    if exact and memory is not None:
        for v in active:
            near = sorted(active, key=lambda u: T[v][u] + T[u][v])[: memory + 1]
            remember[v] = sum(1 << u for u in near) | (1 << v)
    weight = [0] * n_places
    for v in active:
        weight[v] = net.service[v] + min(T[u][v] for u in (0, *active) if u != v)
    positive = [v for v in active if gain[v] > EPSILON]
    density = sorted(positive, key=lambda v: -gain[v] / max(1, weight[v]))
    return Prepared(gain, active, closed, remember, weight, density)


def best_routes(
    cp: CompiledProblem,
    net: TeamNetwork,
    reduced: dict[int, float],
    *,
    exact: bool,
    floor: float = 0.0,
    keep: int = 10,
    breadth: int = 8,
    memory: int | None = None,
    budget: Budget | None = None,
    use_native: bool = True,
) -> PricingOutcome:
    """Find team routes of highest total reduced priority.

    Parameters
    ----------
    cp : CompiledProblem
    net : TeamNetwork
        From :func:`team_network`.
    reduced : dict of int to float
        Reduced priority per visit node; visits missing or ``<= 0`` are not considered.
    exact : bool
        Exact dominance (with a valid bound) or the fast heuristic.
    floor : float
        Only routes worth more than this are returned (and bounding starts from it).
    keep : int
        At most this many routes are returned.
    breadth : int
        Heuristic pricing extends each label only to this many visits (those that add most
        reduced priority per minute); exact pricing extends to all.
    memory : int or None
        Exact pricing remembers, at each visit, only whether the route has been to its
        ``memory`` nearest visits (ng-routes, Baldacci et al. 2011): routes may then repeat a
        visit, which only loosens the bound, and there are far fewer labels. None remembers
        every visit (elementary routes).
    budget : Budget or None
        Stop when it has run out (None: run to the end); the bound is still valid.
    use_native : bool
        Run the compiled labelling (:mod:`provide.core.planning.native`) when it is
        available; False runs this module's Python (the reference).

    Returns
    -------
    PricingOutcome
    """
    n_places = len(net.travel)
    end = n_places - 1
    T, svc, windows = net.travel, net.service, net.windows
    prepared = prepare(net, reduced, exact=exact, memory=memory)
    if use_native:
        answer = native.best_routes(
            net,
            prepared,
            exact=exact,
            floor=floor,
            keep=keep,
            breadth=breadth,
            deadline=budget.monotonic_deadline() if budget is not None else None,
        )
        if answer is not None:
            values, chains, bound, labels, finished = answer
            return PricingOutcome(
                routes=tuple(
                    PricedRoute(value=value, nodes=_chain_nodes(cp, net, places, rests, taken))
                    for value, (places, rests, taken) in zip(values, chains, strict=True)
                ),
                bound=bound,
                labels=labels,
                finished=finished,
            )
    gain, active, closed, remember = (
        prepared.gain,
        prepared.active,
        prepared.closed,
        prepared.remember,
    )
    shift_end = net.shift_end
    b_open, b_close = net.break_window or (0, -1)
    has_break = net.break_window is not None
    pause = net.break_minutes
    bag: list[list[_Label]] = [[] for _ in range(n_places)]
    heap: list[tuple[int, int, _Label]] = []
    order = 0
    best = floor
    found: list[tuple[float, int, _Label]] = []  # min-heap of the best `keep` complete labels
    labels = 0

    def mask_after(place: int, ready: int, mask: int) -> int:
        thresholds, masks = net.out_of_reach[place]
        m = bisect_left(thresholds, ready)
        return mask | masks[m - 1] if m else mask

    def add(label: _Label) -> None:
        nonlocal order, labels
        same = bag[label.node]
        for other in same:
            if (
                other.ready <= label.ready
                and other.value >= label.value - EPSILON
                and other.taken >= label.taken
                and (not exact or other.mask & ~label.mask == 0)
            ):
                return
        kept = []
        for other in same:
            if (
                label.ready <= other.ready
                and label.value >= other.value - EPSILON
                and label.taken >= other.taken
                and (not exact or label.mask & ~other.mask == 0)
            ):
                other.alive = False
            else:
                kept.append(other)
        kept.append(label)
        bag[label.node] = kept
        order += 1
        labels += 1
        heapq.heappush(heap, (label.ready, order, label))

    # Completion bound: a fractional knapsack of the visits still open (see prepare).
    weight = prepared.weight
    density = [(v, gain[v], weight[v]) for v in prepared.density]

    def reach(ready: int, mask: int, taken: bool) -> float:
        room = shift_end - ready - (0 if taken else pause)
        more = 0.0
        for v, g, w in density:
            if mask >> v & 1:
                continue
            if w <= room:
                more += g
                room -= w
            else:
                return more + g * room / w if room > 0 else more
        return more

    start_mask = mask_after(0, net.shift_start, closed)
    first_taken = not has_break
    add(
        _Label(
            0,
            net.shift_start,
            0.0,
            start_mask,
            first_taken,
            None,
            False,
            reach(net.shift_start, start_mask, first_taken),
        )
    )

    def ranked_next(i: int, mask: int) -> list[int]:
        open_ = [v for v in active if not mask >> v & 1]
        if len(open_) <= breadth:
            return open_
        row = T[i]
        open_.sort(key=lambda v: -gain[v] / (row[v] + svc[v] + 1))
        return open_[:breadth]

    finished = True
    popped = 0
    while heap:
        popped += 1
        if budget is not None and popped % 64 == 0 and budget.expired():
            finished = False
            break
        _, _, label = heapq.heappop(heap)
        if not label.alive or label.value + label.open_value <= best + EPSILON:
            continue
        i, ready, value, mask, taken = label.node, label.ready, label.value, label.mask, label.taken
        # The break is relaxed: it may be taken anywhere on a leg (or while waiting), which
        # allows every timetable the planner can drive, and more.
        can_rest = not taken and max(ready, b_open) <= b_close
        # Close the route: back to base (with the break on the way if still due).
        back = ready + T[i][end] if taken else max(ready + T[i][end], b_open) + pause
        if (taken or can_rest) and back <= shift_end:
            if len(found) < keep:
                heapq.heappush(found, (value, id(label), label))
            elif value > found[0][0]:
                heapq.heapreplace(found, (value, id(label), label))
            if len(found) == keep:
                best = max(best, found[0][0])
        if label.depth >= len(active):
            continue  # an ng-route repeating visits without end (zero-minute visits)
        candidates = active if exact else ranked_next(i, mask)
        for v in candidates:
            if mask >> v & 1:
                continue
            for rest in (False, True) if can_rest else (False,):
                arrive = ready + T[i][v]
                if rest:
                    arrive = max(arrive, b_open) + pause
                for ws, we in windows[v]:
                    if arrive <= we:
                        begin = ws if ws > arrive else arrive
                        break
                else:
                    continue
                done = begin + svc[v]
                now_taken = taken or rest
                if now_taken:
                    if done + T[v][end] > shift_end:
                        continue
                elif (
                    max(done, b_open) > b_close or max(done + T[v][end], b_open) + pause > shift_end
                ):
                    continue
                new_mask = mask_after(v, done, (mask & remember[v]) | closed | (1 << v))
                extra = reach(done, new_mask, now_taken)
                if value + gain[v] + extra > best + EPSILON:
                    add(_Label(v, done, value + gain[v], new_mask, now_taken, label, rest, extra))
    ranked = sorted(found, key=lambda item: -item[0])
    routes = tuple(
        PricedRoute(value=v, nodes=_route_nodes(cp, net, label))
        for v, _, label in ranked
        if v > floor + EPSILON
    )
    bound = None
    if exact:
        best_value = max([floor, *(v for v, _, _ in found)])
        pending = [lab.value + lab.open_value for _, _, lab in heap if lab.alive]
        bound = max([best_value, *pending])
    return PricingOutcome(routes=routes, bound=bound, labels=labels, finished=finished)


def enumerate_visit_sets(
    net: TeamNetwork,
    reduced: dict[int, float],
    *,
    threshold: float,
    best: float,
    most: int,
    budget: Budget | None,
) -> set[frozenset[int]] | None:
    """Every set of visits one route of this team can make worth at least ``threshold``.

    ``reduced`` may be negative. The routes are relaxed as in pricing (shortest-path legs,
    the break anywhere on a leg), so every set the team can really drive is listed, and
    maybe some it cannot: check a set with :func:`~.columns.drivable_route` before using
    it. ``best`` bounds the worth of any route (the bound of exact pricing): a visit worth
    less than ``threshold - best`` cannot be in such a route (dropping it would give a route
    worth more than ``best``), so only the others are considered. Runs compiled only:
    None if that is not available, ``budget`` runs out, or there are more than ``most``.
    """
    prepared = prepare(net, reduced, exact=True, memory=None, lowest=threshold - best - EPSILON)
    masks = native.enumerate_sets(
        net,
        prepared,
        threshold=threshold,
        most=most,
        deadline=budget.monotonic_deadline() if budget is not None else None,
    )
    if masks is None:
        return None
    sets = set()
    for mask in set(masks):
        members = []
        while mask:  # place v (bit v) is visit net.visits[v - 1]
            low = mask & -mask
            members.append(net.visits[low.bit_length() - 2])
            mask ^= low
        sets.add(frozenset(members))
    return sets


def _route_nodes(cp: CompiledProblem, net: TeamNetwork, label: _Label) -> tuple[int, ...]:
    chain: list[_Label] = []
    node: _Label | None = label
    while node is not None:
        chain.append(node)
        node = node.parent
    chain.reverse()
    return _chain_nodes(
        cp, net, [item.node for item in chain[1:]], [item.rest for item in chain[1:]], label.taken
    )


def _chain_nodes(
    cp: CompiledProblem, net: TeamNetwork, places: list[int], rests: list[bool], taken: bool
) -> tuple[int, ...]:
    """Planner nodes of a priced route: local ``places`` after the base, ``rests[i]`` if the
    break was taken on the leg into ``places[i]``, ``taken`` if before the way back."""
    k = net.team
    nodes = [cp.start_node[k]]
    for place, rest in zip(places, rests, strict=True):
        if rest:
            nodes.append(cp.break_node[k])  # on the leg into this visit: taken before it
        nodes.append(net.visits[place - 1])
    if not taken:
        nodes.append(cp.break_node[k])  # taken on the way back, after the last stop
    nodes.append(cp.end_node[k])
    return tuple(nodes)
