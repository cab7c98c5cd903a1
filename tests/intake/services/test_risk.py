"""Recording a risk assessment: a new dated record each time, graded by the core, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from provide.core.risk import DASH_QUESTIONS
from provide.intake.models import RiskAssessment
from provide.intake.services.risk import risk_assessment_record
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def dash(yes: int) -> list[str]:
    return ["yes"] * yes + ["no"] * (len(DASH_QUESTIONS) - yes)


def test_a_dash_is_graded_from_its_answers_and_moves_the_investigations_grade(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer, investigation = personas["response_officer"], west_case["investigation"]
    assessment = risk_assessment_record(
        user=officer, investigation=investigation, tool="DASH", answers=dash(5)
    )
    assert (assessment.grade, assessment.yes_count, assessment.victim) == (
        "standard",
        5,
        west_case["victim"],
    )
    assert assessment.answers[0] == {"code": DASH_QUESTIONS[0].code, "answer": "yes"}
    assert len(assessment.answers) == len(DASH_QUESTIONS)
    assert assessment.assessed_by == officer and assessment.regrade_reason == ""
    investigation.refresh_from_db()
    assert investigation.risk_grade == "standard"
    event = assert_audited(
        "intake.risk_assessed", action="create", actor=officer, subject=assessment
    )
    assert event.changes["grade"] == ["high", "standard"] and event.changes["yes_count"] == 5


def test_each_assessment_is_a_new_record_and_a_regrade_keeps_its_reason(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    sergeant, investigation = personas["triage_sergeant"], west_case["investigation"]
    first = risk_assessment_record(
        user=sergeant, investigation=investigation, tool="DASH", answers=dash(6)
    )
    regrade = risk_assessment_record(
        user=sergeant,
        investigation=investigation,
        tool="DASH",
        answers=dash(6),
        grade="high",
        reason=" Strangulation disclosed later ",
        regrade_of=first,
    )
    assert RiskAssessment.objects.filter(investigation=investigation).count() == 2
    assert (regrade.grade, regrade.regrade_of, regrade.regrade_reason) == (
        "high",
        first,
        "Strangulation disclosed later",
    )


def test_a_dara_keeps_the_officers_grade_and_rationale(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    assessment = risk_assessment_record(
        user=personas["response_officer"],
        investigation=west_case["investigation"],
        tool="DARA",
        grade="medium",
        reason="  Threats by text  ",
    )
    assert (assessment.grade, assessment.rationale, assessment.yes_count) == (
        "medium",
        "Threats by text",
        None,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tool": "DASH", "answers": ["yes"] * 3}, ""),
        (
            {"tool": "DASH", "answers": dash(15), "grade": "standard", "reason": "seems fine"},
            "cannot lower",
        ),
        ({"tool": "DARA", "grade": "high"}, "rationale"),
    ],
)
def test_an_assessment_the_rules_refuse_is_a_validation_error_and_writes_nothing(
    personas: dict[str, Any], west_case: dict[str, Any], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message or None):
        risk_assessment_record(
            user=personas["response_officer"], investigation=west_case["investigation"], **kwargs
        )
    assert not RiskAssessment.objects.exists()
    west_case["investigation"].refresh_from_db()
    assert west_case["investigation"].risk_grade == "high"


@pytest.mark.parametrize("slug", ["analyst", "health_idva"])
def test_roles_without_the_permission_are_refused(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        risk_assessment_record(
            user=make_user(slug),
            investigation=west_case["investigation"],
            tool="DASH",
            answers=dash(3),
        )
    assert not RiskAssessment.objects.exists()
