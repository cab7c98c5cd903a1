"""The FORMATS.md rows written from a synthetic dataset: local times, Y/N, custody as at a moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from provide.core.synthetic import SyntheticDataset
from provide.core.synthetic.custody import SyntheticCustodyEvent
from provide.core.synthetic.extract import (
    CUSTODY_COLUMNS,
    INVESTIGATION_COLUMNS,
    TRACKER_COLUMNS,
    custody_at,
    custody_rows,
    format_bool,
    format_date,
    format_datetime,
    format_list,
    investigation_rows,
    tracker_rows,
)
from provide.core.tabular import parse_datetime

T0 = datetime(2023, 6, 13, 9, tzinfo=UTC)


def test_datetimes_are_written_in_london_time_with_their_offset() -> None:
    assert format_datetime(T0) == "2023-06-13T10:00:00+01:00"
    assert (
        format_datetime(datetime(2023, 1, 10, 7, 0, 30, tzinfo=UTC)) == "2023-01-10T07:00:30+00:00"
    )
    assert format_datetime(None) == ""


@pytest.mark.parametrize(("value", "text"), [(True, "Y"), (False, "N"), (None, "")])
def test_booleans_are_y_n_or_blank(value: bool | None, text: str) -> None:
    assert format_bool(value) == text


def test_dates_and_lists() -> None:
    assert format_date(date(2023, 2, 28)) == "2023-02-28" and format_date(None) == ""
    assert format_list(("physical", "economic")) == "physical;economic" and format_list(()) == ""


def event(ref: str, kind: str, hours: float, investigation: str = "INV/1") -> SyntheticCustodyEvent:
    expected = T0 + timedelta(hours=24) if kind == "arrested" else None
    return SyntheticCustodyEvent(
        ref, "P1", investigation, kind, T0 + timedelta(hours=hours), expected
    )


def test_custody_at_holds_only_episodes_open_at_that_moment() -> None:
    events = (
        event("C1", "arrested", 0),
        event("C2", "arrested", 1, investigation="INV/2"),
        event("C1", "bailed", 5),
        event("C3", "arrested", 9, investigation="INV/3"),
    )
    assert custody_at(events, T0 - timedelta(minutes=1)) == {}
    assert custody_at(events, T0 + timedelta(hours=2)) == {
        "INV/1": T0 + timedelta(hours=24),
        "INV/2": T0 + timedelta(hours=24),
    }
    assert set(custody_at(events, T0 + timedelta(hours=5))) == {"INV/2"}


def test_a_charge_and_remand_ends_the_police_custody_episode() -> None:
    events = (event("C1", "arrested", 0), event("C1", "charged_remanded", 3))
    assert custody_at(events, T0 + timedelta(hours=4)) == {}


def test_rows_have_one_cell_per_documented_column(sample: SyntheticDataset) -> None:
    assert all(len(row) == len(INVESTIGATION_COLUMNS) for row in investigation_rows(sample))
    assert all(len(row) == len(TRACKER_COLUMNS) for row in tracker_rows(sample))
    assert all(len(row) == len(CUSTODY_COLUMNS) for row in custody_rows(sample))


def test_investigation_rows_read_back_to_the_same_moments(sample: SyntheticDataset) -> None:
    recorded = INVESTIGATION_COLUMNS.index("recorded_at")
    for investigation, row in zip(sample.investigations, investigation_rows(sample), strict=True):
        assert parse_datetime(row[recorded]) == investigation.recorded_at


def test_custody_columns_are_as_at_the_moment_asked(sample: SyntheticDataset) -> None:
    in_custody = INVESTIGATION_COLUMNS.index("suspect_in_custody")
    release = in_custody + 1
    arrest = next(e for e in sample.custody_events if e.event == "arrested")
    just_after = arrest.event_at + timedelta(minutes=1)
    rows = {row[0]: row for row in investigation_rows(sample, as_of=just_after)}
    row = rows[arrest.investigation_ref]
    assert row[in_custody] == "Y" and row[release] == format_datetime(arrest.expected_release_at)
    before = {
        row[0]: row
        for row in investigation_rows(sample, as_of=arrest.event_at - timedelta(minutes=1))
    }
    assert (
        before[arrest.investigation_ref][in_custody] == "N"
        and before[arrest.investigation_ref][release] == ""
    )
