"""ORM rows ⇄ the planner's core types (:mod:`provide.core.planning`).

Times in the core are whole minutes from an origin: local midnight (Europe/London) at the
start of the shift's day, taken as an absolute instant so clock changes are handled.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from provide.core.contact import intersect
from provide.core.contact.schedule import MINUTES_IN_DAY
from provide.core.planning import (
    Location,
    PlanningProblem,
    PlanResult,
    Team,
    TimeWindow,
    VisitRequest,
)
from provide.core.planning.travel import estimate_minutes
from provide.health.selectors import DiscreetWindow
from provide.intake.models import CustodyEpisode
from provide.people.contact import ContactWindow, contact_windows_for
from provide.planning.models import Shift, UnplannedCandidate
from provide.triage.models import TriageDecision

LONDON = ZoneInfo("Europe/London")
VISIT_MINUTES = {"high": 60, "medium": 45, "standard": 45}
DEADLINE_BONUS = 50.0
"""Priority added to a case whose 24-hour target falls before the end of the shift."""
LIVE_PRIORITY = 1000.0
CUSTODY_CONTEXT = "the suspect's expected release"
SAFE_CONTACT_CONTEXT = "her safe-contact times"
DISCREET_CONTEXT = "a discreet contact window"
CUSTODY = "custody"
APPOINTMENT = "appointment"
NEXT_ATTEMPT_CONTEXT = "the next attempt's due time"


@dataclass(frozen=True)
class Candidate:
    """A case awaiting a visit, for the planner: its accepted decision (priority, due-by) and
    the suspect's custody; ``not_before`` is when a failed attempt may be retried."""

    decision: TriageDecision
    custody: CustodyEpisode | None
    not_before: dt.datetime | None = None
    appointments: tuple[DiscreetWindow, ...] = ()
    """Her health appointments on the day, as opaque windows (health-side: no clinic, no
    reason); a visit may meet her there discreetly."""


def origin_for(on_date: dt.date) -> dt.datetime:
    return dt.datetime.combine(on_date, dt.time(0, 0), tzinfo=LONDON)


def to_minute(moment: dt.datetime, origin: dt.datetime) -> int:
    return math.floor((moment - origin).total_seconds() / 60)


def to_datetime(minute: int, origin: dt.datetime) -> dt.datetime:
    # Add in UTC: adding to a Europe/London time would count wall-clock minutes, an hour out
    # on the days the clocks change.
    return origin.astimezone(dt.UTC) + dt.timedelta(minutes=minute)


def team_for(
    shift: Shift,
    origin: dt.datetime,
    *,
    start: Location | None = None,
    not_before: dt.datetime | None = None,
) -> Team:
    base = Location(shift.team.base.latitude, shift.team.base.longitude)
    begin = to_minute(shift.starts_at, origin)
    if not_before is not None:
        begin = max(begin, to_minute(not_before, origin))
    end = to_minute(shift.ends_at, origin)
    return Team(
        id=str(shift.public_id),
        start=start or base,
        end=base,
        shift=TimeWindow(begin, max(begin, end)),
    )


def case_location(candidate: Candidate) -> Location | None:
    investigation = candidate.decision.investigation
    victim = investigation.victim
    lat = victim.latitude if victim.latitude is not None else investigation.latitude
    lon = victim.longitude if victim.longitude is not None else investigation.longitude
    if lat is None or lon is None:
        return None
    return Location(lat, lon)


SourcedWindow = ContactWindow
"""A window a visit was planned within, and what it stands for (``safe_contact``,
``availability``, ``appointment`` or ``custody``): the people app's window, which ``provide
plan --json`` and the route show."""


@dataclass(frozen=True)
class VisitWindows:
    """The windows a case's visit must start in, for the planner and for people.

    ``start_windows`` are in the planner's minutes: a visit starts in one of them and, inside a
    safe-contact or availability window, also ends inside it. ``None`` means no restriction;
    an empty tuple means no time at all on this day (``unplannable`` says why)."""

    start_windows: tuple[TimeWindow, ...] | None
    shown: tuple[SourcedWindow, ...]
    context: str | None
    unplannable: str | None = None
    place: Location | None = None
    """Where to meet her when it is not her address: a discreet window at an appointment."""
    appointment_id: Any = None


def _discreet(
    candidate: Candidate, origin: dt.datetime, shift_start: dt.datetime, shift_end: dt.datetime
) -> VisitWindows | None:
    """A discreet window at her health appointment inside the shifts, if she has one: the visit
    then meets her there, starting while the appointment lasts."""
    earliest = max(shift_start, candidate.not_before or shift_start)
    for appointment in candidate.appointments:
        if appointment.ends_at <= earliest or appointment.starts_at >= shift_end:
            continue
        start = to_minute(max(appointment.starts_at, earliest), origin)
        return VisitWindows(
            start_windows=(TimeWindow(start, to_minute(appointment.ends_at, origin)),),
            shown=(SourcedWindow(appointment.starts_at, appointment.ends_at, APPOINTMENT),),
            context=DISCREET_CONTEXT,
            place=Location(appointment.latitude, appointment.longitude),
            appointment_id=appointment.appointment_id,
        )
    return None


def visit_windows(
    candidate: Candidate,
    origin: dt.datetime,
    shift_end: dt.datetime,
    duration: int,
    *,
    shift_start: dt.datetime | None = None,
) -> VisitWindows:
    """Where and when the visit may start.

    A health appointment of hers inside the shifts comes first: the visit meets her there,
    discreetly, while it lasts (source ``appointment``). Otherwise at her address, inside her
    safe-contact times and availability (the people app decides them,
    :func:`provide.people.contact.contact_windows_for`), before the suspect's expected release
    from custody, and not before a failed attempt's retry. Safe contact is a hard constraint:
    the visit must start and end inside one of her windows."""
    discreet = _discreet(candidate, origin, shift_start or origin, shift_end)
    if discreet is not None:
        return discreet
    victim = candidate.decision.investigation.victim
    contact = contact_windows_for(victim, origin.astimezone(LONDON).date())
    shown: list[SourcedWindow] = []
    periods: list[tuple[int, int]] | None = None
    context = None
    if contact.windows is not None:
        context = SAFE_CONTACT_CONTEXT
        periods = []
        for window in contact.windows:
            shown.append(window)
            start, end = to_minute(window.starts_at, origin), to_minute(window.ends_at, origin)
            if end - duration >= start:
                periods.append((start, end - duration))
        if not periods:
            lines = ", ".join(
                f"{w.starts_at.astimezone(LONDON):%H:%M} to {w.ends_at.astimezone(LONDON):%H:%M}"
                for w in contact.windows
            )
            reason = (
                f"No time safe to visit her today: her safe-contact times allow {lines}, too "
                f"short for a {duration}-minute visit"
                if contact.windows
                else "No time safe to visit her today: her safe-contact times exclude this day"
            )
            return VisitWindows((), tuple(shown), context, reason)
    custody = candidate.custody
    if custody is not None and custody.expected_release_at is not None:
        # Visit while the suspect is away: start before the expected release.
        release = to_minute(custody.expected_release_at, origin)
        shown.append(SourcedWindow(origin, custody.expected_release_at, CUSTODY))
        periods = list(intersect(periods if periods is not None else [(0, release)],
                                 [(-MINUTES_IN_DAY, release)]))  # fmt: skip
        context = CUSTODY_CONTEXT
        if not periods:
            return VisitWindows(
                (), tuple(shown), context,
                f"Her safe-contact times today all start after the suspect's expected release "
                f"at {_clock(release, origin)}",
            )  # fmt: skip
    windows = None if periods is None else tuple(TimeWindow(a, b) for a, b in periods)
    if candidate.not_before is not None:
        windows = _not_before(
            windows or (), to_minute(candidate.not_before, origin), to_minute(shift_end, origin)
        )
        if not windows:
            return VisitWindows((), tuple(shown), context, "Her next attempt is not due today")
        context = context or NEXT_ATTEMPT_CONTEXT
    return VisitWindows(windows, tuple(shown), context)


def visit_for(
    candidate: Candidate,
    origin: dt.datetime,
    shift_end: dt.datetime,
    *,
    mandatory: bool = False,
    shift_start: dt.datetime | None = None,
) -> VisitRequest | None:
    """The visit request for an accepted case, or None when it has no location or no time on
    this day it may start (:func:`unplannable_reason` says why)."""
    decision = candidate.decision
    investigation = decision.investigation
    priority = max(1.0, float(decision.priority_score))
    if decision.due_by is not None and decision.due_by <= shift_end:
        priority += DEADLINE_BONUS
    if mandatory:
        priority += LIVE_PRIORITY
    duration = VISIT_MINUTES.get(investigation.risk_grade, 45)
    windows = visit_windows(candidate, origin, shift_end, duration, shift_start=shift_start)
    location = windows.place or case_location(candidate)
    if location is None or windows.unplannable is not None:
        return None
    return VisitRequest(
        id=str(decision.public_id),
        location=location,
        duration_minutes=duration,
        priority=round(priority, 2),
        time_windows=windows.start_windows or (),
        mandatory=mandatory,
        reason_context=windows.context,
    )


def start_windows_from_shown(
    shown: list[dict[str, str]], origin: dt.datetime, duration: int
) -> tuple[TimeWindow, ...] | None:
    """The start windows a stored stop's windows allow (for re-timing a route changed by hand):
    a visit starts and ends inside one of her safe-contact or availability windows, and starts
    before the suspect's expected release (or, at an appointment, starts while it lasts). Empty
    when nothing restricts it; None when nothing is left that a visit could start in."""

    def minute(text: str) -> int:
        return to_minute(dt.datetime.fromisoformat(text), origin)

    if any(w["source"] == APPOINTMENT for w in shown):  # start while the appointment lasts
        return tuple(
            TimeWindow(minute(w["start"]), minute(w["end"]))
            for w in shown
            if w["source"] == APPOINTMENT
        )
    contact = [w for w in shown if w["source"] != CUSTODY]
    custody = [w for w in shown if w["source"] == CUSTODY]
    periods: list[tuple[int, int]] | None = None
    if contact:
        periods = [
            (minute(w["start"]), minute(w["end"]) - duration)
            for w in contact
            if minute(w["end"]) - duration >= minute(w["start"])
        ]
    for window in custody:
        release = minute(window["end"])
        periods = list(intersect(periods if periods is not None else [(0, release)],
                                 [(-MINUTES_IN_DAY, release)]))  # fmt: skip
    if periods is None:
        return ()
    return tuple(TimeWindow(a, b) for a, b in periods) or None


NO_LOCATION = "No location for her: enter or correct her address or postcode to plan a visit"


def unplannable_reason(
    candidate: Candidate,
    origin: dt.datetime,
    shift_end: dt.datetime,
    *,
    shift_start: dt.datetime | None = None,
) -> str:
    """Why :func:`visit_for` gives no visit request for this case (no location, or no time on
    this day that is safe and open)."""
    duration = VISIT_MINUTES.get(candidate.decision.investigation.risk_grade, 45)
    windows = visit_windows(candidate, origin, shift_end, duration, shift_start=shift_start)
    if windows.place is None and case_location(candidate) is None:
        return NO_LOCATION
    return windows.unplannable or NO_LOCATION


def _not_before(
    windows: tuple[TimeWindow, ...], earliest: int, shift_end: int
) -> tuple[TimeWindow, ...]:
    """The visit's windows cut to start no earlier than ``earliest`` (a retry after a failed
    attempt); an open window when there were none. Empty when no window is left."""
    earliest = max(0, earliest)
    if not windows:
        return (TimeWindow(earliest, max(earliest, shift_end)),)
    return tuple(
        TimeWindow(max(w.start_minute, earliest), w.end_minute)
        for w in windows
        if w.end_minute >= earliest
    )


LIVE_SLACK_MINUTES = 15
"""A live incident must be reached within this many minutes of the soonest any team could."""

LIVE_TARGET_CONTEXT = "the live incident's arrival target"


def _travel(problem: PlanningProblem | None, origin: Location, destination: Location) -> int:
    """Minutes from ``origin`` to ``destination`` as the planner counts them."""
    if problem is not None and problem.travel_matrix is not None:
        index = problem.travel_matrix.index()
        return problem.travel_matrix.minutes[index[origin]][index[destination]]
    function = (problem.travel_function if problem is not None else None) or estimate_minutes
    return int(function(origin, destination))


@dataclass(frozen=True)
class Reach:
    """How one team, setting out as soon as it is free, would fare with one visit alone."""

    team: Team
    travel_minutes: int
    arrival_minute: int
    start_minute: int | None
    """When the visit could start: the arrival, or the opening of its time window; None when
    every window has closed before the team can arrive."""
    back_minute: int | None
    """When the team would be back at base after the visit (None when it cannot start)."""

    @property
    def fits(self) -> bool:
        """The team can make this visit and be back before the end of its shift."""
        return self.back_minute is not None and self.back_minute <= self.team.shift.end_minute


def reach(visit: VisitRequest, team: Team, problem: PlanningProblem | None = None) -> Reach:
    """The team's earliest arrival, start and return for ``visit`` made on its own."""
    there = _travel(problem, team.start, visit.location)
    arrival = team.shift.start_minute + there
    windows = sorted(visit.time_windows, key=lambda w: w.start_minute) or [
        TimeWindow(arrival, arrival)
    ]
    start = next((max(arrival, w.start_minute) for w in windows if w.end_minute >= arrival), None)
    back = (
        None
        if start is None
        else (start + visit.duration_minutes + _travel(problem, visit.location, team.end))
    )
    return Reach(team, there, arrival, start, back)


def live_incident_next(visit: VisitRequest, teams: Iterable[Team]) -> VisitRequest:
    """The live incident's visit, to be started no later than the soonest start of any team that
    can make it (from where each is now, when it is free) plus :data:`LIVE_SLACK_MINUTES`, and
    worth more than any other must-attend visit: so the re-plan sends the team that can reach
    it soonest, next (a visit takes longer than the slack, so nothing fits in before it).
    Unchanged when no team can make it in its shift: it is then left out with the reason."""
    starts = [
        r.start_minute
        for team in teams
        if (r := reach(visit, team)).fits and r.start_minute is not None
    ]
    if not starts:
        return visit
    latest_start = min(starts) + LIVE_SLACK_MINUTES
    windows = tuple(
        TimeWindow(w.start_minute, min(w.end_minute, latest_start))
        for w in visit.time_windows
        if w.start_minute <= latest_start
    ) or (TimeWindow(0, latest_start),)
    return replace(
        visit,
        time_windows=windows,
        priority=visit.priority + LIVE_PRIORITY,
        reason_context=LIVE_TARGET_CONTEXT,
    )


def _clock(minute: int, origin: dt.datetime) -> str:
    return f"{to_datetime(minute, origin).astimezone(LONDON):%H:%M}"


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _window_closed(visit: VisitRequest, soonest: Reach, origin: dt.datetime) -> str:
    closes = _clock(max(w.end_minute for w in visit.time_windows), origin)
    there = (
        f"the soonest team is {_duration(soonest.travel_minutes)} away and can be there at "
        f"{_clock(soonest.arrival_minute, origin)} at the earliest"
    )
    if visit.reason_context == CUSTODY_CONTEXT:
        return f"Custody release at {closes} is before the team can arrive: {there}"
    if visit.reason_context == LIVE_TARGET_CONTEXT:
        return f"No team can arrive by {closes}, the live incident's arrival target: {there}"
    if visit.reason_context == SAFE_CONTACT_CONTEXT:
        return f"Her last safe time to start a visit today is {closes}: {there}"
    if visit.reason_context == DISCREET_CONTEXT:
        return f"Her discreet contact window closes at {closes}: {there}"
    return f"Its time window closes at {closes}, before the team can arrive: {there}"


def _outside_shifts(visit: VisitRequest, origin: dt.datetime) -> str:
    first = _clock(min(w.start_minute for w in visit.time_windows), origin)
    last = _clock(max(w.end_minute for w in visit.time_windows), origin)
    if visit.reason_context == NEXT_ATTEMPT_CONTEXT:
        return f"The next attempt is not due until {first}, after every team's shift"
    if visit.reason_context == CUSTODY_CONTEXT:
        return f"Custody release at {last} is before any team's shift starts"
    if visit.reason_context == SAFE_CONTACT_CONTEXT:
        return (
            f"Safe to visit her only from {first} (last start {last}), outside every team's shift"
        )
    return f"It can only be visited from {first} to {last}, outside every team's shift"


def left_out_in_words(
    visit: VisitRequest,
    problem: PlanningProblem,
    origin: dt.datetime,
    *,
    core_reason: str,
    planned: Iterable[VisitRequest] = (),
) -> str:
    """Why ``visit`` is not in the plan, in plain words with the times that decide it.

    Parameters
    ----------
    visit : VisitRequest
        A visit the plan left out.
    problem : PlanningProblem
        The problem the plan answered (teams as they were when it was made).
    origin : datetime
        Minute 0 of the problem (local midnight of the shift's day).
    core_reason : str
        The planner's own reason, kept when no plainer one applies (e.g. a missing skill).
    planned : iterable of VisitRequest
        The visits the plan holds (a must-attend visit that did not fit says which came first).
    """
    teams = [t for t in problem.teams if visit.required_skills <= t.skills]
    if not teams:
        return core_reason[:1].upper() + core_reason[1:]
    reaches = sorted(
        (reach(visit, team, problem) for team in teams), key=lambda r: r.travel_minutes
    )
    nearest = reaches[0]
    if visit.time_windows and not any(
        w.overlaps(r.team.shift) for w in visit.time_windows for r in reaches
    ):
        return _outside_shifts(visit, origin)
    if all(r.start_minute is None for r in reaches):
        return _window_closed(visit, min(reaches, key=lambda r: r.arrival_minute), origin)
    if not any(r.fits for r in reaches):
        return (
            f"Cannot be reached before the shift ends: {_duration(nearest.travel_minutes)} away and the "
            f"shift ends at {_clock(nearest.team.shift.end_minute, origin)}"
        )
    if not visit.mandatory:
        return "Not enough time in the shift for this and higher-priority visits"
    away = _duration(nearest.travel_minutes)
    taken_by = _taken_by(planned)
    if not taken_by:
        return f"Not planned although a team could reach her ({away} away): re-plan, or add her by hand"
    return f"A team could reach her ({away} away), but the shift's time is taken by {taken_by}: ask for another team or move a visit"


def _taken_by(planned: Iterable[VisitRequest]) -> str:
    mandatory = [visit for visit in planned if visit.mandatory]
    live = any(visit.reason_context == LIVE_TARGET_CONTEXT for visit in mandatory)
    others = len(mandatory) - live
    if live:
        return "a live incident and other must-attend visits" if others else "a live incident"
    return "other must-attend visits" if others else ""


def with_reasons_in_words(
    problem: PlanningProblem, result: PlanResult, origin: dt.datetime
) -> PlanResult:
    """``result`` with every left-out visit's reason in plain words (see :func:`left_out_in_words`)."""
    visits = {visit.id: visit for visit in problem.visits}
    planned = [
        visits[stop.visit_id]
        for route in result.routes
        for stop in route.stops
        if stop.visit_id in visits
    ]
    return replace(
        result,
        left_out=tuple(
            replace(
                left,
                reason=left_out_in_words(
                    visits[left.visit_id], problem, origin, core_reason=left.reason, planned=planned
                ),
            )
            if left.visit_id in visits
            else left
            for left in result.left_out
        ),
    )


MUST_ATTEND_PREFIX = "Must attend, not planned: "
"""How a stored left-out reason marks a must-attend victim (``services._left_out_reason``)."""


@dataclass(frozen=True)
class LeftOutRow:
    """A case the plan left out, and why in words (without the must-attend marker)."""

    left_out: UnplannedCandidate
    reason: str


def left_out_sections(
    left_out: Iterable[UnplannedCandidate],
) -> tuple[list[LeftOutRow], list[LeftOutRow]]:
    """The plan's left-out cases split for the plan page: must-attend victims first, then the rest."""
    must_attend: list[LeftOutRow] = []
    others: list[LeftOutRow] = []
    for item in left_out:
        if item.reason.startswith(MUST_ATTEND_PREFIX):
            must_attend.append(LeftOutRow(item, item.reason.removeprefix(MUST_ATTEND_PREFIX)))
        else:
            others.append(LeftOutRow(item, item.reason))
    return must_attend, others


def build_problem(
    teams: Iterable[Team], visits: Iterable[VisitRequest], name: str
) -> PlanningProblem:
    return PlanningProblem(teams=tuple(teams), visits=tuple(visits), name=name)
