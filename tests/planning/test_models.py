"""Planning records: a planning job is active while it waits or runs."""

from __future__ import annotations

import pytest

from provide.planning.models import PlanJob


@pytest.mark.parametrize(
    ("status", "active"),
    [("queued", True), ("running", True), ("done", False), ("failed", False)],
)
def test_a_job_is_active_while_it_waits_or_runs(status: str, active: bool) -> None:
    assert PlanJob(status=status).active is active
