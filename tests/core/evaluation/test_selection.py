"""Which rows an evaluation covers: a BCU and an inclusive period."""

from __future__ import annotations

from datetime import date

import pytest

from provide.core.evaluation.selection import Selection


def test_a_one_day_period_and_open_ends_are_allowed() -> None:
    assert Selection("West", date(2023, 1, 9), date(2023, 1, 9)).date_to == date(2023, 1, 9)
    assert Selection(date_from=date(2023, 1, 9)).date_to is None
    assert Selection() == Selection(None, None, None)


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"the period starts \(2023-01-10\) after it ends \(2023-01-09\)"
    ):
        Selection(date_from=date(2023, 1, 10), date_to=date(2023, 1, 9))
