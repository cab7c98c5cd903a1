"""The triage policy as data: weights, thresholds, look-back and eligibility rules.

A policy is versioned outside the core (``provide.triage.models.TriagePolicy``); here it is a
frozen value that the rules read. :func:`policy_problems` is the one validation used by the
administrator's form, the API and the command line.

Stored versions are reproducible: a weight missing from a stored version scores 0 (the
factor did not exist when that version was written), see :func:`weights_from_mapping`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from provide.core.triage.facts import Grade

MAX_WEIGHT = 200
"""The largest number of points one weight may carry (keeps a typo from swamping a score)."""

MAX_LOOK_BACK_HOURS = 168
"""The longest look-back an administrator may set: one week."""

WEEKEND_EXTRA_HOURS = 48
"""Added to the look-back on a Monday when ``monday_covers_weekend`` is on (Sat + Sun)."""


@dataclass(frozen=True)
class Weights:
    """Points per factor. Every value is a whole number from 0 to :data:`MAX_WEIGHT`.

    Attributes
    ----------
    risk_high, risk_medium, risk_standard : int
        Points for the case's risk grade.
    suspect_in_custody : int
        Points when the suspect is detained now: the safest time to reach the victim.
    custody_release_soon : int
        Extra points when the expected release is within
        ``Thresholds.custody_release_soon_hours`` (the window is closing).
    hours_since_first_visit_per_hour : int
        Points per whole hour since the first police visit, up to the target (24 h):
        engagement falls after 24 h (91.3 % vs 82.7 %, McManus et al. 2024).
    repeat_victim : int
        Points when the victim had another DA event in the last 12 months.
    da_events_12_months_each : int
        Points per *previous* DA event in 12 months, up to ``Thresholds.da_events_cap``.
    previous_marac : int
        Points when the victim was discussed at MARAC in the last 12 months.
    children_in_household : int
        Points when children live in the household.
    pregnancy : int
        Points when the victim is pregnant.
    vulnerability_each : int
        Points per other vulnerability or health need, up to ``Thresholds.vulnerability_cap``.
    coercive_control : int
        Points when coercive-control indicators are recorded.
    language_need : int
        Points when the victim needs an interpreter or prefers a language other than English.
    repeat_suspect : int
        Points when the suspect is named in another DA investigation (against any victim) in
        the last 12 months: a serial perpetrator.
    """

    risk_high: int = 50
    risk_medium: int = 25
    risk_standard: int = 5
    suspect_in_custody: int = 20
    custody_release_soon: int = 10
    hours_since_first_visit_per_hour: int = 1
    repeat_victim: int = 10
    da_events_12_months_each: int = 3
    previous_marac: int = 6
    children_in_household: int = 8
    pregnancy: int = 12
    vulnerability_each: int = 4
    coercive_control: int = 8
    language_need: int = 4
    repeat_suspect: int = 10

    def for_grade(self, grade: Grade) -> int:
        """The points for a risk grade."""
        return {
            Grade.HIGH: self.risk_high,
            Grade.MEDIUM: self.risk_medium,
            Grade.STANDARD: self.risk_standard,
        }[grade]


WEIGHT_LABELS: dict[str, str] = {
    "risk_high": "High risk",
    "risk_medium": "Medium risk",
    "risk_standard": "Standard risk",
    "suspect_in_custody": "Suspect in custody now",
    "custody_release_soon": "Suspect's release is close",
    "hours_since_first_visit_per_hour": "Each hour since the first police visit",
    "repeat_victim": "Repeat victim (12 months)",
    "da_events_12_months_each": "Each previous DA event in 12 months",
    "previous_marac": "Discussed at MARAC in 12 months",
    "children_in_household": "Children in the household",
    "pregnancy": "Pregnancy",
    "vulnerability_each": "Each other vulnerability or health need",
    "coercive_control": "Coercive-control indicators",
    "language_need": "Language or interpreter need",
    "repeat_suspect": "Repeat suspect (12 months)",
}
"""What each weight means, in the words the policy editor shows."""


@dataclass(frozen=True)
class Thresholds:
    """Clock and cap settings.

    Attributes
    ----------
    target_hours : int
        The target from the first police visit to the joint visit (24 h, seeds 002 and 004).
    warning_hours : int
        Warn when fewer than this many hours of the target remain.
    custody_release_soon_hours : int
        A release expected within this many hours earns ``custody_release_soon``.
    da_events_cap : int
        At most this many previous DA events earn points.
    vulnerability_cap : int
        At most this many other vulnerabilities earn points.
    monday_covers_weekend : bool
        On a Monday the look-back grows by :data:`WEEKEND_EXTRA_HOURS` to cover the weekend.
    board_cutoff_hour : int
        The local hour (0-23) the morning board is cut at; the look-back counts back from it.
    rank_high_risk_first : bool
        Rank every eligible high-risk case above every other case, whatever the points (on by
        default: a standard case with more points never outranks a high-risk victim).
    retry_after_hours : int
        After a visit that did not see the victim, the next attempt is due this many hours later.
    escalate_after_attempts : int
        This many failed attempts escalate the case to the sergeant.
    escalate_high_risk_no_contact : bool
        A no-contact visit to a high-risk victim escalates at once.
    """

    target_hours: int = 24
    warning_hours: int = 6
    custody_release_soon_hours: int = 12
    da_events_cap: int = 5
    vulnerability_cap: int = 4
    monday_covers_weekend: bool = True
    board_cutoff_hour: int = 7
    rank_high_risk_first: bool = True
    retry_after_hours: int = 4
    escalate_after_attempts: int = 3
    escalate_high_risk_no_contact: bool = True


@dataclass(frozen=True)
class EligibilityRules:
    """Who the joint team may visit (seed 002, DOMAIN §9.2).

    Attributes
    ----------
    always : frozenset of Grade
        Grades always eligible (high risk is attended).
    with_need : frozenset of Grade
        Grades eligible only with a vulnerability, a health need or escalation.
    escalation_events_12_months : int
        DA events in 12 months (this one included) that count as escalation: intervention
        may prevent future high harm (the MARAC escalation criterion uses 3).
    must_attend : frozenset of Grade
        Accepted cases of these grades are must-attend for the planner: planned before any
        other where a team can reach them, and named with the reason when none can.
    """

    always: frozenset[Grade] = frozenset({Grade.HIGH})
    with_need: frozenset[Grade] = frozenset({Grade.MEDIUM, Grade.STANDARD})
    escalation_events_12_months: int = 3
    must_attend: frozenset[Grade] = frozenset({Grade.HIGH})


@dataclass(frozen=True)
class Policy:
    """One version of the triage policy.

    Attributes
    ----------
    version : int
        The stored version number every score and decision records (0 for an unsaved draft).
    name : str
        A short name.
    look_back_hours : int
        How far back the board reaches from the morning cut-off (24 h by default).
    weights, thresholds, eligibility
        See :class:`Weights`, :class:`Thresholds`, :class:`EligibilityRules`.
    """

    version: int = 0
    name: str = "Draft"
    look_back_hours: int = 24
    weights: Weights = field(default_factory=Weights)
    thresholds: Thresholds = field(default_factory=Thresholds)
    eligibility: EligibilityRules = field(default_factory=EligibilityRules)


DEFAULT_POLICY = Policy(version=1, name="Operation Provide default")
"""The seed-002 policy: high always eligible, medium and standard with a need or escalation."""


@dataclass(frozen=True)
class PolicyProblem:
    """One reason a policy cannot be saved: the field it concerns and a message."""

    field: str
    message: str


def weights_from_mapping(values: Mapping[str, Any], *, missing: int | None = 0) -> Weights:
    """Build :class:`Weights` from a stored mapping.

    Parameters
    ----------
    values : mapping
        Weight name to points. Unknown names raise ``ValueError``.
    missing : int or None
        Points for a weight the mapping lacks: 0 (stored versions stay reproducible), or
        ``None`` to use the documented default.
    """
    names = {f.name for f in fields(Weights)}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"unknown weights: {', '.join(sorted(unknown))}")
    defaults = Weights()
    return Weights(
        **{
            name: int(values[name])
            if name in values
            else (getattr(defaults, name) if missing is None else missing)
            for name in names
        }
    )


def thresholds_from_mapping(values: Mapping[str, Any]) -> Thresholds:
    """Build :class:`Thresholds` from a stored mapping; missing values take the defaults."""
    names = {f.name for f in fields(Thresholds)}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"unknown thresholds: {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    flags = {f.name for f in fields(Thresholds) if f.type in (bool, "bool")}
    for name in names & set(values):
        kwargs[name] = bool(values[name]) if name in flags else int(values[name])
    return Thresholds(**kwargs)


def _grades(values: Any) -> frozenset[Grade]:
    return frozenset(Grade(str(value)) for value in values or ())


def eligibility_from_mapping(values: Mapping[str, Any]) -> EligibilityRules:
    """Build :class:`EligibilityRules` from the stored form::

        {"always": ["high"], "with_vulnerability_or_health_need": ["medium", "standard"],
         "escalation_events_12_months": 3, "must_attend": ["high"]}

    A version stored before ``must_attend`` existed makes high risk must-attend.
    """
    return EligibilityRules(
        always=_grades(values.get("always", ["high"])),
        with_need=_grades(values.get("with_vulnerability_or_health_need", [])),
        escalation_events_12_months=int(values.get("escalation_events_12_months", 3)),
        must_attend=_grades(values.get("must_attend", ["high"])),
    )


def _grade_list(grades: frozenset[Grade]) -> list[str]:
    return [grade.value for grade in Grade if grade in grades]


def policy_to_mappings(policy: Policy) -> dict[str, Any]:
    """The stored form of a policy: ``weights``, ``thresholds``, ``eligibility`` mappings."""
    return {
        "weights": asdict(policy.weights),
        "thresholds": asdict(policy.thresholds),
        "eligibility": {
            "always": _grade_list(policy.eligibility.always),
            "with_vulnerability_or_health_need": _grade_list(policy.eligibility.with_need),
            "escalation_events_12_months": policy.eligibility.escalation_events_12_months,
            "must_attend": _grade_list(policy.eligibility.must_attend),
        },
    }


def policy_problems(policy: Policy) -> list[PolicyProblem]:
    """Everything wrong with a policy, in field order; an empty list means it can be saved.

    Rules: every weight 0 to :data:`MAX_WEIGHT`; risk weights ordered high >= medium >=
    standard; look-back 1 to :data:`MAX_LOOK_BACK_HOURS` hours; target 1 to 168 hours;
    warning shorter than the target; caps and the custody window sensible; a grade is either
    always eligible or eligible with a need, not both; escalation 2 to 20 events; a must-attend
    grade is eligible; a failed visit retried after 1 to 168 hours and escalated after 1 to 10.

    Examples
    --------
    >>> policy_problems(DEFAULT_POLICY)
    []
    """
    problems: list[PolicyProblem] = []
    for name, value in asdict(policy.weights).items():
        if not 0 <= value <= MAX_WEIGHT:
            problems.append(
                PolicyProblem(
                    f"weight_{name}",
                    f"{WEIGHT_LABELS[name]} must be between 0 and {MAX_WEIGHT} points",
                )
            )
    weights = policy.weights
    if weights.risk_medium > weights.risk_high:
        problems.append(
            PolicyProblem("weight_risk_medium", "Medium risk cannot score more than high risk")
        )
    if weights.risk_standard > weights.risk_medium:
        problems.append(
            PolicyProblem(
                "weight_risk_standard", "Standard risk cannot score more than medium risk"
            )
        )
    if not 1 <= policy.look_back_hours <= MAX_LOOK_BACK_HOURS:
        problems.append(
            PolicyProblem(
                "look_back_hours",
                f"The look-back must be between 1 and {MAX_LOOK_BACK_HOURS} hours",
            )
        )
    limits = policy.thresholds
    if not 1 <= limits.target_hours <= 168:
        problems.append(PolicyProblem("target_hours", "The target must be between 1 and 168 hours"))
    if not 0 <= limits.warning_hours < limits.target_hours:
        problems.append(
            PolicyProblem(
                "warning_hours", "The warning must be 0 or more hours and shorter than the target"
            )
        )
    if not 1 <= limits.custody_release_soon_hours <= 96:
        problems.append(
            PolicyProblem(
                "custody_release_soon_hours",
                "The custody release window must be between 1 and 96 hours",
            )
        )
    if not 1 <= limits.da_events_cap <= 20:
        problems.append(
            PolicyProblem("da_events_cap", "The cap on previous DA events must be between 1 and 20")
        )
    if not 1 <= limits.vulnerability_cap <= 10:
        problems.append(
            PolicyProblem(
                "vulnerability_cap", "The cap on vulnerabilities must be between 1 and 10"
            )
        )
    if not 0 <= limits.board_cutoff_hour <= 23:
        problems.append(
            PolicyProblem("board_cutoff_hour", "The board cut-off must be an hour from 0 to 23")
        )
    rules = policy.eligibility
    both = rules.always & rules.with_need
    if both:
        names = ", ".join(grade.value for grade in Grade if grade in both)
        problems.append(
            PolicyProblem(
                "eligible_with_need",
                f"A grade is either always eligible or eligible with a need, not both ({names})",
            )
        )
    if not 2 <= rules.escalation_events_12_months <= 20:
        problems.append(
            PolicyProblem(
                "escalation_events_12_months",
                "Escalation must be between 2 and 20 DA events in 12 months",
            )
        )
    never_eligible = rules.must_attend - rules.always - rules.with_need
    if never_eligible:
        names = ", ".join(grade.value for grade in Grade if grade in never_eligible)
        problems.append(
            PolicyProblem(
                "must_attend",
                f"A must-attend grade must also be eligible for a joint visit ({names})",
            )
        )
    return problems + _attempt_problems(limits)


def _attempt_problems(limits: Thresholds) -> list[PolicyProblem]:
    problems = []
    if not 1 <= limits.retry_after_hours <= MAX_LOOK_BACK_HOURS:
        problems.append(
            PolicyProblem(
                "retry_after_hours",
                f"The next attempt must be due 1 to {MAX_LOOK_BACK_HOURS} hours after a failed visit",
            )
        )
    if not 1 <= limits.escalate_after_attempts <= 10:
        problems.append(
            PolicyProblem("escalate_after_attempts", "Escalate after 1 to 10 failed visits")
        )
    return problems


def look_back_for(policy: Policy, on_date: dt.date) -> dt.timedelta:
    """The look-back for the board of ``on_date``: longer on a Monday to cover the weekend."""
    hours = policy.look_back_hours
    if policy.thresholds.monday_covers_weekend and on_date.weekday() == 0:
        hours += WEEKEND_EXTRA_HOURS
    return dt.timedelta(hours=hours)
