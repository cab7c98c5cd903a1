"""Which investigations a day's board covers.

The morning board of ``on_date`` is cut at ``board_cutoff_hour`` local time (07:00: the
triage meeting before the 07:00-15:00 shift) and reaches back ``look_back_hours`` from the
cut-off (seed 002: "recorded investigations from the previous 24 hours"); on a Monday it
reaches back over the weekend too. Today's board runs on to "now", so cases recorded
during the day (live requests) join it as they arrive; a past day's board ends at its
cut-off, as the sergeant saw it that morning.

Calendar questions use local (Europe/London) time; durations are true elapsed time in UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from provide.core.triage.policy import Policy, look_back_for


@dataclass(frozen=True)
class BoardWindow:
    """The time span of one board.

    Attributes
    ----------
    on_date : date
        The local date of the board.
    cutoff : datetime
        The morning cut-off (aware, UTC).
    starts_at : datetime
        Investigations recorded at or after this time are on the board (aware, UTC).
    as_of : datetime
        ... and up to this time; scores and clocks are computed at this moment (aware, UTC).
    look_back_hours : int
        Hours from ``starts_at`` to ``cutoff`` (longer on a Monday).
    """

    on_date: dt.date
    cutoff: dt.datetime
    starts_at: dt.datetime
    as_of: dt.datetime
    look_back_hours: int


def board_window(
    on_date: dt.date,
    policy: Policy,
    tz: dt.tzinfo,
    now: dt.datetime,
    as_of: dt.datetime | None = None,
) -> BoardWindow:
    """The window of the board for ``on_date``.

    Parameters
    ----------
    on_date : date
        Local date of the board; not after the local date of ``now``.
    policy : Policy
        Look-back hours, the weekend rule and the cut-off hour are read.
    tz : tzinfo
        The local time zone (Europe/London).
    now : datetime
        Aware current time.
    as_of : datetime, optional
        Aware moment to compute the board at; by default ``now`` for today's board and the
        cut-off for a past day's.

    Raises
    ------
    ValueError
        For a date in the future, a date so early that its window would start before
        1 January of year 1 (``datetime`` cannot hold it), or a naive datetime.

    Examples
    --------
    >>> import datetime as dt
    >>> from zoneinfo import ZoneInfo
    >>> from provide.core.triage.policy import DEFAULT_POLICY
    >>> now = dt.datetime(2023, 1, 20, 12, tzinfo=dt.UTC)
    >>> w = board_window(dt.date(2023, 1, 9), DEFAULT_POLICY, ZoneInfo("Europe/London"), now)
    >>> w.look_back_hours, w.starts_at.isoformat()
    (72, '2023-01-06T07:00:00+00:00')
    """
    if now.tzinfo is None or (as_of is not None and as_of.tzinfo is None):
        raise ValueError("now and as_of must be timezone-aware")
    today = now.astimezone(tz).date()
    if on_date > today:
        raise ValueError(f"the board for {on_date.isoformat()} is in the future")
    local_cutoff = dt.datetime.combine(
        on_date, dt.time(policy.thresholds.board_cutoff_hour), tzinfo=tz
    )
    look_back = look_back_for(policy, on_date)
    try:
        cutoff = local_cutoff.astimezone(dt.UTC)
        starts_at = cutoff - look_back
    except OverflowError:
        raise ValueError(f"the board for {on_date.isoformat()} is too far in the past") from None
    if as_of is None:
        as_of = now if on_date == today else cutoff
    return BoardWindow(
        on_date=on_date,
        cutoff=cutoff,
        starts_at=starts_at,
        as_of=as_of.astimezone(dt.UTC),
        look_back_hours=int(look_back.total_seconds() // 3600),
    )
