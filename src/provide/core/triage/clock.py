"""The 24-hour clock: from the first police visit to the joint visit.

Engagement was 91.3 % when the IDVA visit came within 24 h of the first police visit and
82.7 % later (McManus et al. 2024, DOMAIN §9.3), so the board shows every case's time left
and warns before the target is missed.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from provide.core.triage.facts import CaseFacts
from provide.core.triage.policy import Thresholds


class ClockState(enum.Enum):
    """Where a case stands against the target."""

    LIVE = "live"
    """No police attendance yet: the clock has not started."""
    ON_TIME = "on_time"
    """More than the warning margin left."""
    DUE_SOON = "due_soon"
    """Fewer than ``warning_hours`` left."""
    BREACHED = "breached"
    """The target has passed."""
    STOPPED = "stopped"
    """The joint team reached the victim: the clock stopped (never shown as breached)."""


@dataclass(frozen=True)
class Clock:
    """A case's 24-hour clock at ``as_of``.

    Attributes
    ----------
    state : ClockState
    due_by : datetime or None
        First police visit + target hours; ``None`` for a live incident.
    hours_since_first_visit : float or None
        Elapsed hours since the first police visit (never negative).
    hours_left : float or None
        Hours to ``due_by``; negative once breached.
    """

    state: ClockState
    due_by: dt.datetime | None = None
    hours_since_first_visit: float | None = None
    hours_left: float | None = None

    @property
    def summary(self) -> str:
        """A short plain-English status, such as ``"5 h left"`` or ``"3 h over the target"``."""
        if self.state is ClockState.STOPPED:
            return "Seen: clock stopped"
        if self.state is ClockState.LIVE or self.hours_left is None:
            return "Live: no police visit yet"
        if self.state is ClockState.BREACHED:
            return f"{_hours(-self.hours_left)} over the target"
        return f"{_hours(self.hours_left)} left"


def _hours(value: float) -> str:
    if value < 1:
        return f"{max(0, round(value * 60))} min"
    return f"{int(value)} h"


def clock_for(case: CaseFacts, as_of: dt.datetime, thresholds: Thresholds) -> Clock:
    """The case's clock at ``as_of``.

    Parameters
    ----------
    case : CaseFacts
    as_of : datetime
        Timezone-aware "now".
    thresholds : Thresholds
        ``target_hours`` and ``warning_hours`` are read.

    Examples
    --------
    >>> import datetime as dt
    >>> from provide.core.triage.facts import CaseFacts
    >>> t0 = dt.datetime(2023, 1, 10, 6, tzinfo=dt.UTC)
    >>> case = CaseFacts("c1", "WB/1", recorded_at=t0, first_police_visit_at=t0)
    >>> clock_for(case, t0 + dt.timedelta(hours=20), Thresholds()).state.value
    'due_soon'
    """
    if case.first_police_visit_at is None:
        return Clock(ClockState.LIVE)
    due_by = case.first_police_visit_at + dt.timedelta(hours=thresholds.target_hours)
    since = max(0.0, (as_of - case.first_police_visit_at).total_seconds() / 3600)
    left = (due_by - as_of).total_seconds() / 3600
    if left <= 0:
        state = ClockState.BREACHED
    elif left < thresholds.warning_hours:
        state = ClockState.DUE_SOON
    else:
        state = ClockState.ON_TIME
    return Clock(state, due_by=due_by, hours_since_first_visit=since, hours_left=left)


def clock_stopped(clock: Clock) -> Clock:
    """The clock once the victim was reached: it keeps its due time and is never breached
    (the case lifecycle stops it at first contact)."""
    return Clock(ClockState.STOPPED, due_by=clock.due_by)
