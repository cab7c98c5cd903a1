"""Eligibility for a joint visit: small rules, each granting with a reason.

Seed 002: "Domestic abuse victims identified as high risk are attended by Op Provide.
Medium and standard risk victims can be attended where there are additional vulnerabilities
or health needs, or where intervention may reduce future high harm incidents." The grades in
each group and the escalation threshold come from the policy. Every rule runs; a case is
eligible when at least one grants, and every granting reason is kept. The sergeant may
override either way with a reason (recorded on the decision, not here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from provide.core.triage.facts import HEALTH_NEEDS, CaseFacts, vulnerability_label
from provide.core.triage.policy import Policy


@dataclass(frozen=True)
class Eligibility:
    """Whether the policy makes a case eligible, and why.

    Attributes
    ----------
    eligible : bool
    codes : tuple of str
        The granting rules (``"grade_always"``, ``"health_need"``, ``"vulnerability"``,
        ``"escalation"``), or the single refusing code (``"no_grade"``, ``"grade_excluded"``,
        ``"no_need"``).
    reasons : tuple of str
        One sentence per code.
    """

    eligible: bool
    codes: tuple[str, ...]
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """All reasons in one line."""
        return "; ".join(self.reasons)

    def as_dict(self) -> dict[str, object]:
        return {"eligible": self.eligible, "codes": list(self.codes), "reasons": list(self.reasons)}


Grant = tuple[str, str]
EligibilityRule = Callable[[CaseFacts, Policy], "Grant | None"]


def _names(codes: frozenset[str]) -> str:
    return ", ".join(vulnerability_label(code) for code in sorted(codes))


def grant_grade_always(case: CaseFacts, policy: Policy) -> Grant | None:
    """Grades the policy always attends (high risk)."""
    if case.risk_grade is not None and case.risk_grade in policy.eligibility.always:
        return "grade_always", f"{case.risk_grade.label} risk: always offered a joint visit"
    return None


def _conditional(case: CaseFacts, policy: Policy) -> bool:
    return case.risk_grade is not None and case.risk_grade in policy.eligibility.with_need


def grant_health_need(case: CaseFacts, policy: Policy) -> Grant | None:
    """Medium/standard with a health need (mental health, substance use, disability, pregnancy)."""
    if _conditional(case, policy) and case.health_needs:
        return "health_need", f"{_grade(case)} risk with a health need: {_names(case.health_needs)}"
    return None


def grant_vulnerability(case: CaseFacts, policy: Policy) -> Grant | None:
    """Medium/standard with another vulnerability (language need included)."""
    others = case.vulnerabilities - HEALTH_NEEDS
    if case.language_need:
        others = others | {"language"}
    if _conditional(case, policy) and others:
        return "vulnerability", f"{_grade(case)} risk with a vulnerability: {_names(others)}"
    return None


def grant_escalation(case: CaseFacts, policy: Policy) -> Grant | None:
    """Medium/standard where repeated incidents show escalation: intervention may prevent harm."""
    threshold = policy.eligibility.escalation_events_12_months
    events = case.history.da_events_12_months
    if _conditional(case, policy) and events >= threshold:
        return "escalation", (
            f"{_grade(case)} risk with escalation: {events} DA events in 12 months "
            f"(policy threshold {threshold})"
        )
    return None


def _grade(case: CaseFacts) -> str:
    return case.risk_grade.label if case.risk_grade is not None else "Ungraded"


ELIGIBILITY_RULES: tuple[EligibilityRule, ...] = (
    grant_grade_always,
    grant_health_need,
    grant_vulnerability,
    grant_escalation,
)
"""The granting rules, in display order."""


def assess_eligibility(
    case: CaseFacts, policy: Policy, as_of: dt.datetime | None = None
) -> Eligibility:
    """Apply every eligibility rule of ``policy`` to ``case``.

    Returns
    -------
    Eligibility
        Eligible with every granting reason, or not eligible with the one reason why.

    Examples
    --------
    >>> import datetime as dt
    >>> from provide.core.triage.facts import CaseFacts, Grade
    >>> from provide.core.triage.policy import DEFAULT_POLICY
    >>> t0 = dt.datetime(2023, 1, 10, tzinfo=dt.UTC)
    >>> assess_eligibility(CaseFacts("c", "R", t0, risk_grade=Grade.STANDARD), DEFAULT_POLICY).reason
    'Standard risk with no vulnerability, health need or escalation recorded'
    """
    grants = [grant for rule in ELIGIBILITY_RULES if (grant := rule(case, policy)) is not None]
    if grants:
        return Eligibility(
            True, tuple(code for code, _ in grants), tuple(reason for _, reason in grants)
        )
    if case.risk_grade is None:
        return Eligibility(
            False,
            ("no_grade",),
            ("No risk grade recorded: grade the case or override with a reason",),
        )
    if case.risk_grade not in policy.eligibility.with_need:
        return Eligibility(
            False,
            ("grade_excluded",),
            (f"{case.risk_grade.label} risk is not eligible under this policy",),
        )
    return Eligibility(
        False,
        ("no_need",),
        (
            f"{case.risk_grade.label} risk with no vulnerability, health need or escalation recorded",
        ),
    )
