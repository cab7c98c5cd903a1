"""Risk grading: 14+ yes is visible high risk and never downgraded; judgement needs a reason."""

from __future__ import annotations

import re

import pytest

from provide.core.risk import (
    DARA_NEEDS_GRADE,
    DARA_NEEDS_RATIONALE,
    DASH_QUESTIONS,
    NEEDS_REASON,
    NO_DOWNGRADE,
    RIC_QUESTIONS,
    Answer,
    Grade,
    RiskInputError,
    count_yes,
    grade_risk,
)


def answers(yes: int, total: int, *, dont_know: int = 0) -> list[str]:
    return ["yes"] * yes + ["dont_know"] * dont_know + ["no"] * (total - yes - dont_know)


def test_the_checklists_have_27_and_24_distinct_themes() -> None:
    assert len(DASH_QUESTIONS) == 27 and len({q.code for q in DASH_QUESTIONS}) == 27
    assert len(RIC_QUESTIONS) == 24 and {q.code for q in RIC_QUESTIONS} <= {
        q.code for q in DASH_QUESTIONS
    }


def test_dont_know_is_not_counted_as_yes() -> None:
    assert count_yes(["yes", "dont_know", "no", Answer.YES, "Y"]) == 3


@pytest.mark.parametrize(
    ("yes", "grade"),
    [
        (0, Grade.STANDARD),
        (9, Grade.STANDARD),
        (10, Grade.MEDIUM),
        (13, Grade.MEDIUM),
        (14, Grade.HIGH),
        (24, Grade.HIGH),
    ],
)
def test_grade_follows_the_yes_count(yes: int, grade: Grade) -> None:
    result = grade_risk("RIC", answers(yes, 24))
    assert (result.yes_count, result.grade, result.visible_high_risk) == (yes, grade, yes >= 14)
    assert result.professional_judgement is False


def test_fourteen_yes_is_visible_high_risk_on_the_police_dash_too() -> None:
    assert grade_risk("DASH", answers(14, 27, dont_know=5)).grade is Grade.HIGH


def test_judgement_may_raise_the_grade_with_a_reason() -> None:
    result = grade_risk("DASH", answers(3, 27), judgement="high", reason="strangulation disclosed")
    assert result.grade is Grade.HIGH and result.computed_grade is Grade.STANDARD
    assert result.professional_judgement is True
    assert "professional judgement: high (strangulation disclosed)" in result.reasons


def test_judgement_without_a_reason_is_refused() -> None:
    with pytest.raises(RiskInputError, match=NEEDS_REASON):
        grade_risk("RIC", answers(3, 24), judgement="high", reason="  ")


def test_judgement_cannot_downgrade_a_visible_high_risk() -> None:
    with pytest.raises(RiskInputError, match=re.escape(NO_DOWNGRADE)):
        grade_risk("RIC", answers(15, 24), judgement="medium", reason="victim seemed calm")


def test_agreeing_judgement_is_not_a_regrade() -> None:
    assert grade_risk("RIC", answers(15, 24), judgement="high").professional_judgement is False


def test_the_wrong_number_of_answers_is_refused() -> None:
    with pytest.raises(RiskInputError, match="A DASH needs 27 answers, not 24"):
        grade_risk("DASH", answers(1, 24))


def test_an_unknown_answer_is_refused() -> None:
    with pytest.raises(RiskInputError, match="'perhaps' is not an answer"):
        grade_risk("RIC", ["perhaps", *answers(0, 23)])


def test_dara_is_the_officers_grade_with_a_rationale() -> None:
    result = grade_risk("DARA", judgement="medium", reason="escalating coercive control")
    assert (result.grade, result.yes_count, result.visible_high_risk) == (Grade.MEDIUM, None, False)
    with pytest.raises(RiskInputError, match=DARA_NEEDS_GRADE):
        grade_risk("DARA", reason="x")
    with pytest.raises(RiskInputError, match=DARA_NEEDS_RATIONALE):
        grade_risk("DARA", judgement="high")
