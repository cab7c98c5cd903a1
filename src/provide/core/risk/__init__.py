"""Risk assessment: the DASH and SafeLives RIC question themes, yes-counts and grades.

Pure Python, no Django. :func:`grade_risk` applies the rules of DOMAIN.md §1.3 and §2.3
(14+ yes = visible high risk, never downgraded; professional judgement needs a reason; DARA
is the officer's grade with a rationale). See docs/models/risk.md.
"""

from provide.core.risk.grading import (
    DARA_NEEDS_GRADE,
    DARA_NEEDS_RATIONALE,
    DEFAULT_MEDIUM_FROM,
    NEEDS_REASON,
    NO_DOWNGRADE,
    VISIBLE_HIGH_RISK_YES,
    Answer,
    Grade,
    RiskGrading,
    RiskInputError,
    Tool,
    computed_grade_for,
    count_yes,
    grade_risk,
    parse_answer,
)
from provide.core.risk.questions import (
    DASH_QUESTIONS,
    QUESTIONS_BY_TOOL,
    RIC_QUESTIONS,
    Question,
)

__all__ = [
    "DARA_NEEDS_GRADE",
    "DARA_NEEDS_RATIONALE",
    "DASH_QUESTIONS",
    "DEFAULT_MEDIUM_FROM",
    "NEEDS_REASON",
    "NO_DOWNGRADE",
    "QUESTIONS_BY_TOOL",
    "RIC_QUESTIONS",
    "VISIBLE_HIGH_RISK_YES",
    "Answer",
    "Grade",
    "Question",
    "RiskGrading",
    "RiskInputError",
    "Tool",
    "computed_grade_for",
    "count_yes",
    "grade_risk",
    "parse_answer",
]
