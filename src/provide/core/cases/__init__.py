"""The case lifecycle (pure): states, events, transitions, the 24-hour clock and escalation.

Public interface::

    from provide.core.cases import Case, CaseState, apply_event, Attempted, AttemptResult

See :mod:`.lifecycle` for the state diagram.
"""

from provide.core.cases.lifecycle import (
    AWAITING_VISIT,
    DECIDABLE,
    OPEN,
    STATE_LABELS,
    Attempted,
    AttemptResult,
    AttemptRules,
    Case,
    CaseClock,
    CaseState,
    Closed,
    Decided,
    Decision,
    Event,
    HandedOver,
    Opened,
    Planned,
    TransitionRefused,
    Unplanned,
    apply_event,
    attempt_due,
    attempt_rules_from,
    replay,
)

__all__ = [
    "AWAITING_VISIT",
    "DECIDABLE",
    "OPEN",
    "STATE_LABELS",
    "AttemptResult",
    "AttemptRules",
    "Attempted",
    "Case",
    "CaseClock",
    "CaseState",
    "Closed",
    "Decided",
    "Decision",
    "Event",
    "HandedOver",
    "Opened",
    "Planned",
    "TransitionRefused",
    "Unplanned",
    "apply_event",
    "attempt_due",
    "attempt_rules_from",
    "replay",
]
