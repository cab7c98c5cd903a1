"""The plain facts the triage score reads about one case."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.triage.facts import (
    CustodyStatus,
    CustodyWindow,
    Grade,
    VictimHistory,
    vulnerability_label,
)
from tests.core.triage.builders import T0, case


def test_grade_labels_are_capitalised() -> None:
    assert [grade.label for grade in Grade] == ["High", "Medium", "Standard"]


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("mental_health", "mental health"),
        ("immigration", "immigration status"),
        ("other", "other vulnerability"),
        ("hearing_loss", "hearing loss"),
    ],
)
def test_vulnerability_labels_fall_back_to_the_code_in_words(code: str, label: str) -> None:
    assert vulnerability_label(code) == label


def test_hours_to_release_counts_down_and_goes_negative_once_passed() -> None:
    window = CustodyWindow(
        CustodyStatus.IN_CUSTODY,
        arrested_at=T0 - dt.timedelta(hours=10),
        expected_release_at=T0 + dt.timedelta(hours=6, minutes=30),
    )
    assert window.hours_to_release(T0) == 6.5
    assert window.hours_to_release(T0 + dt.timedelta(hours=8)) == -1.5


def test_hours_to_release_is_unknown_without_a_custody_clock() -> None:
    remanded = CustodyWindow(CustodyStatus.REMANDED, arrested_at=T0 - dt.timedelta(days=2))
    assert remanded.hours_to_release(T0) is None


def test_hours_to_release_is_true_elapsed_time_across_the_clock_change() -> None:
    london = dt.timezone(dt.timedelta(hours=1))
    window = CustodyWindow(
        CustodyStatus.IN_CUSTODY,
        arrested_at=T0,
        expected_release_at=dt.datetime(2023, 3, 26, 12, tzinfo=london),
    )
    assert window.hours_to_release(dt.datetime(2023, 3, 26, 0, tzinfo=dt.UTC)) == 11


@pytest.mark.parametrize(
    ("events", "previous", "repeat"), [(0, 0, False), (1, 0, False), (2, 1, True), (5, 4, True)]
)
def test_victim_history_counts_other_events_than_this_one(
    events: int, previous: int, repeat: bool
) -> None:
    history = VictimHistory(da_events_12_months=events)
    assert history.previous_events == previous and history.repeat_victim is repeat


@pytest.mark.parametrize(("events", "repeat"), [(0, False), (1, False), (2, True)])
def test_a_repeat_suspect_is_named_in_another_investigation(events: int, repeat: bool) -> None:
    assert case(suspect_da_events_12_months=events).repeat_suspect is repeat


def test_health_needs_are_the_health_vulnerabilities_plus_a_recorded_pregnancy() -> None:
    facts = case(
        vulnerabilities=frozenset({"mental_health", "language", "older_person"}), pregnant=True
    )
    assert facts.health_needs == {"mental_health", "pregnancy"}
    assert case(vulnerabilities=frozenset({"substance_use"})).health_needs == {"substance_use"}


def test_pregnancy_and_language_are_not_counted_again_as_other_vulnerabilities() -> None:
    facts = case(vulnerabilities=frozenset({"pregnancy", "language", "disability", "other"}))
    assert facts.other_vulnerabilities == {"disability", "other"}


def test_coercive_control_indicators_are_read_from_the_abuse_types() -> None:
    facts = case(abuse_types=frozenset({"physical", "economic", "stalking_harassment"}))
    assert facts.coercive_control_indicators == {"economic", "stalking_harassment"}


def test_a_case_without_police_attendance_is_live() -> None:
    assert case(first_police_visit_at=None).is_live
    assert not case(first_police_visit_at=T0 - dt.timedelta(hours=1)).is_live
