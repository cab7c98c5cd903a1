"""The counts of an assessment: due, held, coming up, kept; never a name or a reference."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from provide.intake.models import CustodyEpisode
from provide.retention.assessment import retention_assess
from provide.retention.models import Side
from provide.retention.summary import summarise, summary_json
from tests.retention.conftest import AS_OF, HEALTH_MARKERS, POLICE_MARKERS

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def _line(summary: Any, record_type: str) -> Any:
    return next(line for line in summary.lines if line.record_type == record_type)


def test_due_rows_are_counted_per_record_type(old_records: dict[str, Any]) -> None:
    police = summarise(retention_assess(now=AS_OF), Side.POLICE)
    line = _line(police, "intake.investigation")
    assert (line.due, line.held, line.upcoming, line.kept, line.anonymised) == (2, 0, 0, 0, 0)
    assert police.units == {"due": 1, "held": 0, "upcoming": 0, "kept": 0}
    assert police.mopi_groups == [(2, 1)]
    health = summarise(retention_assess(now=AS_OF), Side.HEALTH)
    assert _line(health, "health.supportrecord").due == 1
    assert health.mopi_groups == []


def test_held_and_upcoming_rows_are_counted_with_the_reason(old_records: dict[str, Any]) -> None:
    CustodyEpisode.objects.filter(pk=old_records["custody"].pk).update(
        status="bailed", released_at=None
    )
    held = summarise(retention_assess(now=AS_OF), Side.POLICE)
    assert _line(held, "intake.investigation").held == 2
    assert held.held_reasons == [
        ("A suspect in custody, on bail or released under investigation", 1)
    ]
    soon = summarise(retention_assess(now=dt.datetime(2022, 9, 1, 12, tzinfo=UTC)), Side.POLICE)
    assert _line(soon, "intake.investigation").upcoming == 2
    later = summarise(retention_assess(now=dt.datetime(2016, 1, 1, 12, tzinfo=UTC)), Side.POLICE)
    assert _line(later, "intake.investigation").kept == 2


def test_the_json_summary_holds_counts_only(old_records: dict[str, Any]) -> None:
    document = summary_json(retention_assess(now=AS_OF))
    assert document["people"] == {"due": 2, "anonymised_before": 0, "total": 2}
    assert document["police"]["records"]["intake.investigation"]["due"] == 2
    text = json.dumps(document)
    assert [m for m in [*POLICE_MARKERS.values(), *HEALTH_MARKERS.values()] if m in text] == []
