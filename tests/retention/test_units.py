"""The unit of review: due when its date has come and nothing holds it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from provide.retention.units import Unit, activity_dates, add_record

UTC = dt.UTC


def test_a_unit_is_due_from_its_date_unless_held() -> None:
    unit = Unit("police", (1,), dt.date(2030, 1, 1), dt.date(2030, 1, 1))
    assert not unit.due(dt.date(2029, 12, 31))
    assert unit.due(dt.date(2030, 1, 1))
    unit.held = ("open_case",)
    assert not unit.due(dt.date(2031, 1, 1))


def test_rows_done_before_are_counted_not_pending() -> None:
    unit = Unit("health", (1,), dt.date(2030, 1, 1), dt.date(2030, 1, 1))
    for pk in (1, 2, 3):
        add_record(unit, "health.supportrecord", pk, done={("health.supportrecord", 2)})
    assert unit.pending == {"health.supportrecord": [1, 3]}
    assert unit.anonymised == Counter({"health.supportrecord": 1})


def test_activity_dates_are_london_dates_without_blanks() -> None:
    late = dt.datetime(2021, 6, 30, 23, 30, tzinfo=UTC)  # 1 July in London
    assert activity_dates([late, None, dt.date(2020, 1, 2)]) == [
        dt.date(2021, 7, 1),
        dt.date(2020, 1, 2),
    ]
