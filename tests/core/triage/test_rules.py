"""Each scoring rule: its points, its reason, and when it stays silent."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.triage import (
    DEFAULT_POLICY,
    CustodyStatus,
    CustodyWindow,
    Grade,
    Policy,
    Thresholds,
    VictimHistory,
    Weights,
    score_triage,
)
from provide.core.triage import rules as r
from tests.core.triage.builders import T0, case


def _custody(
    hours_to_release: float | None, status: CustodyStatus = CustodyStatus.IN_CUSTODY
) -> CustodyWindow:
    release = None if hours_to_release is None else T0 + dt.timedelta(hours=hours_to_release)
    return CustodyWindow(
        status, arrested_at=T0 - dt.timedelta(hours=6), expected_release_at=release
    )


@pytest.mark.parametrize(
    ("grade", "points"), [(Grade.HIGH, 50), (Grade.MEDIUM, 25), (Grade.STANDARD, 5)]
)
def test_risk_grade_scores_its_weight(grade: Grade, points: int) -> None:
    factor = r.rule_risk_grade(case(risk_grade=grade), DEFAULT_POLICY, T0)
    assert factor is not None and factor.points == points
    assert factor.reason == f"{grade.label} risk on the latest assessment"


def test_ungraded_case_has_no_risk_factor() -> None:
    assert r.rule_risk_grade(case(risk_grade=None), DEFAULT_POLICY, T0) is None


def test_suspect_in_custody_states_hours_to_release() -> None:
    factor = r.rule_suspect_in_custody(case(custody=_custody(5.5)), DEFAULT_POLICY, T0)
    assert factor is not None and factor.points == 20
    assert factor.reason == "Suspect in police custody now; expected release in 5 hours"


def test_custody_whose_expected_release_has_passed_earns_nothing() -> None:
    assert r.rule_suspect_in_custody(case(custody=_custody(-1)), DEFAULT_POLICY, T0) is None


def test_custody_without_expected_release_still_counts() -> None:
    factor = r.rule_suspect_in_custody(case(custody=_custody(None)), DEFAULT_POLICY, T0)
    assert factor is not None and "expected release not recorded" in factor.reason


def test_remanded_suspect_counts_as_in_custody_with_no_closing_window() -> None:
    custody = _custody(None, CustodyStatus.REMANDED)
    assert r.rule_suspect_in_custody(case(custody=custody), DEFAULT_POLICY, T0) is not None
    assert r.rule_custody_release_soon(case(custody=custody), DEFAULT_POLICY, T0) is None


@pytest.mark.parametrize(
    ("hours", "applies"), [(0.5, True), (12, True), (12.5, False), (-0.1, False)]
)
def test_release_soon_applies_within_the_window_only(hours: float, applies: bool) -> None:
    factor = r.rule_custody_release_soon(case(custody=_custody(hours)), DEFAULT_POLICY, T0)
    assert (factor is not None) is applies
    if factor:
        assert factor.points == 10


def test_hours_since_first_visit_counts_whole_hours() -> None:
    factor = r.rule_time_since_first_visit(
        case(first_police_visit_at=T0 - dt.timedelta(hours=18, minutes=50)), DEFAULT_POLICY, T0
    )
    assert factor is not None and factor.points == 18
    assert factor.reason == "First police visit 18 hours ago; 5 hours left of the 24-hour target"


def test_hours_since_first_visit_stops_at_the_target() -> None:
    factor = r.rule_time_since_first_visit(
        case(first_police_visit_at=T0 - dt.timedelta(hours=40)), DEFAULT_POLICY, T0
    )
    assert factor is not None and factor.points == 24
    assert "the 24-hour target has passed" in factor.reason and "40 hours ago" in factor.reason


def test_live_incident_has_no_time_factor() -> None:
    assert (
        r.rule_time_since_first_visit(case(first_police_visit_at=None), DEFAULT_POLICY, T0) is None
    )


def test_repeat_victim_and_previous_events_are_separate_factors() -> None:
    facts = case(history=VictimHistory(da_events_12_months=4))
    repeat = r.rule_repeat_victim(facts, DEFAULT_POLICY, T0)
    events = r.rule_da_events(facts, DEFAULT_POLICY, T0)
    assert repeat is not None and repeat.points == 10
    assert events is not None and events.points == 9  # 3 previous x 3
    assert events.reason == "3 previous DA events in the last 12 months"


def test_first_report_is_not_a_repeat() -> None:
    facts = case(history=VictimHistory(da_events_12_months=1))
    assert r.rule_repeat_victim(facts, DEFAULT_POLICY, T0) is None
    assert r.rule_da_events(facts, DEFAULT_POLICY, T0) is None


def test_previous_events_are_capped() -> None:
    factor = r.rule_da_events(
        case(history=VictimHistory(da_events_12_months=12)), DEFAULT_POLICY, T0
    )
    assert factor is not None and factor.points == 5 * 3
    assert "(counted up to 5)" in factor.reason


def test_previous_marac_names_the_meeting_date() -> None:
    facts = case(history=VictimHistory(2, last_marac_on=dt.date(2022, 11, 3)))
    factor = r.rule_previous_marac(facts, DEFAULT_POLICY, T0)
    assert factor is not None and factor.points == 6 and "03 Nov 2022" in factor.reason


def test_children_pregnancy_language_and_coercive_control() -> None:
    facts = case(
        children_in_household=True,
        pregnant=True,
        language_need="an interpreter (Polish)",
        abuse_types=frozenset({"physical", "coercive_control", "economic"}),
    )
    assert r.rule_children(facts, DEFAULT_POLICY, T0).points == 8  # type: ignore[union-attr]
    assert r.rule_pregnancy(facts, DEFAULT_POLICY, T0).points == 12  # type: ignore[union-attr]
    language = r.rule_language_need(facts, DEFAULT_POLICY, T0)
    assert (
        language is not None
        and language.reason == "Needs an interpreter (Polish): book an interpreter before the visit"
    )
    control = r.rule_coercive_control(facts, DEFAULT_POLICY, T0)
    assert (
        control is not None
        and control.reason == "Indicators recorded: coercive control and economic abuse"
    )


def test_unknown_children_score_nothing() -> None:
    assert r.rule_children(case(children_in_household=None), DEFAULT_POLICY, T0) is None


def test_vulnerabilities_exclude_the_separately_scored_and_are_capped() -> None:
    facts = case(
        vulnerabilities=frozenset(
            {
                "pregnancy",
                "language",
                "mental_health",
                "disability",
                "substance_use",
                "older_person",
                "immigration",
            }
        )
    )
    factor = r.rule_vulnerabilities(facts, DEFAULT_POLICY, T0)
    assert factor is not None and factor.points == 4 * 4  # five found, capped at four
    assert (
        factor.reason
        == "Recorded: disability, immigration status, mental health, older person and substance use"
    )


def test_a_zero_weight_silences_its_rule() -> None:
    policy = Policy(weights=Weights(pregnancy=0))
    assert r.rule_pregnancy(case(pregnant=True), policy, T0) is None


def test_score_is_the_sum_of_every_factor_and_records_the_policy_version() -> None:
    facts = case(
        risk_grade=Grade.HIGH,
        first_police_visit_at=T0 - dt.timedelta(hours=10),
        custody=_custody(3),
        children_in_household=True,
        history=VictimHistory(da_events_12_months=2),
    )
    score = score_triage(facts, Policy(version=7), T0)
    assert [f.code for f in score.factors] == [
        "risk_grade",
        "suspect_in_custody",
        "custody_release_soon",
        "hours_since_first_visit",
        "repeat_victim",
        "da_events_12_months",
        "children_in_household",
    ]
    assert score.total == 50 + 20 + 10 + 10 + 10 + 3 + 8
    assert score.policy_version == 7
    assert score.explanation()[0] == {
        "code": "risk_grade",
        "label": "Risk grade",
        "points": 50,
        "reason": "High risk on the latest assessment",
    }


def test_score_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        score_triage(case(), DEFAULT_POLICY, T0.replace(tzinfo=None))


def test_custom_thresholds_change_the_cap() -> None:
    policy = Policy(thresholds=Thresholds(target_hours=12, warning_hours=2))
    factor = r.rule_time_since_first_visit(
        case(first_police_visit_at=T0 - dt.timedelta(hours=20)), policy, T0
    )
    assert factor is not None and factor.points == 12
