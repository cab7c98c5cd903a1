"""Safe contact with a victim: when it is safe (a weekly schedule) and reading it from words.

Pure Python, no Django: the people app stores a schedule, the planner turns it into hard time
windows (:mod:`provide.planning.mapping`).
"""

from provide.core.contact.reading import WARNINGS, ContactReading, read_contact_times
from provide.core.contact.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    WEEKEND,
    ContactSchedule,
    WeeklyRange,
    clock,
    days_in_words,
    intersect,
    subtract,
)

__all__ = [
    "EVERY_DAY",
    "WARNINGS",
    "WEEKDAYS",
    "WEEKEND",
    "ContactReading",
    "ContactSchedule",
    "WeeklyRange",
    "clock",
    "days_in_words",
    "intersect",
    "read_contact_times",
    "subtract",
]
