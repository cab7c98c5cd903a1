"""A seeded generator of realistic shift-planning problems (city-sized area, 4 teams)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from provide.core.contact import intersect, read_contact_times
from provide.core.planning.problem import (
    BreakRule,
    Location,
    PlanningProblem,
    Team,
    TimeWindow,
    VisitRequest,
)
from provide.core.synthetic.people import SAFE_CONTACT_TIMES

BASE = Location(53.4808, -2.2426)


def realistic_problem(
    *, seed: int, n_visits: int = 60, n_teams: int = 4, breaks: bool = True
) -> PlanningProblem:
    """Visits within ~12 km of base, 30-90 min long, priority 1-10, some custody windows."""
    rng = random.Random(seed)
    teams = tuple(
        Team(
            id=f"T{k + 1}",
            start=BASE,
            end=BASE,
            shift=TimeWindow(480, 1200) if k % 2 == 0 else TimeWindow(600, 1320),
            break_rule=BreakRule(720, 840, 30) if breaks else None,
            skills=frozenset({"language:pl"}) if k == 0 else frozenset(),
        )
        for k in range(n_teams)
    )
    visits = []
    for i in range(n_visits):
        location = Location(BASE.lat + rng.uniform(-0.1, 0.1), BASE.lon + rng.uniform(-0.16, 0.16))
        kind = rng.random()
        if kind < 0.3:
            release = rng.randrange(600, 1260, 15)
            windows: tuple[TimeWindow, ...] = (TimeWindow(480, release),)
            context: str | None = "the suspect's expected release"
        elif kind < 0.5:
            appointment = rng.randrange(540, 1140, 15)
            windows = (TimeWindow(appointment - 30, appointment),)
            context = "the health appointment"
        elif kind < 0.6:
            a = rng.randrange(480, 700, 15)
            b = rng.randrange(900, 1100, 15)
            windows = (TimeWindow(a, a + 90), TimeWindow(b, b + 120))
            context = None
        else:
            windows = ()
            context = None
        visits.append(
            VisitRequest(
                id=f"case-{i + 1}",
                location=location,
                duration_minutes=rng.choice((30, 45, 60, 90)),
                priority=rng.randint(1, 10),
                time_windows=windows,
                required_skills=frozenset({"language:pl"}) if rng.random() < 0.1 else frozenset(),
                reason_context=context,
            )
        )
    return PlanningProblem(teams=teams, visits=tuple(visits), name=f"realistic-{seed}")


PROGRAMME_SHIFTS = (
    (TimeWindow(420, 900), BreakRule(660, 780, 30)),  # 07:00-15:00, break 11:00-13:00
    (TimeWindow(840, 1320), BreakRule(1080, 1200, 30)),  # 14:00-22:00, break 18:00-20:00
)
"""The programme's shifts (DOMAIN.md, seed 002: 07:00-15:00 or 14:00-22:00)."""


def programme_problem(*, seed: int, n_visits: int = 60, n_teams: int = 4) -> PlanningProblem:
    """Like :func:`realistic_problem` but on the programme's 8-hour shifts, alternating early
    and late, with 45-90 minute visits (a team makes 4-6 in a shift; DOMAIN.md: 4-5)."""
    base = realistic_problem(seed=seed, n_visits=n_visits, n_teams=n_teams)
    rng = random.Random(seed + 1000)
    teams = tuple(
        replace(
            team,
            shift=PROGRAMME_SHIFTS[k % 2][0],
            break_rule=PROGRAMME_SHIFTS[k % 2][1],
        )
        for k, team in enumerate(base.teams)
    )
    visits = tuple(
        replace(visit, duration_minutes=rng.choice((45, 60, 75, 90))) for visit in base.visits
    )
    return PlanningProblem(teams=teams, visits=visits, name=f"programme-{seed}")


def with_live_incidents(
    problem: PlanningProblem, *, count: int = 3, seed: int = 7
) -> PlanningProblem:
    """The same problem with ``count`` of its visits turned into live incidents, as the
    sergeant inserts them: mandatory, to be made at any time in the shift."""
    chosen = set(random.Random(seed).sample(range(len(problem.visits)), count))
    visits = tuple(
        replace(visit, mandatory=True, time_windows=(), reason_context=None)
        if j in chosen
        else visit
        for j, visit in enumerate(problem.visits)
    )
    return replace(problem, visits=visits, name=f"{problem.name}-incidents")


def incidents_problem(*, seed: int, n_visits: int = 60, n_teams: int = 4) -> PlanningProblem:
    """:func:`programme_problem` with three live incidents (:func:`with_live_incidents`)."""
    return with_live_incidents(programme_problem(seed=seed, n_visits=n_visits, n_teams=n_teams))


SAFE_CONTACT_DAY = dt.date(2026, 12, 7)
"""A Monday: the safe-contact family plans one of the five weekdays from here (by seed)."""

CLINICS = (
    Location(53.4631, -2.2281),  # synthetic clinic sites, not real premises
    Location(53.5102, -2.2003),
    Location(53.4553, -2.2865),
)
"""Where the safe-contact family's health appointments are (never her address)."""


def start_windows(periods: tuple[tuple[int, int], ...], duration: int) -> tuple[TimeWindow, ...]:
    """Her safe periods as start windows for a ``duration``-minute visit: a visit starts and
    ends inside one period, so each becomes ``[start, end - duration]``; periods too short
    are dropped (as :func:`provide.planning.mapping.visit_windows` does)."""
    return tuple(TimeWindow(a, b - duration) for a, b in periods if b - duration >= a)


def _fits_a_shift(windows: tuple[TimeWindow, ...], duration: int, teams: tuple[Team, ...]) -> bool:
    if not windows:
        return True
    return any(
        max(w.start_minute, team.shift.start_minute)
        <= min(w.end_minute, team.shift.end_minute - duration)
        for w in windows
        for team in teams
    )


def safe_contact_problem(
    *, seed: int, n_visits: int = 60, n_teams: int = 4, appointment_share: float = 0.15
) -> PlanningProblem:
    """The programme's two 8-hour shifts (alternating early and late, no break, as the product
    builds teams) with each victim's windows made the way the product makes them.

    For each case: a safe-contact text drawn with the synthetic people's weights
    (:data:`provide.core.synthetic.people.SAFE_CONTACT_TIMES`), read with
    :func:`provide.core.contact.read_contact_times`, its periods on the day (a weekday, by
    seed) turned into start windows (:func:`start_windows`); about ``appointment_share`` of
    the victims have a 30-60 minute health appointment inside the shifts, met there while it
    lasts (it replaces her safe-contact windows, as in the product); 30 % of the others have a
    suspect in custody, whose expected release closes every window. Cases with no start
    window inside any team's shift are not generated (the product leaves them out before
    solving): the problem has ``n_visits`` visits, all plannable in principle."""
    rng = random.Random(seed * 7919 + 17)
    day = SAFE_CONTACT_DAY + dt.timedelta(days=seed % 5)
    teams = tuple(
        Team(
            id=f"T{k + 1}",
            start=BASE,
            end=BASE,
            shift=PROGRAMME_SHIFTS[k % 2][0],
            skills=frozenset({"language:pl"}) if k == 0 else frozenset(),
        )
        for k in range(n_teams)
    )
    first = min(t.shift.start_minute for t in teams)
    last = max(t.shift.end_minute for t in teams)
    visits: list[VisitRequest] = []
    while len(visits) < n_visits:
        home = Location(BASE.lat + rng.uniform(-0.1, 0.1), BASE.lon + rng.uniform(-0.16, 0.16))
        duration = rng.choice((45, 60, 75, 90))
        priority = rng.randint(1, 10)
        skills = frozenset({"language:pl"}) if rng.random() < 0.1 else frozenset()
        location = home
        periods = read_contact_times(SAFE_CONTACT_TIMES(rng)).schedule.periods_on(day)
        windows: tuple[TimeWindow, ...] = ()
        context: str | None = None
        if rng.random() < appointment_share:
            length = rng.choice((30, 40, 45, 60))
            begins = rng.randrange(first, last - length + 1, 5)
            windows = (TimeWindow(begins, begins + length),)
            location = rng.choice(CLINICS)
            context = "a discreet contact window"
        else:
            if periods is not None:
                windows = start_windows(periods, duration)
                context = "her safe-contact times"
                if not windows:
                    continue
            if rng.random() < 0.3:
                release = rng.randrange(600, 1260, 15)
                spans = [(w.start_minute, w.end_minute) for w in windows] or [(0, release)]
                windows = tuple(TimeWindow(a, b) for a, b in intersect(spans, [(-1440, release)]))
                context = "the suspect's expected release"
                if not windows:
                    continue
        if not _fits_a_shift(windows, duration, teams):
            continue
        visits.append(
            VisitRequest(
                id=f"case-{len(visits) + 1}",
                location=location,
                duration_minutes=duration,
                priority=priority,
                time_windows=windows,
                required_skills=skills,
                reason_context=context,
            )
        )
    return PlanningProblem(teams=teams, visits=tuple(visits), name=f"safe-contact-{seed}")
