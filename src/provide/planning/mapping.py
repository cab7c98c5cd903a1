"""ORM rows ⇄ the planner's core types (:mod:`provide.core.planning`).

Times in the core are whole minutes from an origin: local midnight (Europe/London) at the
start of the shift's day, taken as an absolute instant so clock changes are handled.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from provide.core.planning import Location, PlanningProblem, Team, TimeWindow, VisitRequest
from provide.core.planning.travel import estimate_minutes
from provide.intake.models import CustodyEpisode
from provide.planning.models import Shift
from provide.triage.models import TriageDecision

LONDON = ZoneInfo("Europe/London")
VISIT_MINUTES = {"high": 60, "medium": 45, "standard": 45}
DEADLINE_BONUS = 50.0
"""Priority added to a case whose 24-hour target falls before the end of the shift."""
LIVE_PRIORITY = 1000.0


@dataclass(frozen=True)
class Candidate:
    """A case awaiting a visit, for the planner: its accepted decision (priority, due-by) and
    the suspect's custody; ``not_before`` is when a failed attempt may be retried."""

    decision: TriageDecision
    custody: CustodyEpisode | None
    not_before: dt.datetime | None = None


def origin_for(on_date: dt.date) -> dt.datetime:
    return dt.datetime.combine(on_date, dt.time(0, 0), tzinfo=LONDON)


def to_minute(moment: dt.datetime, origin: dt.datetime) -> int:
    return math.floor((moment - origin).total_seconds() / 60)


def to_datetime(minute: int, origin: dt.datetime) -> dt.datetime:
    return (origin + dt.timedelta(minutes=minute)).astimezone(dt.UTC)


def team_for(shift: Shift, origin: dt.datetime, *, start: Location | None = None,
             not_before: dt.datetime | None = None) -> Team:
    base = Location(shift.team.base.latitude, shift.team.base.longitude)
    begin = to_minute(shift.starts_at, origin)
    if not_before is not None:
        begin = max(begin, to_minute(not_before, origin))
    end = to_minute(shift.ends_at, origin)
    return Team(id=str(shift.public_id), start=start or base, end=base,
                shift=TimeWindow(begin, max(begin, end)))


def case_location(candidate: Candidate) -> Location | None:
    investigation = candidate.decision.investigation
    victim = investigation.victim
    lat = victim.latitude if victim.latitude is not None else investigation.latitude
    lon = victim.longitude if victim.longitude is not None else investigation.longitude
    if lat is None or lon is None:
        return None
    return Location(lat, lon)


def visit_for(candidate: Candidate, origin: dt.datetime, shift_end: dt.datetime, *,
              mandatory: bool = False) -> VisitRequest | None:
    """The visit request for an accepted case, or None when it has no location."""
    location = case_location(candidate)
    if location is None:
        return None
    decision = candidate.decision
    investigation = decision.investigation
    priority = max(1.0, float(decision.priority_score))
    if decision.due_by is not None and decision.due_by <= shift_end:
        priority += DEADLINE_BONUS
    if mandatory:
        priority += LIVE_PRIORITY
    windows: tuple[TimeWindow, ...] = ()
    context = None
    custody = candidate.custody
    if custody is not None and custody.expected_release_at is not None:
        # Visit while the suspect is away: before the expected release.
        windows = (TimeWindow(0, to_minute(custody.expected_release_at, origin)),)
        context = "the suspect's expected release"
    if candidate.not_before is not None:
        windows = _not_before(windows, to_minute(candidate.not_before, origin), to_minute(shift_end, origin))
        if not windows:
            return None
        context = context or "the next attempt's due time"
    return VisitRequest(
        id=str(decision.public_id), location=location,
        duration_minutes=VISIT_MINUTES.get(investigation.risk_grade, 45),
        priority=round(priority, 2), time_windows=windows, mandatory=mandatory,
        reason_context=context,
    )


def _not_before(windows: tuple[TimeWindow, ...], earliest: int, shift_end: int) -> tuple[TimeWindow, ...]:
    """The visit's windows cut to start no earlier than ``earliest`` (a retry after a failed
    attempt); an open window when there were none. Empty when no window is left."""
    earliest = max(0, earliest)
    if not windows:
        return (TimeWindow(earliest, max(earliest, shift_end)),)
    return tuple(TimeWindow(max(w.start_minute, earliest), w.end_minute) for w in windows
                 if w.end_minute >= earliest)


LIVE_SLACK_MINUTES = 15
"""A live incident must be reached within this many minutes of the soonest any team could."""


def live_incident_next(visit: VisitRequest, teams: Iterable[Team]) -> VisitRequest:
    """The live incident's visit, to be started no later than the soonest arrival of any team
    (from where each is now, when it is free) plus :data:`LIVE_SLACK_MINUTES`: so the re-plan
    sends the team that can reach it soonest, next. Unchanged when no team is on shift."""
    arrivals = [team.shift.start_minute + estimate_minutes(team.start, visit.location) for team in teams
                if team.shift.end_minute > team.shift.start_minute]
    if not arrivals:
        return visit
    latest_start = min(arrivals) + LIVE_SLACK_MINUTES
    windows = tuple(TimeWindow(w.start_minute, min(w.end_minute, latest_start)) for w in visit.time_windows
                    if w.start_minute <= latest_start) or (TimeWindow(0, latest_start),)
    return replace(visit, time_windows=windows, reason_context="the live incident's arrival target")


def build_problem(teams: Iterable[Team], visits: Iterable[VisitRequest], name: str) -> PlanningProblem:
    return PlanningProblem(teams=tuple(teams), visits=tuple(visits), name=name)
