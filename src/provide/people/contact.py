"""When a victim may safely be contacted: the one place that decides it.

A person's safe-contact times are kept as written (``safe_contact_times``) and as read into
weekly ranges (``safe_contact_schedule``, :mod:`provide.core.contact`). Dated availability the
IDVA or an officer records (:class:`~provide.people.models.VictimAvailability`) adds times she
can be seen. :func:`contact_windows_for` turns these into the windows of one day; the planner,
the route and the plan's output read them from here, never from the text.

The rules, for one day:

* no ranges and no availability: no restriction (``windows`` is ``None``);
* otherwise the safe periods of her schedule, plus her availability that day, are the only
  windows, each with its source (``"safe_contact"`` or ``"availability"``);
* no window ever overlaps an unsafe range, availability included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from provide.core.contact import ContactSchedule, read_contact_times, subtract
from provide.people.models import Person, VictimAvailability

LONDON = ZoneInfo("Europe/London")
SAFE_CONTACT = "safe_contact"
AVAILABILITY = "availability"


def contact_fields_from_text(text: str) -> dict[str, Any]:
    """The stored fields a safe-contact text gives: the times as written, the schedule read from
    them, whether a person must review them, and the warnings the text names (only ever turned
    on: a warning is never cleared by text that does not mention it)."""
    reading = read_contact_times(text)
    fields: dict[str, Any] = {
        "safe_contact_times": text,
        "safe_contact_schedule": reading.schedule.to_json(),
        "safe_contact_review_needed": not reading.complete,
    }
    fields.update(dict.fromkeys(reading.warnings, True))
    return fields


def schedule_of(person: Person) -> ContactSchedule:
    """The person's weekly safe-contact ranges."""
    return ContactSchedule.from_json(person.safe_contact_schedule)


@dataclass(frozen=True)
class ContactWindow:
    """A time on one day when the victim may be visited, and where that comes from."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    source: str

    def to_json(self) -> dict[str, str]:
        return {
            "start": self.starts_at.astimezone(LONDON).isoformat(),
            "end": self.ends_at.astimezone(LONDON).isoformat(),
            "source": self.source,
        }


@dataclass(frozen=True)
class ContactWindows:
    """The victim's windows on one day (``None``: no restriction), and what the team must know."""

    windows: tuple[ContactWindow, ...] | None
    unsafe: tuple[tuple[dt.datetime, dt.datetime], ...]
    review_needed: bool
    suspect_may_answer: bool

    @property
    def restricted(self) -> bool:
        return self.windows is not None


def _at(day: dt.date, minute: int) -> dt.datetime:
    """The moment of ``day`` whose local clock reads ``minute`` (1440: the next midnight). The
    schedule is in wall-clock time, so 09:00 stays 09:00 on the days the clocks change."""
    if minute >= 1440:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=LONDON)


def _minute_of(day: dt.date, moment: dt.datetime) -> int:
    """The local clock minute of ``moment`` on ``day``: 0 before the day, 1440 after it."""
    local = moment.astimezone(LONDON)
    if local.date() < day:
        return 0
    if local.date() > day:
        return 1440
    return local.hour * 60 + local.minute


def contact_windows_for(person: Person, day: dt.date) -> ContactWindows:
    """The times on ``day`` (local) when ``person`` may be visited (see the module's rules)."""
    schedule = schedule_of(person)
    safe = schedule.periods_on(day)
    unsafe = schedule.unsafe_periods_on(day)
    start_of_day, end_of_day = _at(day, 0), _at(day, 1440)
    available = [  # .all(): the planner prefetches availability for every candidate at once
        (_minute_of(day, a.starts_at), _minute_of(day, a.ends_at))
        for a in person.availability.all()
        if a.starts_at < end_of_day and a.ends_at > start_of_day
    ]
    windows: tuple[ContactWindow, ...] | None = None
    if safe is not None or available:
        found = [
            ContactWindow(_at(day, start), _at(day, end), SAFE_CONTACT) for start, end in safe or ()
        ]
        found += [
            ContactWindow(_at(day, start), _at(day, end), AVAILABILITY)
            for start, end in subtract([p for p in available if p[0] < p[1]], unsafe)
        ]
        windows = tuple(sorted(found, key=lambda w: (w.starts_at, w.source)))
    return ContactWindows(
        windows=windows,
        unsafe=tuple((_at(day, start), _at(day, end)) for start, end in unsafe),
        review_needed=person.safe_contact_review_needed,
        suspect_may_answer=person.suspect_may_answer,
    )


def availability_upcoming(person: Person) -> list[VictimAvailability]:
    """The times she is available that have not yet passed, soonest first."""
    return list(person.availability.filter(ends_at__gt=timezone.now()).order_by("starts_at"))
