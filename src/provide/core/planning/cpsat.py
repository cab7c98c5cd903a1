"""The planner's models for OR-Tools CP-SAT.

Every CP-SAT model of the planner lives here, each solved within the :class:`Budget` it is
given (``max_time_in_seconds``):

* :func:`solve_exact`, the exact model of the whole problem, for small, realistic problems
  (tens of visits, a few teams), where CP-SAT can prove that a plan is optimal or bound how
  far from optimal it can be;
* :func:`budget_bound`, the time-budget (knapsack) relaxation of :mod:`.relaxation`;
* :func:`master_ip`, the best plan made of column generation's routes;
* :func:`sat_packing`, the packing of closing the gap with "worth at least" as a
  constraint (:mod:`.packing` tries it between its CBC runs).

The linear relaxations (GLOP) are in :mod:`.lp_bound` and the CBC packing in :mod:`.packing`.

Formulation of the exact model
------------------------------
For each team ``k`` a circuit over node 0 (its base: start and end) and the visits it may make
(``AddCircuit``); a visit's self-loop literal means "team k does not make this visit".

* ``x[j,k] = not loop[j,k]``; ``sum_k x[j,k] <= 1`` (``== 1`` if mandatory).
* Start times ``t[j,k]`` take values in the union of the visit's windows; for an arc
  ``i -> j`` chosen: ``t[j,k] >= t[i,k] + service_i + travel_ij``; the first leg leaves at
  the start of the shift and the return ``r_k <= shift end``.
* Break: exactly one literal ``b[i,k]`` says after which stop (or at the base, before leaving)
  the break is taken; its start ``B_k`` lies in the break rule's interval,
  ``B_k >= t[i,k] + service_i`` and, on the arc leaving ``i``, the next start is at least
  ``B_k + duration + travel``.
* Objective, in two phases: maximise ``sum priority_j x[j,k]`` (the bound CP-SAT proves is
  on this); then, if that was proven optimal and time is left, fix it and minimise
  ``sum travel_ij arc[i,j,k]``.

References
----------
.. [1] Vansteenwegen, P., Souffriau, W., Van Oudheusden, D. (2011). The orienteering problem:
   a survey. *European Journal of Operational Research* 209(1), 1-10 (TOPTW formulation).
.. [2] Perron, L., Didier, F. (2024). CP-SAT, OR-Tools v9. https://developers.google.com/optimization
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from provide.core.planning.budget import EXACT_TRAVEL_MIN_SECONDS, MIN_SOLVER_SECONDS, Budget
from provide.core.planning.compiled import FLOATING, CompiledProblem
from provide.core.planning.relaxation import budget_rows
from provide.core.planning.search import schedule_route
from provide.core.planning.team_groups import Column, TeamGroup, for_team, plan_of

__all__ = [
    "ExactOutcome",
    "budget_bound",
    "master_ip",
    "sat_packing",
    "solve_exact",
]


@dataclass
class ExactOutcome:
    """What CP-SAT returned: routes (node lists per team) and what it proved."""

    routes: list[list[int]] | None
    proven_optimal: bool
    priority_bound: float | None
    status: str
    seconds: float


def _reachable(cp: CompiledProblem, k: int, j: int) -> bool:
    """Can team ``k`` make visit ``j`` on its own (ignoring its break)?"""
    s, e = cp.start_node[k], cp.end_node[k]
    T = cp.travel
    shift_start = cp.windows[s][0][0]
    arrive = shift_start + T[cp.loc[s]][cp.loc[j]]
    for ws, we in cp.windows[j]:
        if arrive <= we:
            back = max(arrive, ws) + cp.service[j] + T[cp.loc[j]][cp.loc[e]]
            if back <= cp.windows[e][0][1]:
                return True
    return False


def _time_bounds(
    cp: CompiledProblem, k: int, visits: list[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Earliest and latest start of each visit for team ``k`` (direct from and to base)."""
    s, e = cp.start_node[k], cp.end_node[k]
    T = cp.travel
    shift_start, shift_end = cp.windows[s][0][0], cp.windows[e][0][1]
    earliest: dict[int, int] = {}
    latest: dict[int, int] = {}
    for j in visits:
        arrive = shift_start + T[cp.loc[s]][cp.loc[j]]
        leave_by = shift_end - T[cp.loc[j]][cp.loc[e]] - cp.service[j]
        opens = [max(ws, arrive) for ws, we in cp.windows[j] if we >= arrive]
        closes = [min(we, leave_by) for ws, we in cp.windows[j] if ws <= leave_by]
        earliest[j] = min(opens) if opens else shift_start
        latest[j] = max(closes) if closes else shift_end
    return earliest, latest


def _profit_scale(profit: tuple[float, ...]) -> int:
    return 1 if all(float(p).is_integer() for p in profit) else 1000


def budget_bound(
    cp: CompiledProblem,
    budget: Budget,
    *,
    most_seconds: float | None = None,
    seed: int = 0,
    workers: int = 2,
) -> float:
    """Upper bound on total priority from the time-budget relaxation (see ``relaxation``).

    The multi-knapsack problem is solved with CP-SAT within ``budget`` (for at most
    ``most_seconds`` once the model is written, if given); its proven bound (the optimum if
    solved) is returned, so the result is valid even if time runs out (at worst the total
    priority of the visits some team may make). Mandatory visits are treated as optional,
    which only loosens the bound.
    """
    teams_of, rows = budget_rows(cp)
    scale = _profit_scale(cp.profit)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    terms: list[cp_model.LinearExprT] = []
    for j, teams in enumerate(teams_of):
        for k in teams:
            x[j, k] = model.new_bool_var(f"x_{j}_{k}")
        if teams:
            model.add_at_most_one(x[j, k] for k in teams)
            terms.extend(round(cp.profit[j] * scale) * x[j, k] for k in teams)
    if not terms:
        return 0.0
    for row in rows:
        model.add(sum(c * x[j, row.team] for j, c in row.coef.items()) <= row.rhs)
    model.maximize(sum(terms))
    status, solver = _run(model, _solving(budget, most_seconds), seed, workers)
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value) / scale
    bound = solver.best_objective_bound
    if status == cp_model.FEASIBLE and math.isfinite(bound):
        return math.floor(bound + 1e-6) / scale
    return float(sum(cp.profit[j] for j, teams in enumerate(teams_of) if teams))


def master_ip(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    columns: list[Column],
    budget: Budget,
    *,
    most_seconds: float | None = None,
) -> list[list[int]] | None:
    """Best plan made of the (elementary, feasible) ``columns``, by CP-SAT within ``budget``.

    Objective, lexicographic: mandatory visits made, total priority, least travel. CP-SAT
    solves for at most ``most_seconds`` once the model is written (if given). Returns node
    lists per team, or None if CP-SAT found nothing in time.
    """
    usable = [c for c in columns if c.elementary]
    if not usable:
        return None
    scale = _profit_scale(cp.profit)
    top = sum(round(p * scale) for p in cp.profit) + 1
    travel: list[int] = []
    for column in usable:
        team = groups[column.group].teams[0]
        route = schedule_route(cp, team, for_team(cp, column.nodes, team))
        travel.append(route.travel if route is not None else 0)
    spread = sum(sorted(travel)[-cp.n_teams :]) + 1
    model = cp_model.CpModel()
    chosen = _packing_model(
        model,
        cp,
        groups,
        [(column.group, [j for j, _ in column.visits]) for column in usable],
        cover_mandatory=False,
    )
    weights = []
    for column, minutes in zip(usable, travel, strict=True):
        mandatory = sum(1 for j, _ in column.visits if cp.mandatory[j])
        value = mandatory * top + sum(round(cp.profit[j] * scale) for j, _ in column.visits)
        weights.append(value * spread - minutes)
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, weights))
    status, solver = _run(model, _solving(budget, most_seconds), 0, 2)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return plan_of(
        cp,
        groups,
        [
            (column.group, column.nodes)
            for var, column in zip(chosen, usable, strict=True)
            if solver.boolean_value(var)
        ],
    )


def _packing_model(
    model: cp_model.CpModel,
    cp: CompiledProblem,
    groups: list[TeamGroup],
    items: Sequence[tuple[int, Iterable[int]]],
    *,
    cover_mandatory: bool,
) -> list[cp_model.IntVar]:
    """One yes/no variable per ``(group, visits)`` item, each visit chosen at most once
    (exactly once if mandatory and ``cover_mandatory``), each group at most as many items as
    it has teams. Returns the variables."""
    chosen = [model.new_bool_var(f"s{i}") for i in range(len(items))]
    covering: list[list[cp_model.IntVar]] = [[] for _ in range(cp.n_visits)]
    per_group: list[list[cp_model.IntVar]] = [[] for _ in groups]
    for var, (group, visits) in zip(chosen, items, strict=True):
        for j in visits:
            covering[j].append(var)
        per_group[group].append(var)
    for j, cover in enumerate(covering):
        if cover_mandatory and cp.mandatory[j]:
            model.add_exactly_one(cover)  # no item makes it: infeasible, as it should be
        elif len(cover) > 1:
            model.add_at_most_one(cover)
    for g, members in enumerate(per_group):
        if len(members) > len(groups[g].teams):
            model.add(sum(members) <= len(groups[g].teams))
    return chosen


def sat_packing(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    sets: list[tuple[int, frozenset[int]]],
    worth: list[float],
    at_least: float,
    cover_mandatory: bool,
    budget: Budget,
    *,
    most_seconds: float | None = None,
) -> tuple[str, list[int]]:
    """The packing of :func:`.packing.packing_ip`, with "worth at least" as a constraint, by
    CP-SAT within ``budget``: its clause learning settles some packings, above all those
    with live incidents to cover, that CBC's branch and bound finds hard (217 routes: 0.07 s
    against 1-2.6 s).

    ``worth`` is each set's total priority (whole numbers). CP-SAT solves for at most
    ``most_seconds`` once the model is written (if given). Returns the status
    (``"optimal"``, ``"feasible"``, ``"infeasible"`` or ``"unknown"``) and the indices of
    the sets chosen.
    """
    model = cp_model.CpModel()
    chosen = _packing_model(model, cp, groups, sets, cover_mandatory=cover_mandatory)
    value = cp_model.LinearExpr.weighted_sum(chosen, [round(w) for w in worth])
    model.add(value >= math.ceil(at_least - 1e-9))
    model.maximize(value)
    status, solver = _run(model, _solving(budget, most_seconds), 0, 2)
    if status == cp_model.INFEASIBLE:
        return "infeasible", []
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", []
    picked = [i for i, var in enumerate(chosen) if solver.boolean_value(var)]
    return ("optimal" if status == cp_model.OPTIMAL else "feasible"), picked


def solve_exact(
    cp: CompiledProblem,
    *,
    budget: Budget,
    seed: int,
    hint: list[list[int]] | None = None,
    workers: int = 2,
) -> ExactOutcome:
    """Solve the problem with CP-SAT.

    Parameters
    ----------
    cp : CompiledProblem
    budget : Budget
        CP-SAT must have stopped by its end (model building included).
    seed : int
        CP-SAT random seed.
    hint : list of list of int or None
        A feasible plan (node lists per team) to start from.
    workers : int, default 2
        CP-SAT search workers.

    Returns
    -------
    ExactOutcome
        ``routes`` is None if CP-SAT found no plan in time.
    """
    model = cp_model.CpModel()
    T = cp.travel
    scale = _profit_scale(cp.profit)
    weight_int = [round(p * scale) for p in cp.profit]
    served: list[list[cp_model.LiteralT]] = [[] for _ in range(cp.n_visits)]
    objective: list[tuple[cp_model.LiteralT, int]] = []
    arcs_of: list[dict[tuple[int, int], cp_model.IntVar]] = []
    times_of: list[dict[int, cp_model.IntVar]] = []
    breaks_of: list[dict[int, cp_model.IntVar]] = []
    made_of: list[dict[int, cp_model.LiteralT]] = []
    for k in range(cp.n_teams):
        s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
        shift_start = cp.windows[s][0][0]
        shift_end = cp.windows[e][0][1]
        visits = [j for j in range(cp.n_visits) if k in cp.eligible[j] and _reachable(cp, k, j)]
        # Circuit node 0 is the base; node i+1 is visits[i]. For travel, 0 means s or e.
        here = {0: s}
        for i, j in enumerate(visits):
            here[i + 1] = j
        earliest, latest = _time_bounds(cp, k, visits)
        times: dict[int, cp_model.IntVar] = {}
        for j in visits:
            spans = [[max(ws, shift_start), min(we, shift_end)] for ws, we in cp.windows[j]]
            spans = [span for span in spans if span[0] <= span[1]]
            times[j] = model.new_int_var_from_domain(
                cp_model.Domain.from_intervals(spans or [[shift_start, shift_start]]),
                f"t_{j}_{k}",
            )
        back = model.new_int_var(shift_start, shift_end, f"r_{k}")
        arcs: dict[tuple[int, int], cp_model.IntVar] = {}
        circuit: list[tuple[int, int, cp_model.IntVar]] = []
        empty = model.new_bool_var(f"empty_{k}")
        circuit.append((0, 0, empty))
        breaks: dict[int, cp_model.IntVar] = {}
        pause = None
        duration = 0
        if brk >= 0:
            ((b_open, b_close),) = cp.windows[brk]
            duration = cp.service[brk]
            pause = model.new_int_var(b_open, b_close, f"break_{k}")
            breaks[s] = model.new_bool_var(f"b_{s}_{k}")
            model.add(pause >= shift_start).only_enforce_if(breaks[s])
        for a in range(len(visits) + 1):
            for b in range(len(visits) + 1):
                if a == b:
                    continue
                i, j = here[a], here[b]
                if a and b and earliest[i] + cp.service[i] + T[cp.loc[i]][cp.loc[j]] > latest[j]:
                    continue
                lit = model.new_bool_var(f"a_{i}_{j}_{k}")
                arcs[(i, j) if b else (i, e)] = lit
                circuit.append((a, b, lit))
                li = cp.loc[i]
                lj = cp.loc[j] if b else cp.loc[e]
                step = T[li][lj]
                objective.append((lit, -step))
                leave = shift_start if a == 0 else times[i] + cp.service[i]
                target = times[j] if b else back
                model.add(target >= leave + step).only_enforce_if(lit)
                if pause is not None:
                    model.add(target >= pause + duration + step).only_enforce_if(
                        [lit, breaks[s] if a == 0 else _break_after(model, breaks, i, k)]
                    )
        if pause is not None:
            model.add(back >= pause + duration).only_enforce_if([empty, breaks[s]])
        made: dict[int, cp_model.LiteralT] = {}
        for b, j in enumerate(visits, start=1):
            loop = model.new_bool_var(f"skip_{j}_{k}")
            circuit.append((b, b, loop))
            served[j].append(loop.negated())
            made[j] = loop.negated()
            if pause is not None:
                flag = _break_after(model, breaks, j, k)
                model.add_implication(flag, loop.negated())
                model.add(pause >= times[j] + cp.service[j]).only_enforce_if(flag)
        if pause is not None:
            model.add_exactly_one(breaks.values())
        model.add_circuit(circuit)
        # Redundant: the shift is a time budget for services, legs and the break.
        model.add(
            cp_model.LinearExpr.weighted_sum(
                [*made.values(), *arcs.values()],
                [cp.service[j] for j in made] + [T[cp.loc[i]][cp.loc[j]] for i, j in arcs],
            )
            <= shift_end - shift_start - duration
        )
        made_of.append(made)
        arcs_of.append(arcs)
        times_of.append(times)
        breaks_of.append(breaks)
    _, rows = budget_rows(cp)
    for row in rows:
        made = made_of[row.team]
        model.add(sum(c * made[j] for j, c in row.coef.items() if j in made) <= row.rhs)
    for j in range(cp.n_visits):
        if not served[j]:
            continue
        if cp.mandatory[j]:
            model.add_exactly_one(served[j])
        else:
            model.add_at_most_one(served[j])
        for served_lit in served[j]:
            objective.append((served_lit, weight_int[j]))
    priority = sum(coef * lit for lit, coef in objective if coef > 0)
    travel = sum(-coef * lit for lit, coef in objective if coef < 0)
    # Phase 1: total priority alone (its bound is what we want proven); phase 2, if time
    # is left: least travel among plans with that priority.
    model.maximize(priority)
    if hint is not None:
        _add_hint(model, cp, hint, arcs_of, times_of, breaks_of)
    if budget.remaining() < MIN_SOLVER_SECONDS:
        return ExactOutcome(None, False, None, "NOT_STARTED", 0.0)
    status, solver = _run(model, budget, seed, workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactOutcome(None, False, None, solver.status_name(status), solver.wall_time)
    routes = _extract(cp, solver, arcs_of, breaks_of)
    seconds = solver.wall_time
    proven = status == cp_model.OPTIMAL
    bound = math.floor(solver.best_objective_bound + 1e-6) / scale
    if proven and budget.remaining() > EXACT_TRAVEL_MIN_SECONDS:
        best = round(solver.objective_value)
        model.add(priority == best)
        model.clear_hints()  # type: ignore[no-untyped-call]
        _add_hint(model, cp, routes, arcs_of, times_of, breaks_of)
        model.minimize(travel)
        status2, solver2 = _run(model, budget, seed, workers)
        seconds += solver2.wall_time
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            routes = _extract(cp, solver2, arcs_of, breaks_of)
    return ExactOutcome(
        routes=routes,
        proven_optimal=proven,
        priority_bound=bound,
        status=solver.status_name(status),
        seconds=seconds,
    )


def _run(
    model: cp_model.CpModel, budget: Budget, seed: int, workers: int
) -> tuple[cp_model.CpSolverStatus, cp_model.CpSolver]:
    solver = _solver(budget, seed, workers)
    status = solver.solve(model)
    return status, solver


def _solving(budget: Budget, most_seconds: float | None) -> Budget:
    """The budget of a solve that starts now: what is left of ``budget``, at most
    ``most_seconds`` (writing the model does not count against that, only against
    ``budget``)."""
    return budget.rest() if most_seconds is None else budget.at_most(most_seconds)


def _solver(budget: Budget, seed: int, workers: int) -> cp_model.CpSolver:
    """A CP-SAT solver whose time limit is what is left of ``budget``."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = budget.solver_seconds()
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    # Presolve and probing cost seconds on these models and rarely pay back within a
    # few-second limit; the linear relaxation is what produces the bound.
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    return solver


def _break_after(
    model: cp_model.CpModel, breaks: dict[int, cp_model.IntVar], node: int, k: int
) -> cp_model.IntVar:
    if node not in breaks:
        breaks[node] = model.new_bool_var(f"b_{node}_{k}")
    return breaks[node]


def _add_hint(
    model: cp_model.CpModel,
    cp: CompiledProblem,
    hint: list[list[int]],
    arcs_of: list[dict[tuple[int, int], cp_model.IntVar]],
    times_of: list[dict[int, cp_model.IntVar]],
    breaks_of: list[dict[int, cp_model.IntVar]],
) -> None:
    for k, nodes in enumerate(hint):
        route = schedule_route(cp, k, list(nodes))
        if route is None:
            continue
        plain = [n for n in nodes if cp.loc[n] != FLOATING]
        chosen = set(itertools.pairwise(plain))
        for key, lit in arcs_of[k].items():
            model.add_hint(lit, key in chosen)
        start_of = dict(zip(route.nodes, route.start, strict=True))
        for j, var in times_of[k].items():
            if j in start_of:
                model.add_hint(var, start_of[j])
        brk_pred = None
        for i, n in enumerate(nodes):
            if cp.loc[n] == FLOATING and i > 0:
                brk_pred = nodes[i - 1]
        for node, lit in breaks_of[k].items():
            model.add_hint(lit, node == brk_pred)


def _extract(
    cp: CompiledProblem,
    solver: cp_model.CpSolver,
    arcs_of: list[dict[tuple[int, int], cp_model.IntVar]],
    breaks_of: list[dict[int, cp_model.IntVar]],
) -> list[list[int]]:
    routes = []
    for k in range(cp.n_teams):
        s, e, brk = cp.start_node[k], cp.end_node[k], cp.break_node[k]
        successor = {i: j for (i, j), lit in arcs_of[k].items() if solver.boolean_value(lit)}
        nodes = [s]
        node = s
        while node in successor and successor[node] != e:
            node = successor[node]
            nodes.append(node)
        nodes.append(e)
        if brk >= 0:
            after = next((n for n, lit in breaks_of[k].items() if solver.boolean_value(lit)), s)
            position = nodes.index(after) + 1 if after in nodes else 1
            nodes.insert(position, brk)
        routes.append(nodes)
    return routes
