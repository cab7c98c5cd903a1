"""The evaluation gives the same figures before and after the anonymiser runs.

A journey across modules: synthetic demo data, the evaluation as the dashboard computes it
(every measure, the interrupted time series and the matched comparison), then the nightly run
on two later days, then the evaluation again. Only the report's first recorded date moves (to
the first of its month), as docs/retention.md says.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from provide.core import evaluation as core_evaluation
from provide.core.evaluation import Selection
from provide.demo.services import demo_data_load
from provide.evaluation.selectors import evaluation_build, evaluation_inputs
from provide.people.models import Person
from provide.retention.services import retention_run

pytestmark = pytest.mark.django_db
UTC = dt.UTC
SELECTIONS = (
    Selection(),
    Selection(bcu="West"),
    Selection(date_from=dt.date(2023, 12, 1), date_to=dt.date(2024, 2, 29)),  # whole months
)


def _documents() -> list[dict[str, Any]]:
    return [
        core_evaluation.report_document(evaluation_build(evaluation_inputs(selection), selection))
        for selection in SELECTIONS
    ]


def _without_start(document: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    investigations = dict(document.get("investigations") or {})
    start = investigations.pop("first_recorded_at", None)
    return {**document, "investigations": investigations}, start


def _assert_same(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
    for old, new in zip(before, after, strict=True):
        old_rest, old_start = _without_start(old)
        new_rest, new_start = _without_start(new)
        assert new_rest == old_rest
        assert (old_start is None) == (new_start is None)
        if old_start and new_start:
            assert new_start[:7] == old_start[:7]  # the same month


def test_the_evaluation_is_the_same_before_and_after_anonymising() -> None:
    demo_data_load(end_on=dt.date(2024, 3, 31), days=100, seed=7, bcus=("West",), with_users=False)
    before = _documents()
    assert before[0]["investigations"]["repeat_victim"]["num"] > 0  # the repeat measures have data
    assert before[0]["evaluation"]["tracker_rows"] > 0

    # Group 3 records are past their 6-year clear period; group 2 and 1 are kept.
    with time_machine.travel(dt.datetime(2030, 9, 1, 2, tzinfo=UTC), tick=False):
        dry = retention_run(dry_run=True)
        assert _documents() == before  # a dry run changes nothing
        first = retention_run(dry_run=False)
    changed = first.summary["changed"]
    assert (
        changed["intake.investigation"]
        == dry.summary["police"]["records"]["intake.investigation"]["due"]
        > 0
    )
    assert first.summary["investigation_times"]["month"] > 0
    _assert_same(before, _documents())

    # Everything but group 1 is past its date now.
    with time_machine.travel(dt.datetime(2045, 1, 1, 2, tzinfo=UTC), tick=False):
        second = retention_run(dry_run=False)
    assert second.summary["changed"]["health.supportrecord"] > 0
    assert second.summary["changed"]["people.person"] > 0
    _assert_same(before, _documents())
    assert (
        Person.objects.filter(given_name="").count() >= second.summary["changed"]["people.person"]
    )
