"""The four MARAC referral criteria (SafeLives), evaluated with their evidence.

1. **Visible high risk** — a DASH / Dash RIC with 14 or more "yes" answers. Professional
   judgement never downgrades it, so any such assessment in the look-back counts.
2. **Professional judgement** — a referrer set out reasons (strangulation, stalking, threats
   to kill, extreme fear, a cluster of separation + coercive control + violence ...).
3. **Potential escalation** — ``escalation_events`` (default 3) DA events within
   ``escalation_window_days`` (default 365) up to ``as_of``.
4. **Repeat MARAC** — heard at MARAC before and a further incident within 12 months of
   that meeting. After 12 months it is a new referral, not a repeat.

A victim already heard at a meeting on or after their latest incident is *already heard*:
they are not listed again until something new happens.

Example::

    >>> facts = VictimFacts(victim_key="v1", events_in_window=1, latest_event_on=dt.date(2025, 5, 1),
    ...                     assessments=(Assessment("DASH", 15, dt.date(2025, 5, 1), "WB/1"),))
    >>> [c.criterion.value for c in evaluate_marac(facts, as_of=dt.date(2025, 5, 2)).criteria]
    ['visible_high_risk']
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field


class Criterion(enum.Enum):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    ESCALATION = "escalation"
    REPEAT = "repeat"


#: The order criteria are reported in (and the first met is the case's main criterion).
PRIORITY: tuple[Criterion, ...] = (
    Criterion.VISIBLE_HIGH_RISK,
    Criterion.REPEAT,
    Criterion.ESCALATION,
    Criterion.PROFESSIONAL_JUDGEMENT,
)
#: Tools whose yes-count the 14-tick threshold applies to (not DARA: it has no tick count).
CHECKLIST_TOOLS: frozenset[str] = frozenset({"DASH", "RIC"})


@dataclass(frozen=True)
class Rules:
    """The thresholds. ``escalation_events`` is the local protocol's N (SafeLives: 3)."""

    high_risk_yes: int = 14
    escalation_events: int = 3
    escalation_window_days: int = 365
    repeat_window_days: int = 365

    def __post_init__(self) -> None:
        if self.escalation_events < 2:
            raise ValueError("escalation needs at least 2 events")
        if min(self.high_risk_yes, self.escalation_window_days, self.repeat_window_days) < 1:
            raise ValueError("thresholds and windows must be positive")


@dataclass(frozen=True)
class Assessment:
    tool: str
    yes_count: int | None
    assessed_on: dt.date
    reference: str = ""


@dataclass(frozen=True)
class VictimFacts:
    """What is known about one victim on ``as_of``. Dates are local calendar dates.

    ``events_in_window`` counts the victim's DA events in the escalation window (the
    ``escalation_window_days`` up to ``as_of``), ``first_event_on`` and ``latest_event_on``
    the first and latest of them; ``assessments`` the risk assessments to consider for
    visible high risk; ``judgement_reasons`` the reasons of referrers asking MARAC to hear
    the case on professional judgement; ``last_marac_on`` the last meeting that heard the
    case, if any. (The counts come from one aggregate query, or the person-linking history.)
    """

    victim_key: str
    events_in_window: int = 0
    latest_event_on: dt.date | None = None
    first_event_on: dt.date | None = None
    assessments: Sequence[Assessment] = ()
    judgement_reasons: Sequence[str] = ()
    last_marac_on: dt.date | None = None


@dataclass(frozen=True)
class CriterionMet:
    criterion: Criterion
    evidence: str


@dataclass(frozen=True)
class MaracDecision:
    victim_key: str
    criteria: tuple[CriterionMet, ...] = field(default_factory=tuple)
    is_repeat: bool = False
    already_heard: bool = False

    @property
    def meets_any(self) -> bool:
        return bool(self.criteria) and not self.already_heard

    @property
    def main(self) -> Criterion | None:
        return self.criteria[0].criterion if self.criteria else None

    @property
    def evidence_text(self) -> str:
        return "\n".join(f"{c.criterion.value}: {c.evidence}" for c in self.criteria)


def _visible_high_risk(facts: VictimFacts, rules: Rules) -> CriterionMet | None:
    high = [
        a
        for a in facts.assessments
        if a.tool in CHECKLIST_TOOLS
        and a.yes_count is not None
        and a.yes_count >= rules.high_risk_yes
    ]
    if not high:
        return None
    top = max(high, key=lambda a: (a.yes_count or 0, a.assessed_on))
    ref = f" on {top.reference}" if top.reference else ""
    return CriterionMet(
        Criterion.VISIBLE_HIGH_RISK,
        f"{top.tool} {top.yes_count} yes answers{ref} ({top.assessed_on:%d %b %Y}); "
        f"threshold {rules.high_risk_yes}",
    )


def _judgement(facts: VictimFacts) -> CriterionMet | None:
    reasons = [r.strip() for r in facts.judgement_reasons if r.strip()]
    if not reasons:
        return None
    return CriterionMet(Criterion.PROFESSIONAL_JUDGEMENT, "; ".join(reasons))


def _escalation(facts: VictimFacts, as_of: dt.date, rules: Rules) -> CriterionMet | None:
    if facts.events_in_window < rules.escalation_events:
        return None
    span = ""
    if facts.first_event_on and facts.latest_event_on:
        span = f"; first {facts.first_event_on:%d %b %Y}, last {facts.latest_event_on:%d %b %Y}"
    return CriterionMet(
        Criterion.ESCALATION,
        f"{facts.events_in_window} DA events in the {rules.escalation_window_days} days to "
        f"{as_of:%d %b %Y} (threshold {rules.escalation_events}){span}",
    )


def _repeat(facts: VictimFacts, as_of: dt.date, rules: Rules) -> CriterionMet | None:
    last = facts.last_marac_on
    if last is None:
        return None
    latest = facts.latest_event_on
    limit = last + dt.timedelta(days=rules.repeat_window_days)
    if latest is None or not last < latest <= min(limit, as_of):
        return None
    return CriterionMet(
        Criterion.REPEAT,
        f"heard at MARAC on {last:%d %b %Y}; further incident on {latest:%d %b %Y} "
        f"within {rules.repeat_window_days} days",
    )


def evaluate_marac(
    facts: VictimFacts, *, as_of: dt.date, rules: Rules | None = None
) -> MaracDecision:
    """Evaluate the four criteria for one victim on ``as_of``.

    Returns a :class:`MaracDecision` listing every criterion met (in :data:`PRIORITY` order)
    with its evidence; ``is_repeat`` when the repeat criterion is met; ``already_heard`` when
    a meeting on or after the latest DA event has heard the case (no new incident since).
    """
    rules = rules or Rules()
    found = {
        Criterion.VISIBLE_HIGH_RISK: _visible_high_risk(facts, rules),
        Criterion.PROFESSIONAL_JUDGEMENT: _judgement(facts),
        Criterion.ESCALATION: _escalation(facts, as_of, rules),
        Criterion.REPEAT: _repeat(facts, as_of, rules),
    }
    criteria = tuple(met for c in PRIORITY if (met := found[c]) is not None)
    latest = facts.latest_event_on
    already_heard = (
        facts.last_marac_on is not None
        and not facts.judgement_reasons
        and (latest is None or latest <= facts.last_marac_on)
    )
    return MaracDecision(
        victim_key=facts.victim_key,
        criteria=criteria,
        is_repeat=found[Criterion.REPEAT] is not None,
        already_heard=already_heard,
    )


def next_meeting_on(
    today: dt.date, *, meeting_weekdays: frozenset[int] = frozenset(range(5))
) -> dt.date:
    """The next daily MARAC after ``today`` (Monday–Friday by default; weekday 0 = Monday)."""
    if not meeting_weekdays:
        raise ValueError("at least one meeting weekday is needed")
    day = today + dt.timedelta(days=1)
    while day.weekday() not in meeting_weekdays:
        day += dt.timedelta(days=1)
    return day
