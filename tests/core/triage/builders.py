"""Small builders for triage facts: a case that scores only what a test names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from provide.core.triage import CaseFacts, Grade

T0 = dt.datetime(2023, 1, 10, 7, 0, tzinfo=dt.UTC)
"""The board moment most tests use (Tuesday 10 January 2023, 07:00 GMT)."""


def case(ref: str = "WB/1", **overrides: Any) -> CaseFacts:
    """A medium-risk case recorded 2 h before T0 with no clock yet unless given."""
    fields: dict[str, Any] = {
        "case_id": ref,
        "reference": ref,
        "recorded_at": T0 - dt.timedelta(hours=2),
        "first_police_visit_at": None,
        "risk_grade": Grade.MEDIUM,
    }
    fields.update(overrides)
    return CaseFacts(**fields)
