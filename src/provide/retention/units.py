"""The unit of review: records looked at, dated and anonymised together.

A police unit is a linked group of people and every police record about them
(:mod:`provide.retention.police_groups`); a health unit is one person's health-side record
(:mod:`provide.retention.assessment`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from provide.retention.rules import Keys, london_date

RecordIds = dict[str, list[int]]


@dataclass
class Unit:
    """Records reviewed together: a linked group (police) or one person's record (health)."""

    side: str
    people: tuple[int, ...]
    dispose_on: dt.date
    review_on: dt.date
    group: int | None = None
    pending: RecordIds = field(default_factory=dict)
    anonymised: Counter[str] = field(default_factory=Counter)
    held: tuple[str, ...] = ()
    investigations: list[tuple[int, dt.datetime, Keys]] = field(default_factory=list)
    """Police: every investigation of the group (id, recorded time, victim and suspect keys)."""

    def due(self, today: dt.date) -> bool:
        return self.dispose_on <= today and not self.held


def activity_dates(moments: Iterable[dt.date | dt.datetime | None]) -> list[dt.date]:
    """The London dates of the moments and dates given, blanks left out."""
    return [london_date(m) if isinstance(m, dt.datetime) else m for m in moments if m is not None]


def add_record(unit: Unit, record_type: str, pk: int, done: set[tuple[str, int]]) -> None:
    """Put a row in its unit: pending, or counted as anonymised when a run did it already."""
    if (record_type, pk) in done:
        unit.anonymised[record_type] += 1
    else:
        unit.pending.setdefault(record_type, []).append(pk)
