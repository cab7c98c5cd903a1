"""Policy validation and the stored (JSON) form of a policy."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from provide.core.triage import (
    DEFAULT_POLICY,
    EligibilityRules,
    Grade,
    Policy,
    Thresholds,
    Weights,
    eligibility_from_mapping,
    policy_problems,
    policy_to_mappings,
    thresholds_from_mapping,
    weights_from_mapping,
)
from provide.core.triage.policy import look_back_for


def _fields(policy: Policy) -> list[str]:
    return [problem.field for problem in policy_problems(policy)]


def test_the_default_policy_is_valid() -> None:
    assert policy_problems(DEFAULT_POLICY) == []


def test_weights_outside_the_range_are_refused_with_their_name() -> None:
    problems = policy_problems(Policy(weights=Weights(pregnancy=-1, repeat_victim=201)))
    assert [(p.field, p.message) for p in problems] == [
        ("weight_repeat_victim", "Repeat victim (12 months) must be between 0 and 200 points"),
        ("weight_pregnancy", "Pregnancy must be between 0 and 200 points"),
    ]


def test_risk_weights_must_keep_their_order() -> None:
    assert _fields(Policy(weights=Weights(risk_high=20, risk_medium=30))) == ["weight_risk_medium"]
    assert _fields(Policy(weights=Weights(risk_standard=30))) == ["weight_risk_standard"]


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        (Policy(look_back_hours=0), "look_back_hours"),
        (Policy(look_back_hours=169), "look_back_hours"),
        (Policy(thresholds=Thresholds(warning_hours=24)), "warning_hours"),
        (Policy(thresholds=Thresholds(target_hours=0, warning_hours=0)), "target_hours"),
        (Policy(thresholds=Thresholds(custody_release_soon_hours=0)), "custody_release_soon_hours"),
        (Policy(thresholds=Thresholds(da_events_cap=0)), "da_events_cap"),
        (Policy(thresholds=Thresholds(vulnerability_cap=11)), "vulnerability_cap"),
        (Policy(thresholds=Thresholds(board_cutoff_hour=24)), "board_cutoff_hour"),
        (
            Policy(eligibility=EligibilityRules(escalation_events_12_months=1)),
            "escalation_events_12_months",
        ),
        (Policy(thresholds=Thresholds(retry_after_hours=0)), "retry_after_hours"),
        (Policy(thresholds=Thresholds(retry_after_hours=169)), "retry_after_hours"),
        (Policy(thresholds=Thresholds(escalate_after_attempts=0)), "escalate_after_attempts"),
        (Policy(thresholds=Thresholds(escalate_after_attempts=11)), "escalate_after_attempts"),
    ],
)
def test_each_threshold_is_checked(policy: Policy, field: str) -> None:
    assert field in _fields(policy)


def test_a_grade_cannot_be_in_both_eligibility_groups() -> None:
    policy = Policy(eligibility=EligibilityRules(always=frozenset({Grade.HIGH, Grade.MEDIUM})))
    (problem,) = policy_problems(policy)
    assert problem.field == "eligible_with_need" and "(medium)" in problem.message


def test_stored_form_round_trips() -> None:
    policy = Policy(
        weights=Weights(pregnancy=30),
        thresholds=Thresholds(warning_hours=3, monday_covers_weekend=False),
        eligibility=EligibilityRules(
            with_need=frozenset({Grade.MEDIUM}), escalation_events_12_months=4
        ),
    )
    stored = policy_to_mappings(policy)
    assert stored["eligibility"] == {
        "always": ["high"],
        "with_vulnerability_or_health_need": ["medium"],
        "escalation_events_12_months": 4,
        "must_attend": ["high"],
    }
    rebuilt = dataclasses.replace(
        policy,
        weights=weights_from_mapping(stored["weights"]),
        thresholds=thresholds_from_mapping(stored["thresholds"]),
        eligibility=eligibility_from_mapping(stored["eligibility"]),
    )
    assert rebuilt == policy


def test_a_weight_missing_from_a_stored_version_scores_zero_so_old_versions_reproduce() -> None:
    weights = weights_from_mapping({"risk_high": 50})
    assert weights.risk_high == 50 and weights.previous_marac == 0
    assert weights_from_mapping({}, missing=None) == Weights()


def test_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown weights: colour"):
        weights_from_mapping({"colour": 3})
    with pytest.raises(ValueError, match="unknown thresholds"):
        thresholds_from_mapping({"speed": 3})
    with pytest.raises(ValueError):
        eligibility_from_mapping({"always": ["severe"]})


def test_monday_look_back_covers_the_weekend_unless_switched_off() -> None:
    monday, tuesday = dt.date(2023, 1, 9), dt.date(2023, 1, 10)
    assert look_back_for(DEFAULT_POLICY, monday) == dt.timedelta(hours=72)
    assert look_back_for(DEFAULT_POLICY, tuesday) == dt.timedelta(hours=24)
    off = Policy(thresholds=Thresholds(monday_covers_weekend=False))
    assert look_back_for(off, monday) == dt.timedelta(hours=24)


def test_a_must_attend_grade_must_be_eligible() -> None:
    rules = EligibilityRules(
        with_need=frozenset({Grade.MEDIUM}), must_attend=frozenset({Grade.HIGH, Grade.STANDARD})
    )
    assert [(p.field, p.message) for p in policy_problems(Policy(eligibility=rules))] == [
        ("must_attend", "A must-attend grade must also be eligible for a joint visit (standard)")
    ]


def test_a_version_stored_before_must_attend_and_ranking_existed_keeps_high_risk_first() -> None:
    policy = Policy(
        thresholds=thresholds_from_mapping({"target_hours": 24}),
        eligibility=eligibility_from_mapping({"always": ["high"]}),
    )
    assert policy.thresholds.rank_high_risk_first is True
    assert policy.eligibility.must_attend == frozenset({Grade.HIGH})
