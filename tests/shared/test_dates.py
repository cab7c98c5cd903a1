"""The calendar span Provide works in: 1900 to 2199."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from provide.shared.dates import OUT_OF_RANGE, day_in_range, validate_day_in_range


@pytest.mark.parametrize(
    ("day", "inside"),
    [(dt.date(1900, 1, 1), True), (dt.date(2199, 12, 31), True), (dt.date(1899, 12, 31), False),
     (dt.date(2200, 1, 1), False), (dt.date(1, 1, 1), False), (dt.date(9999, 12, 31), False),
     (dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC), True)],
)  # fmt: skip
def test_the_span(day: dt.date, inside: bool) -> None:
    assert day_in_range(day) is inside


def test_the_validator_refuses_with_the_reason_and_lets_none_through() -> None:
    validate_day_in_range(None)
    validate_day_in_range(dt.date(2026, 12, 5))
    with pytest.raises(ValidationError, match=OUT_OF_RANGE):
        validate_day_in_range(dt.date(9999, 12, 31))
