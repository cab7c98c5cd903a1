"""Custody in words, as the board, its hand-over and the investigation page show it."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.triage import CustodyStatus, CustodyWindow
from provide.intake.presenters import NOT_IN_CUSTODY, custody_text

ARRESTED = dt.datetime(2023, 6, 13, 8, 0, tzinfo=dt.UTC)  # 09:00 BST
RELEASE = ARRESTED + dt.timedelta(hours=24)


def window(**fields: object) -> CustodyWindow:
    values: dict[str, object] = {
        "status": CustodyStatus.IN_CUSTODY,
        "arrested_at": ARRESTED,
        "expected_release_at": RELEASE,
        "custody_ref": "C-1",
    }
    values.update(fields)
    return CustodyWindow(**values)  # type: ignore[arg-type]


def test_no_custody() -> None:
    assert custody_text(None, ARRESTED) == NOT_IN_CUSTODY == "Not in custody"


def test_in_custody_names_the_local_times_and_the_hours_left() -> None:
    assert custody_text(window(), ARRESTED + dt.timedelta(hours=6)) == (
        "In police custody since Tue 13 Jun 09:00 (C-1); expected release Wed 14 Jun 09:00, in 18 h"
    )


def test_a_passed_release_asks_to_check_with_custody() -> None:
    text = custody_text(window(custody_ref=""), RELEASE + dt.timedelta(minutes=1))
    assert text == (
        "Expected release at Wed 14 Jun 09:00 has passed: check with custody whether the "
        "suspect is still detained"
    )


@pytest.mark.parametrize("at_release", [True, False])
def test_release_exactly_now_counts_as_passed(at_release: bool) -> None:
    as_of = RELEASE if at_release else RELEASE - dt.timedelta(minutes=30)
    assert ("has passed" in custody_text(window(), as_of)) is at_release


def test_without_an_expected_release() -> None:
    assert custody_text(window(expected_release_at=None), ARRESTED) == (
        "In police custody since Tue 13 Jun 09:00 (C-1); expected release not recorded"
    )


def test_remand() -> None:
    assert (
        custody_text(window(status=CustodyStatus.REMANDED), ARRESTED)
        == "Charged and remanded in custody (C-1)"
    )
