"""The visit planner: a team orienteering problem with time windows.

Public interface::

    from provide.core.planning import PlanningProblem, Team, VisitRequest, solve_plan

* :mod:`.problem` - input types; :mod:`.solution` - :class:`PlanResult`;
* :mod:`.solve` - :func:`solve_plan`, the entry point;
* :mod:`.validate` - an independent feasibility check of a plan;
* :mod:`.travel` - built-in travel estimate and the optional OSRM client;
* :mod:`.toptw` - reader for the public TOPTW benchmark instances;
* :mod:`.budget` - the time budget shared out among the phases of :func:`solve_plan`;
* :mod:`.search` - large-neighbourhood search (pure Python);
* :mod:`.relaxation` - the time-budget rows and arcs the bounds are built from;
* :mod:`.columns` - column generation and closing the gap, over :mod:`.team_groups`, with
  :mod:`.pricing` (labelling; compiled in :mod:`.native`);
* the OR-Tools models, the only modules importing OR-Tools: :mod:`.lp_bound` (GLOP linear
  relaxations), :mod:`.packing` (the CBC packing) and :mod:`.cpsat` (every CP-SAT model).

See ``docs/models/planning.md`` for the formulation, algorithm and references.

:func:`solve_plan` loads on first use (PEP 562): the solvers bring NumPy and OR-Tools, which a
page or a command that only builds a problem does not need
(docs/decisions/0004-lazy-heavy-imports.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    TravelMatrix,
    VisitRequest,
)
from provide.core.planning.solution import (
    LeftOutVisit,
    PlanResult,
    PlanStatus,
    RouteStop,
    TeamRoute,
    plan_result_to_dict,
)
from provide.core.planning.validate import validate_plan

if TYPE_CHECKING:
    from provide.core.planning.solve import solve_plan

__all__ = [
    "BreakRule",
    "LeftOutVisit",
    "Location",
    "PlanResult",
    "PlanStatus",
    "PlanningProblem",
    "RouteStop",
    "Team",
    "TeamRoute",
    "TimeWindow",
    "TravelMatrix",
    "VisitRequest",
    "plan_result_to_dict",
    "solve_plan",
    "validate_plan",
]


def __getattr__(name: str) -> object:
    if name != "solve_plan":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from provide.core.planning.solve import solve_plan

    globals()["solve_plan"] = solve_plan
    return solve_plan
