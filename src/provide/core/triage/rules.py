"""The scoring rules: one small function per factor, each giving points and a reason.

Every rule has the signature ``rule(case, policy, as_of) -> Factor | None`` and returns
``None`` when it does not apply or its weight is 0. :data:`SCORING_RULES` is the active set,
in the order the board lists the factors. All rules run; the score is the sum of their
points and the explanation is the list of their reasons (STYLE §3.6 habit 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from provide.core.triage.clock import ClockState, clock_for
from provide.core.triage.facts import (
    ABUSE_LABELS,
    CaseFacts,
    CustodyStatus,
    Grade,
    vulnerability_label,
)
from provide.core.triage.policy import Policy


@dataclass(frozen=True)
class Factor:
    """One factor's contribution to a score.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"risk_grade"``; used in stored explanations and the API.
    label : str
        Short name shown in the factor list.
    points : int
        Points added to the score.
    reason : str
        One plain-English sentence saying why.
    """

    code: str
    label: str
    points: int
    reason: str

    def as_dict(self) -> dict[str, str | int]:
        return {
            "code": self.code,
            "label": self.label,
            "points": self.points,
            "reason": self.reason,
        }


Rule = Callable[[CaseFacts, Policy, dt.datetime], "Factor | None"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def rule_risk_grade(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points for the latest risk grade."""
    if case.risk_grade is None:
        return None
    points = policy.weights.for_grade(case.risk_grade)
    if points == 0:
        return None
    return Factor(
        "risk_grade", "Risk grade", points, f"{case.risk_grade.label} risk on the latest assessment"
    )


def rule_suspect_in_custody(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points while the suspect is detained: the victim can be seen away from them.

    A custody record whose expected release has already passed earns nothing: the suspect
    may be home, and the sergeant is told to check with custody.
    """
    custody = case.custody
    points = policy.weights.suspect_in_custody
    if custody is None or points == 0:
        return None
    if custody.status is CustodyStatus.REMANDED:
        return Factor(
            "suspect_in_custody",
            "Suspect in custody",
            points,
            "Suspect charged and remanded in custody",
        )
    hours = custody.hours_to_release(as_of)
    if hours is None:
        return Factor(
            "suspect_in_custody",
            "Suspect in custody",
            points,
            "Suspect in police custody now; expected release not recorded",
        )
    if hours <= 0:
        return None
    return Factor(
        "suspect_in_custody",
        "Suspect in custody",
        points,
        f"Suspect in police custody now; expected release in {_hours_text(hours)}",
    )


def _hours_text(hours: float) -> str:
    if hours < 1:
        return f"{max(1, round(hours * 60))} minutes"
    return _plural(int(hours), "hour")


def rule_custody_release_soon(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Extra points when the custody window is closing."""
    custody = case.custody
    points = policy.weights.custody_release_soon
    if custody is None or custody.status is not CustodyStatus.IN_CUSTODY or points == 0:
        return None
    hours = custody.hours_to_release(as_of)
    window = policy.thresholds.custody_release_soon_hours
    if hours is None or not 0 < hours <= window:
        return None
    return Factor(
        "custody_release_soon",
        "Custody window closing",
        points,
        f"Release expected within {_plural(window, 'hour')}: visit while the suspect is away",
    )


def rule_time_since_first_visit(
    case: CaseFacts, policy: Policy, as_of: dt.datetime
) -> Factor | None:
    """Points per whole hour since the first police visit, up to the target."""
    per_hour = policy.weights.hours_since_first_visit_per_hour
    clock = clock_for(case, as_of, policy.thresholds)
    if per_hour == 0 or clock.hours_since_first_visit is None:
        return None
    target = policy.thresholds.target_hours
    hours = int(min(clock.hours_since_first_visit, target))
    points = hours * per_hour
    if clock.state is ClockState.BREACHED:
        reason = f"First police visit {_plural(int(clock.hours_since_first_visit), 'hour')} ago: the {target}-hour target has passed"
    else:
        reason = (
            f"First police visit {_plural(hours, 'hour')} ago; "
            f"{_hours_text(clock.hours_left or 0)} left of the {target}-hour target"
        )
    if points == 0:
        return None
    return Factor("hours_since_first_visit", "Time since first police visit", points, reason)


def rule_repeat_victim(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points for a repeat victim (another DA event in 12 months)."""
    points = policy.weights.repeat_victim
    if not case.history.repeat_victim or points == 0:
        return None
    return Factor(
        "repeat_victim",
        "Repeat victim",
        points,
        "Victim of another domestic-abuse incident in the last 12 months",
    )


def rule_repeat_suspect(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points for a repeat suspect (a serial perpetrator): named in another DA investigation,
    against any victim, in the last 12 months."""
    points = policy.weights.repeat_suspect
    if not case.repeat_suspect or points == 0:
        return None
    others = case.suspect_da_events_12_months - 1
    return Factor(
        "repeat_suspect",
        "Repeat suspect",
        points,
        f"The suspect is named in {_plural(others, 'other DA investigation')} in the last 12 months",
    )


def rule_da_events(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points per previous DA event in 12 months, up to the cap."""
    each = policy.weights.da_events_12_months_each
    previous = case.history.previous_events
    if previous == 0 or each == 0:
        return None
    counted = min(previous, policy.thresholds.da_events_cap)
    capped = f" (counted up to {counted})" if counted < previous else ""
    return Factor(
        "da_events_12_months",
        "DA events in 12 months",
        counted * each,
        f"{_plural(previous, 'previous DA event')} in the last 12 months{capped}",
    )


def rule_previous_marac(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points when the victim was discussed at MARAC in the last 12 months."""
    points = policy.weights.previous_marac
    last = case.history.last_marac_on
    if last is None or points == 0:
        return None
    return Factor(
        "previous_marac",
        "Previous MARAC",
        points,
        f"Discussed at MARAC on {last:%d %b %Y}: a repeat within 12 months is a MARAC criterion",
    )


def rule_children(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points when children are in the household."""
    points = policy.weights.children_in_household
    if not case.children_in_household or points == 0:
        return None
    return Factor(
        "children_in_household",
        "Children in the household",
        points,
        "Children live in the household: they are victims in their own right",
    )


def rule_pregnancy(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points when the victim is pregnant."""
    points = policy.weights.pregnancy
    if not case.pregnant or points == 0:
        return None
    return Factor(
        "pregnancy",
        "Pregnancy",
        points,
        "Victim is pregnant: abuse often starts or escalates in pregnancy",
    )


def rule_vulnerabilities(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points per other vulnerability or health need, up to the cap."""
    each = policy.weights.vulnerability_each
    found = sorted(case.other_vulnerabilities)
    if not found or each == 0:
        return None
    counted = min(len(found), policy.thresholds.vulnerability_cap)
    names = _join([vulnerability_label(code) for code in found])
    return Factor(
        "vulnerabilities", "Vulnerabilities and health needs", counted * each, f"Recorded: {names}"
    )


def rule_coercive_control(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points when coercive-control indicators are recorded."""
    points = policy.weights.coercive_control
    found = sorted(case.coercive_control_indicators)
    if not found or points == 0:
        return None
    names = _join([ABUSE_LABELS.get(code, code) for code in found])
    return Factor("coercive_control", "Coercive control", points, f"Indicators recorded: {names}")


def rule_language_need(case: CaseFacts, policy: Policy, as_of: dt.datetime) -> Factor | None:
    """Points when the victim needs an interpreter or another language."""
    points = policy.weights.language_need
    if not case.language_need or points == 0:
        return None
    return Factor(
        "language_need",
        "Language need",
        points,
        f"Needs {case.language_need}: book an interpreter before the visit",
    )


SCORING_RULES: tuple[Rule, ...] = (
    rule_risk_grade,
    rule_suspect_in_custody,
    rule_custody_release_soon,
    rule_time_since_first_visit,
    rule_repeat_victim,
    rule_repeat_suspect,
    rule_da_events,
    rule_previous_marac,
    rule_children,
    rule_pregnancy,
    rule_vulnerabilities,
    rule_coercive_control,
    rule_language_need,
)
"""The active rules, in display order."""


GRADE_ORDER: dict[Grade | None, int] = {Grade.HIGH: 0, Grade.MEDIUM: 1, Grade.STANDARD: 2, None: 3}
"""Sort order of grades (used for tie-breaks)."""
