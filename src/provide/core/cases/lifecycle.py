"""The case lifecycle: one victim's case from the incident to its close, as a pure state machine.

A *case* is one investigation's journey through the programme. Every page, list, API and
report reads its state from here (through the ``cases`` app); nothing else derives "awaiting a
visit", "seen" or "breached".

States and what moves a case between them::

    new ──decided: joint visit──▶ accepted ──planned──▶ planned ──attempt: no contact / declined / unsafe──▶ attempted
     │                              ▲   ▲                 │  ▲                                                │
     │ decided: not eligible,       │   └───unplanned─────┘  └──────────────planned again──────────────────────┘
     │ consultation, elsewhere      │
     ▼                              │ decided again
    triaged ────────────────────────┘
    any awaiting state ──attempt: engaged──▶ seen ──handed over──▶ handed_over
    any open state ──closed (reason, by a named user)──▶ closed

* **Awaiting a visit** means accepted, planned or attempted: these cases are on the
  planner's candidates, the stale lists and the hand-over summary until the victim is seen,
  the sergeant decides otherwise, or the case is closed. A no-contact visit never drops a
  victim: the case goes back to the queue with its attempt count and the time the next
  attempt is due.
* **The 24-hour clock** starts at the first police visit and stops at the first contact
  (the victim was reached: engaged, or declined support face to face). A stopped clock is
  never shown as breached.
* **Escalation**: a no-contact attempt on a high-risk case, or the N-th failed attempt (N in
  the triage policy version that accepted the case), escalates the case to the sergeant.

Pure Python: no Django, no clock. Each transition takes the moment it happened.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, replace


class CaseState(enum.Enum):
    """Where a case stands. The values are the API's words."""

    NEW = "new"
    TRIAGED = "triaged"
    ACCEPTED = "accepted"
    PLANNED = "planned"
    ATTEMPTED = "attempted"
    SEEN = "seen"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS: dict[CaseState, str] = {
    CaseState.NEW: "New: awaiting triage",
    CaseState.TRIAGED: "Triaged: not for the joint team",
    CaseState.ACCEPTED: "Accepted: awaiting a visit",
    CaseState.PLANNED: "Planned for a shift",
    CaseState.ATTEMPTED: "Attempted: to visit again",
    CaseState.SEEN: "Seen by the joint team",
    CaseState.HANDED_OVER: "Handed over to safeguarding",
    CaseState.CLOSED: "Closed",
}

AWAITING_VISIT: frozenset[CaseState] = frozenset(
    {CaseState.ACCEPTED, CaseState.PLANNED, CaseState.ATTEMPTED}
)
"""States in which the joint team still owes the victim a visit."""

OPEN: frozenset[CaseState] = frozenset(CaseState) - {CaseState.CLOSED}

DECIDABLE: frozenset[CaseState] = frozenset({CaseState.NEW, CaseState.TRIAGED}) | AWAITING_VISIT
"""States in which the sergeant may (re)decide. Once the victim is seen, the decision stands."""


class Decision(enum.Enum):
    """The sergeant's triage decision."""

    JOINT_VISIT_LIVE = "joint_visit_live"
    JOINT_VISIT_POST = "joint_visit_post"
    CONSULTATION = "consultation"
    NOT_ELIGIBLE = "not_eligible"
    SUPPORTED_ELSEWHERE = "supported_elsewhere"

    @property
    def accepts(self) -> bool:
        """A joint visit (live or post-incident): the case joins the joint team's queue."""
        return self in (Decision.JOINT_VISIT_LIVE, Decision.JOINT_VISIT_POST)


class AttemptResult(enum.Enum):
    """What happened when the joint team arrived (the visit's contact result)."""

    ENGAGED = "engaged"
    DECLINED = "declined"
    NO_CONTACT = "no_contact"
    UNSAFE = "unsafe"

    @property
    def reached_victim(self) -> bool:
        """The team spoke with the victim (the clock stops here)."""
        return self in (AttemptResult.ENGAGED, AttemptResult.DECLINED)


@dataclass(frozen=True)
class AttemptRules:
    """How failed attempts are handled; kept on the case from the policy version that accepted it.

    Attributes
    ----------
    retry_after_hours : float
        The next attempt is due this long after a failed one (no contact, declined, unsafe).
    escalate_after_attempts : int
        The N-th failed attempt escalates the case to the sergeant.
    escalate_high_risk_no_contact : bool
        A no-contact attempt on a high-risk case escalates at once.
    target_hours : float
        The 24-hour clock's target, from the first police visit.
    """

    retry_after_hours: float = 4.0
    escalate_after_attempts: int = 3
    escalate_high_risk_no_contact: bool = True
    target_hours: float = 24.0

    def as_mapping(self) -> dict[str, float | int | bool]:
        return {
            "retry_after_hours": self.retry_after_hours,
            "escalate_after_attempts": self.escalate_after_attempts,
            "escalate_high_risk_no_contact": self.escalate_high_risk_no_contact,
            "target_hours": self.target_hours,
        }


def attempt_rules_from(values: object) -> AttemptRules:
    """Rules from a stored mapping; missing or malformed keys take the defaults."""
    if not isinstance(values, dict):
        return AttemptRules()
    default = AttemptRules()
    try:
        return AttemptRules(
            retry_after_hours=max(
                0.0, float(values.get("retry_after_hours", default.retry_after_hours))
            ),
            escalate_after_attempts=max(
                1, int(values.get("escalate_after_attempts", default.escalate_after_attempts))
            ),
            escalate_high_risk_no_contact=bool(
                values.get("escalate_high_risk_no_contact", default.escalate_high_risk_no_contact)
            ),
            target_hours=max(1.0, float(values.get("target_hours", default.target_hours))),
        )
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class CaseClock:
    """The 24-hour clock: from the first police visit to the first contact."""

    started_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    stopped_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.stopped_at is None

    def breached(self, as_of: dt.datetime) -> bool:
        """Past the target with no contact yet. A stopped clock is never breached."""
        return self.running and self.due_at is not None and as_of >= self.due_at

    def met(self) -> bool | None:
        """Contact within the target (None while the clock runs or never started)."""
        if self.stopped_at is None or self.due_at is None:
            return None
        return self.stopped_at <= self.due_at


@dataclass(frozen=True)
class Case:
    """A case's state: what every list reads.

    Attributes
    ----------
    state : CaseState
    high_risk : bool
        The latest risk grade is high (escalation rules read it).
    decision : Decision or None
        The sergeant's latest decision.
    attempts : int
        Failed attempts (no contact, declined, unsafe) so far.
    next_attempt_due_at : datetime or None
        When the victim should be tried again (failed attempts only).
    escalated_at, escalation_reason
        Set when the case needs the sergeant's attention again.
    """

    state: CaseState = CaseState.NEW
    high_risk: bool = False
    decision: Decision | None = None
    accepted_at: dt.datetime | None = None
    clock: CaseClock = field(default_factory=CaseClock)
    rules: AttemptRules = field(default_factory=AttemptRules)
    attempts: int = 0
    last_attempt_at: dt.datetime | None = None
    last_attempt_result: AttemptResult | None = None
    next_attempt_due_at: dt.datetime | None = None
    escalated_at: dt.datetime | None = None
    escalation_reason: str = ""
    seen_at: dt.datetime | None = None
    handed_over_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    closed_reason: str = ""

    @property
    def awaiting_visit(self) -> bool:
        return self.state in AWAITING_VISIT

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """The investigation is recorded; the clock starts at the first police visit, if known."""

    at: dt.datetime
    first_police_visit_at: dt.datetime | None
    high_risk: bool = False


@dataclass(frozen=True)
class Decided:
    at: dt.datetime
    decision: Decision
    rules: AttemptRules = field(default_factory=AttemptRules)
    first_police_visit_at: dt.datetime | None = None
    high_risk: bool | None = None


@dataclass(frozen=True)
class Planned:
    at: dt.datetime


@dataclass(frozen=True)
class Unplanned:
    """A re-plan dropped the case (or its planned visit was withdrawn)."""

    at: dt.datetime


@dataclass(frozen=True)
class Attempted:
    """The joint team arrived: ``result`` says whether they reached the victim."""

    at: dt.datetime
    result: AttemptResult


@dataclass(frozen=True)
class HandedOver:
    at: dt.datetime


@dataclass(frozen=True)
class Closed:
    at: dt.datetime
    reason: str


Event = Opened | Decided | Planned | Unplanned | Attempted | HandedOver | Closed


class TransitionRefused(ValueError):
    """The event is not allowed in the case's state; the message says why in plain words."""


# --- transitions ---------------------------------------------------------------------------


def _clock(
    started: dt.datetime | None, rules: AttemptRules, stopped: dt.datetime | None
) -> CaseClock:
    if started is None:
        return CaseClock(stopped_at=None)
    return CaseClock(started, started + dt.timedelta(hours=rules.target_hours), stopped)


def _refuse(case: Case, what: str) -> TransitionRefused:
    return TransitionRefused(
        f"cannot {what}: the case is {case.state.value} ({case.state.label.lower()})"
    )


def _opened(case: Case, event: Opened) -> Case:
    if case.state is not CaseState.NEW or case.accepted_at is not None:
        raise _refuse(case, "open the case again")
    return replace(
        case, high_risk=event.high_risk, clock=_clock(event.first_police_visit_at, case.rules, None)
    )


def _decided(case: Case, event: Decided) -> Case:
    if case.state not in DECIDABLE:
        raise _refuse(case, "record a triage decision")
    started = event.first_police_visit_at or case.clock.started_at
    high_risk = case.high_risk if event.high_risk is None else event.high_risk
    base = replace(
        case,
        decision=event.decision,
        rules=event.rules,
        high_risk=high_risk,
        clock=_clock(started, event.rules, case.clock.stopped_at),
        escalated_at=None,
        escalation_reason="",
    )
    if not event.decision.accepts:
        return replace(base, state=CaseState.TRIAGED, accepted_at=None, next_attempt_due_at=None)
    state = CaseState.ATTEMPTED if case.attempts else CaseState.ACCEPTED
    return replace(base, state=state, accepted_at=event.at)


def _planned(case: Case, event: Planned) -> Case:
    if case.state not in AWAITING_VISIT:
        raise _refuse(case, "plan a visit")
    return replace(case, state=CaseState.PLANNED)


def _unplanned(case: Case, event: Unplanned) -> Case:
    if case.state is not CaseState.PLANNED:
        raise _refuse(case, "take the case out of a plan")
    return replace(case, state=CaseState.ATTEMPTED if case.attempts else CaseState.ACCEPTED)


def _attempted(case: Case, event: Attempted) -> Case:
    if case.state is CaseState.CLOSED:
        raise _refuse(case, "record a visit")
    stopped = case.clock.stopped_at
    if event.result.reached_victim:
        stopped = event.at if stopped is None else min(stopped, event.at)
    recorded = replace(
        case,
        last_attempt_at=event.at,
        last_attempt_result=event.result,
        clock=replace(case.clock, stopped_at=stopped),
    )
    if case.state in (CaseState.SEEN, CaseState.HANDED_OVER):
        return recorded  # a further visit after the victim was seen
    if event.result is AttemptResult.ENGAGED:
        return replace(
            recorded,
            state=CaseState.SEEN,
            seen_at=event.at,
            next_attempt_due_at=None,
            escalated_at=None,
            escalation_reason="",
        )
    attempts = case.attempts + 1
    reason = _escalation(case, event.result, attempts)
    return replace(
        recorded,
        state=CaseState.ATTEMPTED,
        attempts=attempts,
        accepted_at=case.accepted_at or event.at,
        next_attempt_due_at=event.at + dt.timedelta(hours=case.rules.retry_after_hours),
        escalated_at=event.at if reason else case.escalated_at,
        escalation_reason=reason or case.escalation_reason,
    )


def _escalation(case: Case, result: AttemptResult, attempts: int) -> str:
    if (
        result is AttemptResult.NO_CONTACT
        and case.high_risk
        and case.rules.escalate_high_risk_no_contact
    ):
        return "High-risk victim not reached: the sergeant decides the next step"
    if attempts >= case.rules.escalate_after_attempts:
        return f"{attempts} attempts without seeing the victim: the sergeant decides the next step"
    return ""


def _handed_over(case: Case, event: HandedOver) -> Case:
    if case.state is not CaseState.SEEN:
        raise _refuse(case, "hand over to safeguarding before the victim is seen")
    return replace(case, state=CaseState.HANDED_OVER, handed_over_at=event.at)


def _closed(case: Case, event: Closed) -> Case:
    if case.state is CaseState.CLOSED:
        raise _refuse(case, "close the case")
    reason = event.reason.strip()
    if not reason:
        raise TransitionRefused("give a reason for closing the case")
    return replace(
        case,
        state=CaseState.CLOSED,
        closed_at=event.at,
        closed_reason=reason,
        next_attempt_due_at=None,
    )


_HANDLERS = {
    Opened: _opened,
    Decided: _decided,
    Planned: _planned,
    Unplanned: _unplanned,
    Attempted: _attempted,
    HandedOver: _handed_over,
    Closed: _closed,
}


def apply_event(case: Case, event: Event) -> Case:
    """The case after ``event``; raises :class:`TransitionRefused` when it is not allowed.

    Examples
    --------
    >>> import datetime as dt
    >>> t = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
    >>> case = apply_event(Case(), Opened(t, first_police_visit_at=t, high_risk=True))
    >>> case = apply_event(case, Decided(t, Decision.JOINT_VISIT_POST))
    >>> case = apply_event(case, Attempted(t + dt.timedelta(hours=3), AttemptResult.NO_CONTACT))
    >>> case.state.value, case.attempts, case.escalation_reason != ""
    ('attempted', 1, True)
    >>> apply_event(case, Attempted(t + dt.timedelta(hours=8), AttemptResult.ENGAGED)).state.value
    'seen'
    """
    handler = _HANDLERS[type(event)]
    next_case: Case = handler(case, event)  # type: ignore[operator]
    return next_case


def replay(events: list[Event]) -> Case:
    """The case after every event in order (the history is the truth; the row is its cache)."""
    case = Case()
    for event in events:
        case = apply_event(case, event)
    return case


def attempt_due(case: Case, as_of: dt.datetime) -> bool:
    """An attempted case whose next attempt is due by ``as_of`` (the planner offers it again)."""
    if case.state is not CaseState.ATTEMPTED:
        return case.awaiting_visit
    return case.next_attempt_due_at is None or case.next_attempt_due_at <= as_of
