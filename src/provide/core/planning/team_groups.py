"""Teams that drive the same routes, the routes given to them, and plans made of routes.

Column generation (:mod:`provide.core.planning.columns`) and the solvers of its master
problem (:mod:`.lp_bound`, :mod:`.packing`, :mod:`.cpsat`) share these types. Teams with the
same base, shift, break and visits they may make are one :class:`TeamGroup`: their routes
are the same, so one pricing network serves all of them. A :class:`Column` is one route of a
group; :func:`plan_of` gives chosen routes to the group's teams.
"""

from __future__ import annotations

from dataclasses import dataclass

from provide.core.planning.compiled import FLOATING, CompiledProblem
from provide.core.planning.pricing import TeamNetwork, team_network
from provide.core.planning.relaxation import may_make, shortest_paths

__all__ = ["Column", "TeamGroup", "empty_plan", "for_team", "plan_of", "team_groups"]


@dataclass(frozen=True)
class TeamGroup:
    """Teams with identical routes: ``teams[0]``'s network serves all of them."""

    teams: tuple[int, ...]
    network: TeamNetwork
    rules: tuple[object, ...] = ()
    """Base, shift and break: groups with the same rules differ only in the visits they
    may make (skills), so one's routes are the other's that avoid the extra visits."""


@dataclass(frozen=True)
class Column:
    """A route of a group: how often it makes each visit, its priority and its nodes."""

    group: int
    visits: tuple[tuple[int, int], ...]
    """``(visit node, times)`` pairs; times is 1 except on repeating (ng) routes."""
    priority: float
    nodes: tuple[int, ...]
    elementary: bool


def team_groups(cp: CompiledProblem) -> list[TeamGroup]:
    """Group identical teams and build each group's pricing network."""
    shortest = shortest_paths(cp.travel)
    by_signature: dict[tuple[object, ...], list[tuple[int, list[int]]]] = {}
    for k in range(cp.n_teams):
        s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
        visits = [
            j for j in range(cp.n_visits) if k in cp.eligible[j] and may_make(cp, k, j, shortest)
        ]
        signature: tuple[object, ...] = (
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
    for key, members in by_signature.items():
        k, visits = members[0]
        groups.append(
            TeamGroup(
                teams=tuple(m[0] for m in members),
                network=team_network(cp, k, visits, shortest),
                rules=key[:-1],
            )
        )
    return groups


def empty_plan(cp: CompiledProblem) -> list[list[int]]:
    """Every team stays at base (taking its break there): node lists per team."""
    return [
        [cp.start_node[k], *([cp.break_node[k]] if cp.break_node[k] >= 0 else []), cp.end_node[k]]
        for k in range(cp.n_teams)
    ]


def plan_of(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    chosen: list[tuple[int, tuple[int, ...] | list[int]]],
) -> list[list[int]]:
    """A plan from chosen ``(group, nodes)`` routes, each given to a free team of its group;
    teams left over stay at base."""
    plan = empty_plan(cp)
    free = {g: list(group.teams) for g, group in enumerate(groups)}
    for g, nodes in chosen:
        k = free[g].pop(0)
        plan[k] = for_team(cp, nodes, k)
    return plan


def for_team(cp: CompiledProblem, nodes: tuple[int, ...] | list[int], k: int) -> list[int]:
    """The same route driven by team ``k`` (its own start, break and end nodes)."""
    route = [cp.start_node[k]]
    for n in nodes[1:-1]:
        route.append(cp.break_node[k] if cp.loc[n] == FLOATING else n)
    route.append(cp.end_node[k])
    return route
