"""Eligibility follows the policy: high always; medium/standard only with a need or escalation."""

from __future__ import annotations

import pytest

from provide.core.triage import (
    DEFAULT_POLICY,
    EligibilityRules,
    Grade,
    Policy,
    VictimHistory,
    assess_eligibility,
)
from tests.core.triage.builders import case


def test_high_risk_is_always_eligible() -> None:
    result = assess_eligibility(case(risk_grade=Grade.HIGH), DEFAULT_POLICY)
    assert result.eligible
    assert result.codes == ("grade_always",)
    assert result.reason == "High risk: always offered a joint visit"


@pytest.mark.parametrize("grade", [Grade.MEDIUM, Grade.STANDARD])
def test_medium_and_standard_without_need_are_not_eligible(grade: Grade) -> None:
    result = assess_eligibility(case(risk_grade=grade), DEFAULT_POLICY)
    assert not result.eligible and result.codes == ("no_need",)


def test_a_health_need_makes_medium_eligible() -> None:
    result = assess_eligibility(case(vulnerabilities=frozenset({"mental_health"})), DEFAULT_POLICY)
    assert result.eligible and result.codes == ("health_need",)
    assert result.reason == "Medium risk with a health need: mental health"


def test_pregnancy_is_a_health_need() -> None:
    result = assess_eligibility(case(risk_grade=Grade.STANDARD, pregnant=True), DEFAULT_POLICY)
    assert result.eligible and "pregnancy" in result.reason


def test_other_vulnerabilities_and_language_need_make_standard_eligible() -> None:
    result = assess_eligibility(
        case(risk_grade=Grade.STANDARD, language_need="an interpreter"), DEFAULT_POLICY
    )
    assert result.eligible and result.codes == ("vulnerability",)
    assert result.reason == "Standard risk with a vulnerability: language"


def test_escalation_makes_medium_eligible_at_the_threshold_only() -> None:
    two = assess_eligibility(case(history=VictimHistory(da_events_12_months=2)), DEFAULT_POLICY)
    three = assess_eligibility(case(history=VictimHistory(da_events_12_months=3)), DEFAULT_POLICY)
    assert not two.eligible
    assert three.eligible and three.codes == ("escalation",)
    assert "3 DA events in 12 months (policy threshold 3)" in three.reason


def test_every_granting_reason_is_kept() -> None:
    result = assess_eligibility(
        case(vulnerabilities=frozenset({"disability", "immigration"}), history=VictimHistory(5)),
        DEFAULT_POLICY,
    )
    assert result.codes == ("health_need", "vulnerability", "escalation")
    assert len(result.reasons) == 3


def test_ungraded_case_is_not_eligible_and_says_why() -> None:
    result = assess_eligibility(
        case(risk_grade=None, vulnerabilities=frozenset({"disability"})), DEFAULT_POLICY
    )
    assert not result.eligible and result.codes == ("no_grade",)


def test_a_policy_can_exclude_standard_risk_entirely() -> None:
    policy = Policy(eligibility=EligibilityRules(with_need=frozenset({Grade.MEDIUM})))
    result = assess_eligibility(case(risk_grade=Grade.STANDARD, pregnant=True), policy)
    assert not result.eligible
    assert result.reason == "Standard risk is not eligible under this policy"


def test_a_policy_can_make_medium_always_eligible() -> None:
    policy = Policy(
        eligibility=EligibilityRules(
            always=frozenset({Grade.HIGH, Grade.MEDIUM}), with_need=frozenset({Grade.STANDARD})
        )
    )
    assert assess_eligibility(case(risk_grade=Grade.MEDIUM), policy).eligible
