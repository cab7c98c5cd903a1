"""Yes-counts and grades for DASH, SafeLives RIC and DARA assessments.

Rules (DOMAIN.md §1.3, §2.3):

* Answers are ``yes`` / ``no`` / ``dont_know``; "don't know" is not "no" and never counts
  towards the yes-count.
* **Visible high risk**: 14 or more "yes" answers on a DASH or RIC. The grade is then high,
  and professional judgement may not downgrade it.
* Below 14 the computed grade follows a local banding: SafeLives defines only the high
  threshold, so the medium band is a named, documented parameter
  (:data:`DEFAULT_MEDIUM_FROM`, 10 yes answers, as Plymouth's protocol uses).
* **Professional judgement** may set any other grade (for example high for strangulation
  or threats to kill below 14 ticks), but it needs a stated reason.
* **DARA** is a judgement-based grade, not a tick count: the officer's grade stands and the
  officer's rationale is required. Answers, where a force supplies its own list, are kept
  but not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from provide.core.risk.questions import QUESTIONS_BY_TOOL


class Answer(Enum):
    """An answer to one checklist item."""

    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"


class Grade(Enum):
    """The three-level risk grade used by police and MARAC partners."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


class Tool(Enum):
    """The assessment instrument."""

    DARA = "DARA"
    DASH = "DASH"
    RIC = "RIC"


VISIBLE_HIGH_RISK_YES = 14
"""Yes answers at or above which a DASH/RIC is "visible high risk" (SafeLives criterion 1)."""

DEFAULT_MEDIUM_FROM = 10
"""Yes answers from which the computed grade is medium (local banding; Plymouth: 10-13)."""

_ANSWER_WORDS = {
    "yes": Answer.YES, "y": Answer.YES,
    "no": Answer.NO, "n": Answer.NO,
    "dont_know": Answer.DONT_KNOW, "don't know": Answer.DONT_KNOW, "dk": Answer.DONT_KNOW,
    "not_known": Answer.DONT_KNOW, "unknown": Answer.DONT_KNOW,
}  # fmt: skip


class RiskInputError(ValueError):
    """The answers or the judgement cannot make a valid assessment; the message says why."""


NEEDS_REASON = "A professional-judgement grade needs a reason"
NO_DOWNGRADE = "Professional judgement cannot lower a visible high risk (14 or more yes answers)"
DARA_NEEDS_GRADE = "A DARA assessment needs the officer's grade"
DARA_NEEDS_RATIONALE = "A DARA assessment needs the officer's rationale for the grade"


@dataclass(frozen=True)
class RiskGrading:
    """The outcome of :func:`grade_risk`.

    Attributes
    ----------
    tool : Tool
    yes_count : int or None
        Number of "yes" answers (``None`` for DARA, which is not a tick count).
    visible_high_risk : bool
        ``yes_count >= 14``.
    computed_grade : Grade or None
        The grade the answers alone give (``None`` for DARA).
    grade : Grade
        The grade that stands: the judgement where one was given, else the computed one.
    professional_judgement : bool
        True when the standing grade differs from the computed one, or for DARA.
    reasons : tuple of str
        Plain-language reasons, for the record and the audit trail.
    """

    tool: Tool
    yes_count: int | None
    visible_high_risk: bool
    computed_grade: Grade | None
    grade: Grade
    professional_judgement: bool
    reasons: tuple[str, ...]


def parse_answer(value: Answer | str) -> Answer:
    """Read one answer: an :class:`Answer` or a word such as ``"yes"``, ``"N"``, ``"dont_know"``.

    Raises
    ------
    RiskInputError
        For anything else.

    Examples
    --------
    >>> parse_answer("Y"), parse_answer("don't know")
    (<Answer.YES: 'yes'>, <Answer.DONT_KNOW: 'dont_know'>)
    """
    if isinstance(value, Answer):
        return value
    answer = _ANSWER_WORDS.get(str(value).strip().lower())
    if answer is None:
        raise RiskInputError(f"{value!r} is not an answer (expected yes, no or dont_know)")
    return answer


def _parse_grade(value: Grade | str | None) -> Grade | None:
    if isinstance(value, Grade) or value is None:
        return value
    if not value.strip():
        return None
    try:
        return Grade(value.strip().lower())
    except ValueError:
        raise RiskInputError(
            f"{value!r} is not a grade (expected standard, medium or high)"
        ) from None


def count_yes(answers: Iterable[Answer | str]) -> int:
    """Count the "yes" answers.

    Examples
    --------
    >>> count_yes(["yes", "no", "dont_know", "yes"])
    2
    """
    return sum(1 for answer in answers if parse_answer(answer) is Answer.YES)


def computed_grade_for(yes_count: int, *, medium_from: int = DEFAULT_MEDIUM_FROM) -> Grade:
    """The grade a yes-count gives on its own.

    Parameters
    ----------
    yes_count : int
        Number of "yes" answers (0-27).
    medium_from : int
        First yes-count graded medium (local banding; default 10).

    Examples
    --------
    >>> computed_grade_for(14), computed_grade_for(10), computed_grade_for(9)
    (<Grade.HIGH: 'high'>, <Grade.MEDIUM: 'medium'>, <Grade.STANDARD: 'standard'>)
    """
    if yes_count >= VISIBLE_HIGH_RISK_YES:
        return Grade.HIGH
    if yes_count >= medium_from:
        return Grade.MEDIUM
    return Grade.STANDARD


def grade_risk(
    tool: Tool | str,
    answers: Sequence[Answer | str] = (),
    *,
    judgement: Grade | str | None = None,
    reason: str = "",
    medium_from: int = DEFAULT_MEDIUM_FROM,
) -> RiskGrading:
    """Grade one assessment.

    Parameters
    ----------
    tool : Tool or str
        ``DASH`` (27 answers), ``RIC`` (24 answers) or ``DARA`` (answers optional, any
        number, not counted).
    answers : sequence of Answer or str
        One answer per question, in the order of
        :data:`~provide.core.risk.questions.QUESTIONS_BY_TOOL`.
    judgement : Grade or str, optional
        The assessor's grade. Required for DARA. For DASH/RIC, a grade that differs from the
        computed one is a professional-judgement regrade.
    reason : str
        The assessor's reason (DARA rationale, or why judgement differs from the count).
    medium_from : int
        Local medium band (see :func:`computed_grade_for`).

    Returns
    -------
    RiskGrading

    Raises
    ------
    RiskInputError
        Wrong number of answers, an unknown answer, a judgement that differs without a
        reason, a judgement that lowers a visible high risk, or a DARA without a grade or
        rationale. Messages are the module constants (:data:`NEEDS_REASON` ...).

    Examples
    --------
    >>> result = grade_risk("RIC", ["yes"] * 14 + ["no"] * 10)
    >>> result.yes_count, result.visible_high_risk, result.grade
    (14, True, <Grade.HIGH: 'high'>)
    >>> grade_risk("RIC", ["no"] * 24, judgement="high", reason="strangulation").grade
    <Grade.HIGH: 'high'>
    """
    tool = Tool(tool) if isinstance(tool, str) else tool
    parsed = [parse_answer(answer) for answer in answers]
    given = _parse_grade(judgement)
    reason = reason.strip()
    if tool is Tool.DARA:
        if given is None:
            raise RiskInputError(DARA_NEEDS_GRADE)
        if not reason:
            raise RiskInputError(DARA_NEEDS_RATIONALE)
        return RiskGrading(tool, None, False, None, given, True,
                           (f"DARA graded {given.value} by the officer: {reason}",))  # fmt: skip
    expected = len(QUESTIONS_BY_TOOL[tool.value])
    if len(parsed) != expected:
        raise RiskInputError(f"A {tool.value} needs {expected} answers, not {len(parsed)}")
    yes = sum(1 for answer in parsed if answer is Answer.YES)
    visible = yes >= VISIBLE_HIGH_RISK_YES
    computed = computed_grade_for(yes, medium_from=medium_from)
    reasons = [f"{yes} yes answers of {expected}: computed grade {computed.value}"]
    if visible:
        reasons.append("visible high risk (14 or more yes answers)")
    if given is None or given is computed:
        return RiskGrading(tool, yes, visible, computed, computed, False, tuple(reasons))
    if visible:
        raise RiskInputError(NO_DOWNGRADE)
    if not reason:
        raise RiskInputError(NEEDS_REASON)
    reasons.append(f"professional judgement: {given.value} ({reason})")
    return RiskGrading(tool, yes, visible, computed, given, True, tuple(reasons))
