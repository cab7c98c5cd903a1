"""The packing of closing the gap: the best choice of candidate routes, solved by CBC.

Closing the gap (:func:`provide.core.planning.columns.close_gap`) lists every route that
could be part of a plan better than the best so far, as a set of visits, and asks
:func:`packing_ip` for the most valuable choice of them, one per team and no visit twice,
worth at least one more than that plan. The answer proves the plan optimal ("infeasible":
nothing is worth enough) or is a better plan.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp

from provide.core.planning.budget import (
    MIN_SOLVER_SECONDS,
    PACKING_QUICK_SECONDS,
    PACKING_SAT_SHARE,
    PACKING_WITHOUT_ROW_SHARE,
    Budget,
)
from provide.core.planning.compiled import CompiledProblem
from provide.core.planning.cpsat import sat_packing
from provide.core.planning.team_groups import TeamGroup

__all__ = ["packing_ip"]

CBC_PROOF_INSIDE = 0.8
"""CBC's "infeasible" counts only when it took less than this share of its time limit."""

SAT_MOST_SETS = 5_000
"""CP-SAT is tried only when there are at most this many sets (writing a CP-SAT model is
slow in Python)."""

BUILD_SECONDS_PER_ENTRY = 4e-6
"""Writing the packing model down takes about this long per (route, visit) entry
(measured: 2.5 microseconds)."""


def packing_ip(
    cp: CompiledProblem,
    groups: list[TeamGroup],
    sets: list[tuple[int, frozenset[int]]],
    at_least: float,
    budget: Budget,
    cover_mandatory: bool,
) -> tuple[str, list[int]]:
    """Most valuable choice of visit sets, one per team, worth at least ``at_least``.

    ``sets`` are ``(group, visits)``; each visit at most once (exactly once if mandatory and
    ``cover_mandatory``), each group at most as many sets as it has teams. Returns the
    status (``"optimal"``, ``"infeasible"``: nothing is worth ``at_least``, ``"feasible"``
    or ``"unknown"``) and the indices of the sets chosen. Priorities must be integers.

    Solved with CBC (through OR-Tools' linear solver wrapper) rather than CP-SAT: on these
    set-packing models its LP-based branch and bound proves in tenths of a second what
    CP-SAT takes tens of seconds to (measured on 2,839 routes: 0.32 s against 12 s).

    In turn, until one settles it, each within its slice of ``budget``: CBC with "worth at
    least" as a row for ``PACKING_QUICK_SECONDS``; CP-SAT (:func:`.cpsat.sat_packing`) for
    a share of the time (``PACKING_SAT_SHARE``); CBC without the row (checking the optimum
    instead) for a share (``PACKING_WITHOUT_ROW_SHARE``); CBC with it for the rest (the
    slices are in :mod:`.budget`). Each is fast where the others are slow. (One after
    another, not side by side: CBC's time limit counts the process's CPU time, so a second
    busy thread halves it, and CBC cannot be interrupted.) The row slows CBC down badly when
    the best packing is just below the value asked for (2,435 routes: 0.62 s without, over
    3.9 s with it); it lets CBC prove quickly that nothing is worth enough when the best is
    far below (412 routes: 2.2 s without, 0.03 s with) and find a packing worth enough
    sooner (16,716 routes: 3.4 s against 0.99 s).
    """
    if budget.remaining() < BUILD_SECONDS_PER_ENTRY * sum(len(visits) for _, visits in sets) + 0.1:
        return "unknown", []  # not even time to write the model down
    solver = pywraplp.Solver.CreateSolver("CBC")
    if solver is None:  # pragma: no cover - CBC ships with OR-Tools
        return "unknown", []
    chosen = [solver.BoolVar(f"s{i}") for i in range(len(sets))]
    once = [
        solver.Constraint(1.0 if cover_mandatory and cp.mandatory[j] else 0.0, 1.0)
        for j in range(cp.n_visits)
    ]
    teams = [solver.Constraint(0.0, float(len(group.teams))) for group in groups]
    total = solver.Constraint(math.ceil(at_least - 1e-9), solver.infinity())
    objective = solver.Objective()
    worth = [float(round(sum(cp.profit[j] for j in visits))) for _, visits in sets]
    for var, (group, visits), value in zip(chosen, sets, worth, strict=True):
        for j in visits:
            once[j].SetCoefficient(var, 1.0)
        teams[group].SetCoefficient(var, 1.0)
        objective.SetCoefficient(var, value)
        total.SetCoefficient(var, value)
    objective.SetMaximization()

    def solve(part: Budget) -> tuple[str, list[int]]:
        milliseconds = part.solver_milliseconds()
        solver.SetTimeLimit(milliseconds)
        status = solver.Solve()
        if status == pywraplp.Solver.INFEASIBLE:
            # CBC stopped by its time limit before finding anything can report INFEASIBLE
            # (seen: 30,918 routes, 0.2 s limit, while a packing worth enough exists). A
            # proof is trusted only if it came well inside the limit.
            if part.elapsed() < CBC_PROOF_INSIDE * milliseconds / 1000:
                return "infeasible", []
            return "unknown", []
        if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return "unknown", []
        picked = [i for i, var in enumerate(chosen) if var.solution_value() > 0.5]
        enough = sum(worth[i] for i in picked) >= at_least - 1e-9
        if status == pywraplp.Solver.OPTIMAL:
            return ("optimal", picked) if enough else ("infeasible", [])
        if objective.BestBound() < at_least - 1e-6:
            return "infeasible", []
        return ("feasible", picked) if enough else ("unknown", [])

    row = math.ceil(at_least - 1e-9)
    total.SetLb(row)
    if PACKING_QUICK_SECONDS > 0:
        status, picked = solve(budget.at_most(PACKING_QUICK_SECONDS))
        if status != "unknown":  # proven, or at least a choice worth enough
            return status, picked
    if len(sets) <= SAT_MOST_SETS and PACKING_SAT_SHARE > 0 and budget.remaining() > 0.1:
        status, picked = sat_packing(
            cp,
            groups,
            sets,
            worth,
            at_least,
            cover_mandatory,
            budget,
            most_seconds=PACKING_SAT_SHARE * budget.seconds,
        )
        if status != "unknown":
            return status, picked
    for lower, share in ((-solver.infinity(), PACKING_WITHOUT_ROW_SHARE), (row, 1.0)):
        if budget.remaining() < MIN_SOLVER_SECONDS:
            break
        if share <= 0:
            continue
        total.SetLb(lower)  # without the row, then with it again
        status, picked = solve(budget.at_most(max(MIN_SOLVER_SECONDS, share * budget.seconds)))
        if status != "unknown":
            return status, picked
    return "unknown", []
