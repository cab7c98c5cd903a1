"""The triage score, the ranked queue, and the preview of a policy change.

``score_triage`` adds up the factors of :data:`~provide.core.triage.rules.SCORING_RULES`;
``assess_case`` adds eligibility and the 24-hour clock; ``rank_cases`` orders a board;
``compare_rankings`` shows what a new policy would change before it is saved.

Ranking order: eligible cases first; then, when the policy ranks high risk first (the
default), eligible high-risk cases above all others whatever their points; then by score
(highest first), then by hours left on
the 24-hour clock (least first; live incidents, whose clock has not started, after the
others), then by recorded time (oldest first) and reference, so the order is total and
reproducible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from provide.core.triage.clock import Clock, clock_for
from provide.core.triage.eligibility import Eligibility, assess_eligibility
from provide.core.triage.facts import CaseFacts, Grade
from provide.core.triage.policy import Policy
from provide.core.triage.rules import SCORING_RULES, Factor, Rule


@dataclass(frozen=True)
class TriageScore:
    """A priority score with its explanation.

    Attributes
    ----------
    total : int
        The sum of the factors' points.
    factors : tuple of Factor
        Every factor that applied, in display order.
    policy_version : int
        The policy version that produced the score.
    as_of : datetime
        The moment the score describes (the clock and custody depend on it).
    """

    total: int
    factors: tuple[Factor, ...]
    policy_version: int
    as_of: dt.datetime

    def explanation(self) -> list[dict[str, str | int]]:
        """The factors as plain dicts, for storage with a decision and for the API."""
        return [factor.as_dict() for factor in self.factors]


def score_triage(
    case: CaseFacts, policy: Policy, as_of: dt.datetime, rules: Sequence[Rule] = SCORING_RULES
) -> TriageScore:
    """Score one case under ``policy`` at ``as_of``.

    Parameters
    ----------
    case : CaseFacts
    policy : Policy
    as_of : datetime
        Timezone-aware; no rule reads the wall clock.
    rules : sequence of rules, optional
        The active rules (default :data:`SCORING_RULES`).

    Returns
    -------
    TriageScore

    Examples
    --------
    >>> import datetime as dt
    >>> from provide.core.triage.facts import CaseFacts, Grade
    >>> from provide.core.triage.policy import DEFAULT_POLICY
    >>> t0 = dt.datetime(2023, 1, 10, 6, tzinfo=dt.UTC)
    >>> case = CaseFacts("c1", "WB/1", t0, first_police_visit_at=t0, risk_grade=Grade.HIGH)
    >>> score = score_triage(case, DEFAULT_POLICY, t0 + dt.timedelta(hours=3))
    >>> score.total, [f.points for f in score.factors]
    (53, [50, 3])
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    factors = tuple(factor for rule in rules if (factor := rule(case, policy, as_of)) is not None)
    return TriageScore(sum(f.points for f in factors), factors, policy.version, as_of)


@dataclass(frozen=True)
class CaseAssessment:
    """Everything the board shows about one case under one policy."""

    case: CaseFacts
    score: TriageScore
    eligibility: Eligibility
    clock: Clock
    rank_note: str = ""
    """Why the case stands where it does when points alone would not put it there."""


def assess_case(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> CaseAssessment:
    """Score, eligibility and clock for one case."""
    eligibility = assess_eligibility(case, policy)
    return CaseAssessment(
        case=case,
        score=score_triage(case, policy, as_of),
        eligibility=eligibility,
        clock=clock_for(case, as_of, policy.thresholds),
        rank_note=_rank_note(case, eligibility, policy),
    )


def _high_risk_first(case: CaseFacts, eligibility: Eligibility, policy: Policy) -> bool:
    return (
        policy.thresholds.rank_high_risk_first
        and eligibility.eligible
        and case.risk_grade is Grade.HIGH
    )


def _rank_note(case: CaseFacts, eligibility: Eligibility, policy: Policy) -> str:
    if not _high_risk_first(case, eligibility, policy):
        return ""
    return (
        f"High risk: ranked above every medium and standard case (policy version {policy.version})"
    )


@dataclass(frozen=True)
class RankedCase:
    """A case's place on the board (1 = first)."""

    rank: int
    assessment: CaseAssessment


def _sort_key(item: CaseAssessment) -> tuple[int, int, int, float, dt.datetime, str]:
    hours_left = item.clock.hours_left
    return (
        0 if item.eligibility.eligible else 1,
        0 if item.rank_note else 1,
        -item.score.total,
        float("inf") if hours_left is None else hours_left,
        item.case.recorded_at,
        item.case.reference,
    )


def rank_cases(cases: Iterable[CaseFacts], policy: Policy, as_of: dt.datetime) -> list[RankedCase]:
    """Assess every case and order the board (see the module docstring for the order)."""
    assessed = sorted((assess_case(case, policy, as_of) for case in cases), key=_sort_key)
    return [RankedCase(rank, item) for rank, item in enumerate(assessed, start=1)]


@dataclass(frozen=True)
class RankChange:
    """How one case moves between the current and a proposed policy."""

    case_id: str
    reference: str
    rank_before: int
    rank_after: int
    score_before: int
    score_after: int
    eligible_before: bool
    eligible_after: bool

    @property
    def moved_by(self) -> int:
        """Places moved up (positive) or down (negative)."""
        return self.rank_before - self.rank_after

    @property
    def changed(self) -> bool:
        return (
            self.rank_before != self.rank_after
            or self.score_before != self.score_after
            or self.eligible_before != self.eligible_after
        )


def compare_rankings(
    cases: Sequence[CaseFacts], current: Policy, proposed: Policy, as_of: dt.datetime
) -> list[RankChange]:
    """Rank ``cases`` under both policies; the result is in the proposed order."""
    before = {r.assessment.case.case_id: r for r in rank_cases(cases, current, as_of)}
    changes = []
    for after in rank_cases(cases, proposed, as_of):
        case = after.assessment.case
        old = before[case.case_id]
        changes.append(
            RankChange(
                case_id=case.case_id,
                reference=case.reference,
                rank_before=old.rank,
                rank_after=after.rank,
                score_before=old.assessment.score.total,
                score_after=after.assessment.score.total,
                eligible_before=old.assessment.eligibility.eligible,
                eligible_after=after.assessment.eligibility.eligible,
            )
        )
    return changes
