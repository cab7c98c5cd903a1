"""Input types of the visit planner: places, time windows, teams, visit requests, the problem.

All types are frozen dataclasses, so a problem can be hashed, shared between threads and
compared in tests. Times are whole **minutes** counted from an origin that the caller chooses
(for example midnight at the start of the shift day); the planner never reads a clock.

Nomenclature
------------
team
    A joint police + NHS co-response team on shift. It leaves ``start`` no earlier than the
    start of its shift and must be back at ``end`` no later than the end of its shift.
visit request
    An accepted case that could be visited on this shift. A visit *starts* inside one of its
    time windows and then lasts ``duration_minutes``.
priority
    The value of making the visit (cases close to their 24-hour deadline weigh most). The
    planner maximises the total priority of the visits it makes, then minimises travel.

Examples
--------
>>> team = Team(
...     id="A",
...     start=Location(53.48, -2.24),
...     end=Location(53.48, -2.24),
...     shift=TimeWindow(480, 1200),
... )
>>> visit = VisitRequest(
...     id="case-17",
...     location=Location(53.50, -2.20),
...     duration_minutes=45,
...     priority=8,
...     time_windows=(TimeWindow(540, 720),),
... )
>>> problem = PlanningProblem(teams=(team,), visits=(visit,))
>>> len(problem.visits)
1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "BreakRule",
    "Location",
    "PlanningProblem",
    "Team",
    "TimeWindow",
    "TravelFunction",
    "TravelMatrix",
    "VisitRequest",
]


@dataclass(frozen=True, order=True)
class Location:
    """A point on the map.

    Parameters
    ----------
    lat : float
        Latitude in decimal degrees, -90 to 90. For planar benchmark instances this holds the
        ``y`` coordinate instead, and travel times come from an injected matrix.
    lon : float
        Longitude in decimal degrees, -180 to 180 (or ``x`` for planar instances).
    """

    lat: float
    lon: float


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A closed interval of minutes ``[start_minute, end_minute]``.

    For a visit it bounds the time at which the visit may **start**; for a shift it bounds the
    whole working day (leave no earlier than ``start_minute``, be back by ``end_minute``).

    Raises
    ------
    ValueError
        If ``end_minute < start_minute``.
    """

    start_minute: int
    end_minute: int

    def __post_init__(self) -> None:
        if self.end_minute < self.start_minute:
            raise ValueError(
                f"time window ends ({self.end_minute}) before it starts ({self.start_minute})"
            )

    def contains(self, minute: int) -> bool:
        """Return True if ``minute`` lies inside the window (both ends included)."""
        return self.start_minute <= minute <= self.end_minute

    def overlaps(self, other: TimeWindow) -> bool:
        """Return True if the two windows share at least one minute."""
        return self.start_minute <= other.end_minute and other.start_minute <= self.end_minute


@dataclass(frozen=True)
class BreakRule:
    """A rest break that a team must take once during its shift.

    The break is taken where the team happens to be (after finishing a visit, or at the start
    before leaving), so it adds no travel.

    Parameters
    ----------
    earliest_start_minute, latest_start_minute : int
        The break must start inside this interval (minutes).
    duration_minutes : int
        Length of the break in minutes, >= 0.
    """

    earliest_start_minute: int
    latest_start_minute: int
    duration_minutes: int

    def __post_init__(self) -> None:
        if self.latest_start_minute < self.earliest_start_minute:
            raise ValueError("break latest start is before its earliest start")
        if self.duration_minutes < 0:
            raise ValueError("break duration must be >= 0 minutes")


@dataclass(frozen=True)
class Team:
    """A joint team on shift.

    Parameters
    ----------
    id : str
        Unique identifier of the team for this plan.
    start, end : Location
        Where the team starts and must finish (usually its base).
    shift : TimeWindow
        Leave ``start`` no earlier than ``shift.start_minute``; be back at ``end`` by
        ``shift.end_minute``.
    break_rule : BreakRule or None
        The rest break the team must take, if any.
    skills : frozenset of str
        What the team can do, e.g. ``{"language:pl", "clinician"}``.
    """

    id: str
    start: Location
    end: Location
    shift: TimeWindow
    break_rule: BreakRule | None = None
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VisitRequest:
    """A case that could be visited on this shift.

    Parameters
    ----------
    id : str
        Unique identifier of the visit request.
    location : Location
        Where the visit happens.
    duration_minutes : int
        Time on site in minutes, >= 0.
    priority : float
        Value of making the visit, >= 0. Higher is more important.
    time_windows : tuple of TimeWindow
        The visit must start inside one of these windows. An empty tuple means "any time in a
        team's shift".
    mandatory : bool
        If True the visit must be made; a plan that leaves it out is reported as infeasible.
    required_skills : frozenset of str
        Every one of these must be among the visiting team's skills.
    reason_context : str or None
        What the end of the time windows stands for, in words a practitioner uses, such as
        ``"the suspect's expected release"``. Used to explain why a visit was left out.
    """

    id: str
    location: Location
    duration_minutes: int
    priority: float
    time_windows: tuple[TimeWindow, ...] = ()
    mandatory: bool = False
    required_skills: frozenset[str] = frozenset()
    reason_context: str | None = None

    def __post_init__(self) -> None:
        if self.duration_minutes < 0:
            raise ValueError(f"visit {self.id!r}: duration must be >= 0 minutes")
        if self.priority < 0:
            raise ValueError(f"visit {self.id!r}: priority must be >= 0")


@dataclass(frozen=True)
class TravelMatrix:
    """Travel times between known locations, in whole minutes.

    Parameters
    ----------
    locations : tuple of Location
        The places the matrix covers; every team start/end and visit location of the problem
        must be among them.
    minutes : tuple of tuple of int
        ``minutes[i][j]`` is the travel time from ``locations[i]`` to ``locations[j]``.
    """

    locations: tuple[Location, ...]
    minutes: tuple[tuple[int, ...], ...]

    def __post_init__(self) -> None:
        size = len(self.locations)
        if len(self.minutes) != size or any(len(row) != size for row in self.minutes):
            raise ValueError("travel matrix must be square and match its locations")

    def index(self) -> dict[Location, int]:
        """Map each location to its row (the first one if a location is repeated)."""
        result: dict[Location, int] = {}
        for i, location in enumerate(self.locations):
            result.setdefault(location, i)
        return result


TravelFunction = Callable[[Location, Location], int]
"""Return the travel time in whole minutes from the first location to the second."""


@dataclass(frozen=True)
class PlanningProblem:
    """One planning problem: teams on shift, visit requests and how to get between them.

    Parameters
    ----------
    teams : tuple of Team
        The teams available; ids must be unique.
    visits : tuple of VisitRequest
        The candidate visits; ids must be unique.
    travel_matrix : TravelMatrix or None
        Travel times to use. If None, ``travel_function`` is used.
    travel_function : callable or None
        ``f(origin, destination) -> minutes``. If both this and ``travel_matrix`` are None,
        the built-in estimate :func:`provide.core.planning.travel.estimate_minutes` is used.
    name : str
        Free text label used in reports.
    """

    teams: tuple[Team, ...]
    visits: tuple[VisitRequest, ...]
    travel_matrix: TravelMatrix | None = None
    travel_function: TravelFunction | None = field(default=None, compare=False)
    name: str = ""

    def __post_init__(self) -> None:
        team_ids = [team.id for team in self.teams]
        if len(set(team_ids)) != len(team_ids):
            raise ValueError("team ids must be unique")
        visit_ids = [visit.id for visit in self.visits]
        if len(set(visit_ids)) != len(visit_ids):
            raise ValueError("visit ids must be unique")
