"""Read the public TOPTW benchmark instances into a :class:`PlanningProblem`.

The format (see ``benchmarks/toptw/README.md`` in the shared specifications) is
whitespace-separated text: header tokens ``k v N t`` (only ``N``, the number of customers,
matters), one or two unused numbers, then ``N + 1`` vertex lines
``i x y d S f a list... O C``; vertex 0 is the depot, whose ``C`` is the time budget ``Tmax``.

Travel time convention: Euclidean distance truncated to one decimal (Solomon-based files) or
two decimals (Cordeau ``pr`` files). To keep whole numbers, every time is multiplied by
``scale`` = 10 or 100: ``t_ij = floor(scale * dist)``, and service times, windows and ``Tmax``
are multiplied by the same factor. So the "minutes" of the returned problem are tenths (or
hundredths) of the instance's time unit. Scores are unchanged.

References
----------
.. [1] Vansteenwegen, P., Souffriau, W., Vanden Berghe, G., Van Oudheusden, D. (2009).
   Iterated local search for the team orienteering problem with time windows. *Computers &
   Operations Research* 36(12), 3281-3290.
.. [2] Righini, G., Salani, M. (2009). Decremental state space relaxation strategies and
   initialization heuristics for solving the orienteering problem with time windows with
   dynamic programming. *Computers & Operations Research* 36(4), 1191-1203.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from provide.core.planning.problem import (
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    TravelMatrix,
    VisitRequest,
)

__all__ = ["ToptwVertex", "parse_toptw", "scale_for", "toptw_problem"]


@dataclass(frozen=True)
class ToptwVertex:
    """One vertex line: number, coordinates, service time, score and start window."""

    number: int
    x: float
    y: float
    service: float
    score: float
    open_time: float
    close_time: float


def scale_for(name: str) -> int:
    """Time scale of an instance: 100 for Cordeau ``pr`` files, 10 for Solomon-based ones.

    >>> scale_for("pr01"), scale_for("c101")
    (100, 10)
    """
    return 100 if name.lower().startswith("pr") else 10


def parse_toptw(text: str) -> list[ToptwVertex]:
    """Parse the text of an instance file into its vertices, depot first.

    Parameters
    ----------
    text : str
        File contents (LF or CRLF line ends).

    Returns
    -------
    list of ToptwVertex
        ``N + 1`` vertices numbered 0..N.

    Raises
    ------
    ValueError
        If the vertex lines are missing, out of order or too short.
    """
    lines = [line.split() for line in text.splitlines() if line.strip()]
    header: list[str] = []
    body_start = 0
    # Every token before the first vertex line is header; a vertex line starts with "0"
    # and has at least 9 tokens (i x y d S f a O C).
    for index, tokens in enumerate(lines):
        if len(header) >= 4 and tokens[0] == "0" and len(tokens) >= 9:
            body_start = index
            break
        header.extend(tokens)
    else:
        raise ValueError("no vertex lines found")
    n_customers = int(header[2])
    vertices = []
    for expected, tokens in enumerate(lines[body_start : body_start + n_customers + 1]):
        if int(tokens[0]) != expected or len(tokens) < 9:
            raise ValueError(f"vertex line {expected} is malformed")
        vertices.append(
            ToptwVertex(
                number=expected,
                x=float(tokens[1]),
                y=float(tokens[2]),
                service=float(tokens[3]),
                score=float(tokens[4]),
                open_time=float(tokens[-2]),
                close_time=float(tokens[-1]),
            )
        )
    if len(vertices) != n_customers + 1:
        raise ValueError(f"expected {n_customers + 1} vertices, found {len(vertices)}")
    return vertices


def toptw_problem(
    text: str, *, m: int, name: str = "", scale: int | None = None
) -> PlanningProblem:
    """Build the planning problem of an instance solved with ``m`` identical teams.

    Parameters
    ----------
    text : str
        Instance file contents.
    m : int
        Number of teams (vehicles), >= 1.
    name : str
        Instance name such as ``"c101"``; chooses the scale if ``scale`` is None.
    scale : int or None
        Time multiplier (10 or 100); default from :func:`scale_for`.

    Returns
    -------
    PlanningProblem
        Teams ``"v1".."vm"`` starting and ending at the depot with shift ``[0, scale*Tmax]``;
        visits ``"1".."N"`` with priority = score. Locations hold ``(y, x)``; travel comes
        from an injected :class:`TravelMatrix`.

    Examples
    --------
    >>> text = "1 1 1 1\\n0 100\\n0 0 0 0 0 0 0 0 100\\n1 3 4 5 7 1 1 1 0 50\\n"
    >>> problem = toptw_problem(text, m=1, name="c999")
    >>> problem.travel_matrix.minutes[0][1], problem.visits[0].priority
    (50, 7.0)
    """
    if m < 1:
        raise ValueError("m must be >= 1")
    factor = scale if scale is not None else scale_for(name)
    vertices = parse_toptw(text)
    locations = tuple(Location(v.y, v.x) for v in vertices)
    minutes = tuple(
        tuple(math.floor(factor * math.hypot(a.x - b.x, a.y - b.y) + 1e-9) for b in vertices)
        for a in vertices
    )
    # Keep one row per distinct location (duplicated points would make the index ambiguous).
    first: dict[Location, int] = {}
    for i, location in enumerate(locations):
        first.setdefault(location, i)
    rows = sorted(set(first.values()))
    matrix = TravelMatrix(
        locations=tuple(locations[i] for i in rows),
        minutes=tuple(tuple(minutes[i][j] for j in rows) for i in rows),
    )
    depot = vertices[0]
    horizon = round(factor * depot.close_time)
    teams = tuple(
        Team(
            id=f"v{k + 1}",
            start=locations[0],
            end=locations[0],
            shift=TimeWindow(round(factor * depot.open_time), horizon),
        )
        for k in range(m)
    )
    visits = tuple(
        VisitRequest(
            id=str(v.number),
            location=locations[v.number],
            duration_minutes=round(factor * v.service),
            priority=v.score,
            time_windows=(TimeWindow(round(factor * v.open_time), round(factor * v.close_time)),),
        )
        for v in vertices[1:]
    )
    return PlanningProblem(teams=teams, visits=visits, travel_matrix=matrix, name=name)
