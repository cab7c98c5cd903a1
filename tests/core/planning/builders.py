"""Shared builders for the planner tests: a base, a team, a visit, a toy travel function."""

from __future__ import annotations

from provide.core.planning.problem import Location, Team, TimeWindow, VisitRequest

BASE = Location(0.0, 0.0)


def line_travel(a: Location, b: Location) -> int:
    """Travel on a toy map: 10 minutes per unit of |dlat| + |dlon|."""
    return round(10 * (abs(a.lat - b.lat) + abs(a.lon - b.lon)))


def team(
    id: str = "A",
    *,
    shift: tuple[int, int] = (480, 1200),
    skills: frozenset[str] = frozenset(),
    **kwargs: object,
) -> Team:
    return Team(id=id, start=BASE, end=BASE, shift=TimeWindow(*shift), skills=skills, **kwargs)  # type: ignore[arg-type]


def visit(
    id: str,
    x: float,
    *,
    priority: float = 1,
    duration: int = 30,
    windows: tuple[tuple[int, int], ...] = (),
    **kwargs: object,
) -> VisitRequest:
    return VisitRequest(
        id=id,
        location=Location(x, 0.0),
        duration_minutes=duration,
        priority=priority,
        time_windows=tuple(TimeWindow(a, b) for a, b in windows),
        **kwargs,  # type: ignore[arg-type]
    )
