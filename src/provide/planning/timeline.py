"""Positions for the plan timeline: each stop as a share of the shift's length."""

from __future__ import annotations

from typing import Any

from provide.planning.models import Plan, Shift


def timeline_rows(shift: Shift, plan: Plan) -> list[dict[str, Any]]:
    length = max(1.0, (shift.ends_at - shift.starts_at).total_seconds())
    rows = []
    for stop in plan.stops.all():
        start = stop.planned_start_at or stop.planned_arrival_at
        left = max(0.0, (start - shift.starts_at).total_seconds() / length * 100)
        width = max(1.5, (stop.planned_departure_at - start).total_seconds() / length * 100)
        rows.append(
            {"stop": stop, "left": round(left, 2), "width": round(min(width, 100 - left), 2)}
        )
    return rows
