"""Stale cases: accepted for a joint visit but not visited (SPEC §11: queues never lose a case).

A case is stale 24 hours after it was accepted with no visit, and very stale after 72 hours.
The shell decides "not visited" (no visit arrived after the acceptance); this module only
names the band.
"""

from __future__ import annotations

import datetime as dt
import enum


class StaleBand(enum.Enum):
    """How long an accepted case has waited for a visit."""

    OVER_24_HOURS = 24
    OVER_72_HOURS = 72

    @property
    def label(self) -> str:
        return f"Not visited after {self.value} hours"


STALE_AFTER_HOURS: tuple[int, ...] = tuple(band.value for band in StaleBand)
"""The stale thresholds in hours since acceptance: 24 and 72."""


def stale_band(accepted_at: dt.datetime, as_of: dt.datetime) -> StaleBand | None:
    """The band of a case accepted at ``accepted_at`` and not visited by ``as_of``.

    Examples
    --------
    >>> import datetime as dt
    >>> t0 = dt.datetime(2023, 1, 10, tzinfo=dt.UTC)
    >>> stale_band(t0, t0 + dt.timedelta(hours=30))
    <StaleBand.OVER_24_HOURS: 24>
    >>> stale_band(t0, t0 + dt.timedelta(hours=23)) is None
    True
    """
    hours = (as_of - accepted_at).total_seconds() / 3600
    if hours >= StaleBand.OVER_72_HOURS.value:
        return StaleBand.OVER_72_HOURS
    if hours >= StaleBand.OVER_24_HOURS.value:
        return StaleBand.OVER_24_HOURS
    return None
