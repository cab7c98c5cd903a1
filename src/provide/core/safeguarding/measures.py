"""Protective measures and their clocks: DVPN → DVPO, and Clare's Law (DVDS) requests.

* A **DVPN** (Crime and Security Act 2010 s24) lasts 48 hours; the DVPO hearing must be
  held within those 48 h or the notice lapses.
* A **DVPO** lasts 14 to 28 days from the day it is made.
* A **DVDS** request (Right to Ask or Right to Know) has a 28-day target for the decision.

:func:`measure_ends_at` gives the expiry / deadline; :func:`measure_alert` says whether a
measure needs attention on ``as_of``.

Example::

    >>> start = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.timezone.utc)
    >>> measure_ends_at(Kind.DVPN, start)
    datetime.datetime(2025, 3, 5, 10, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    DVPN = "dvpn"
    DVPO = "dvpo"
    DVDS_ASK = "dvds_ask"
    DVDS_KNOW = "dvds_know"


DVPN_HOURS = 48
DVPO_MIN_DAYS = 14
DVPO_MAX_DAYS = 28
DVDS_TARGET_DAYS = 28
#: How far ahead an end date raises a "due soon" alert, by kind.
WARN_BEFORE: dict[Kind, dt.timedelta] = {
    Kind.DVPN: dt.timedelta(hours=24),
    Kind.DVPO: dt.timedelta(days=3),
    Kind.DVDS_ASK: dt.timedelta(days=7),
    Kind.DVDS_KNOW: dt.timedelta(days=7),
}
DVPO_DAYS_OUT_OF_RANGE = f"A DVPO lasts {DVPO_MIN_DAYS} to {DVPO_MAX_DAYS} days"


class Level(enum.Enum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Alert:
    level: Level
    message: str


def measure_ends_at(
    kind: Kind, issued_at: dt.datetime, *, dvpo_days: int | None = None
) -> dt.datetime:
    """When a measure issued (or, for DVDS, requested) at ``issued_at`` expires or is due.

    ``dvpo_days`` (14–28) is required for a DVPO; ValueError otherwise.
    """
    if kind is Kind.DVPN:
        return issued_at + dt.timedelta(hours=DVPN_HOURS)
    if kind is Kind.DVPO:
        if dvpo_days is None or not DVPO_MIN_DAYS <= dvpo_days <= DVPO_MAX_DAYS:
            raise ValueError(DVPO_DAYS_OUT_OF_RANGE)
        return issued_at + dt.timedelta(days=dvpo_days)
    return issued_at + dt.timedelta(days=DVDS_TARGET_DAYS)


def measure_alert(
    kind: Kind, ends_at: dt.datetime, *, as_of: dt.datetime, active: bool = True
) -> Alert | None:
    """An alert for a measure still running on ``as_of``, or None.

    Overdue once ``ends_at`` has passed (a DVPN that lapsed without a DVPO hearing, a DVPO
    that has expired and needs review, a DVDS decision past its 28-day target); due soon
    within :data:`WARN_BEFORE` of it.
    """
    if not active:
        return None
    if as_of >= ends_at:
        return Alert(Level.OVERDUE, _OVERDUE[kind])
    if ends_at - as_of <= WARN_BEFORE[kind]:
        return Alert(Level.DUE_SOON, _DUE_SOON[kind])
    return None


_OVERDUE = {
    Kind.DVPN: "DVPN lapsed: the 48 hours have passed",
    Kind.DVPO: "DVPO expired: review the victim's safety",
    Kind.DVDS_ASK: "Clare's Law decision past its 28-day target",
    Kind.DVDS_KNOW: "Clare's Law decision past its 28-day target",
}
_DUE_SOON = {
    Kind.DVPN: "DVPO hearing needed before the DVPN lapses",
    Kind.DVPO: "DVPO ends within 3 days",
    Kind.DVDS_ASK: "Clare's Law decision due within 7 days",
    Kind.DVDS_KNOW: "Clare's Law decision due within 7 days",
}
