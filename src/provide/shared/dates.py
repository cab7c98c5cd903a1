"""The calendar span Provide works in, so that a typed date cannot break date arithmetic.

Python's dates run from year 1 to year 9999, and a board, a planning day or an evaluation
period adds and takes away days and hours: a date at either end (``?date=0001-01-01``,
``9999-12-31``) overflows. No record of the programme falls outside 1900-2199, so pages and
the API refuse dates outside it with :data:`OUT_OF_RANGE` (a 400 with the reason), well away
from the ends.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)
OUT_OF_RANGE = "Enter a date between 1900 and 2199"


def day_in_range(day: dt.date) -> bool:
    """Whether ``day`` (or a datetime's day) lies in 1900-2199, the span Provide works in."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST_DAY <= day <= LATEST_DAY


def validate_day_in_range(value: dt.date | None) -> None:
    """Form and serializer validator: refuse a date outside 1900-2199 with a reason."""
    if value is not None and not day_in_range(value):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")
