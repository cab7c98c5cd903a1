"""Where each planned stop sits on the shift's timeline, as a share of the shift."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.planning.models import Plan, PlannedStop, Shift
from provide.planning.timeline import timeline_rows
from tests.planning.test_services import west_shift  # noqa: F401 - the shift fixture (07:00-15:00)

pytestmark = pytest.mark.django_db


def stop(
    plan: Plan, case: Any, sequence: int, arrive: float, start: float | None, leave: float
) -> PlannedStop:
    """A stop at clock hours of the shift's day (the shift runs 07:00 to 15:00)."""

    def _at(hour: float) -> dt.datetime:
        return plan.shift.starts_at + dt.timedelta(hours=hour - 7)

    return PlannedStop.objects.create(
        plan=plan,
        sequence=sequence,
        investigation=case["investigation"],
        planned_arrival_at=_at(arrive),
        planned_start_at=_at(start) if start is not None else None,
        planned_departure_at=_at(leave),
    )


def test_stops_are_placed_by_their_start_as_a_share_of_the_shift(
    west_shift: Shift,  # noqa: F811
    west_case: dict[str, Any],
) -> None:
    plan = Plan.objects.create(shift=west_shift, version=1)
    stop(plan, west_case, 1, arrive=8, start=9, leave=11)  # waits for its window: drawn from 09:00
    stop(plan, west_case, 2, arrive=13, start=None, leave=14)
    rows = timeline_rows(west_shift, plan)
    assert [(row["left"], row["width"]) for row in rows] == [(25.0, 25.0), (75.0, 12.5)]


def test_a_short_stop_stays_visible_and_nothing_runs_off_the_end(
    west_shift: Shift,  # noqa: F811
    west_case: dict[str, Any],
) -> None:
    plan = Plan.objects.create(shift=west_shift, version=1)
    stop(plan, west_case, 1, arrive=7, start=None, leave=7 + 1 / 60)
    stop(plan, west_case, 2, arrive=14.5, start=None, leave=16)
    first, last = timeline_rows(west_shift, plan)
    assert (first["left"], first["width"]) == (0.0, 1.5)
    assert last["left"] == 93.75 and last["width"] == 6.25


def test_a_stop_before_the_shift_starts_is_drawn_at_the_start(
    west_shift: Shift,  # noqa: F811
    west_case: dict[str, Any],
) -> None:
    plan = Plan.objects.create(shift=west_shift, version=1)
    stop(plan, west_case, 1, arrive=6, start=None, leave=8)
    (row,) = timeline_rows(west_shift, plan)
    assert row["left"] == 0.0
    assert west_shift.ends_at - west_shift.starts_at == dt.timedelta(hours=8)
