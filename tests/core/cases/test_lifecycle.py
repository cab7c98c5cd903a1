"""The case lifecycle as a state machine: properties over random event sequences."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from provide.core.cases import (
    AWAITING_VISIT,
    Attempted,
    AttemptResult,
    AttemptRules,
    Case,
    CaseState,
    Closed,
    Decided,
    Decision,
    HandedOver,
    Opened,
    Planned,
    TransitionRefused,
    Unplanned,
    apply_event,
    attempt_due,
    replay,
)

T0 = dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC)
RULES = AttemptRules(retry_after_hours=4, escalate_after_attempts=3)


def _event(kind: str, minute: int, choice: int) -> object:
    at = T0 + dt.timedelta(minutes=minute)
    if kind == "decide":
        return Decided(at, list(Decision)[choice % len(Decision)], RULES, T0)
    if kind == "attempt":
        return Attempted(at, list(AttemptResult)[choice % len(AttemptResult)])
    if kind == "close":
        return Closed(at, "reason given" if choice % 4 else "")
    return {"plan": Planned, "unplan": Unplanned, "handover": HandedOver}[kind](at)


events = st.lists(
    st.tuples(
        st.sampled_from(["decide", "plan", "unplan", "attempt", "handover", "close"]),
        st.integers(0, 60 * 48),
        st.integers(0, 100),
    ),
    max_size=25,
)


def _run(
    steps: list[tuple[str, int, int]], high_risk: bool
) -> tuple[Case, list[object], list[Case]]:
    case = apply_event(Case(), Opened(T0, first_police_visit_at=T0, high_risk=high_risk))
    applied: list[object] = [Opened(T0, first_police_visit_at=T0, high_risk=high_risk)]
    states = [case]
    for kind, minute, choice in sorted(steps, key=lambda s: s[1]):
        event = _event(kind, minute, choice)
        try:
            case = apply_event(case, event)  # type: ignore[arg-type]
        except TransitionRefused:
            continue
        applied.append(event)
        states.append(case)
    return case, applied, states


@settings(max_examples=300)
@given(events, st.booleans())
def test_replaying_the_history_gives_the_same_case(
    steps: list[tuple[str, int, int]], high_risk: bool
) -> None:
    case, applied, _ = _run(steps, high_risk)
    assert replay(applied) == case  # type: ignore[arg-type]


@settings(max_examples=300)
@given(events, st.booleans())
def test_the_clock_stops_at_first_contact_and_a_stopped_clock_is_never_breached(
    steps: list[tuple[str, int, int]], high_risk: bool
) -> None:
    _, applied, states = _run(steps, high_risk)
    contacts = [e.at for e in applied if isinstance(e, Attempted) and e.result.reached_victim]
    final = states[-1]
    assert final.clock.stopped_at == (min(contacts) if contacts else None)
    if final.clock.stopped_at is not None:
        assert not final.clock.breached(T0 + dt.timedelta(days=30))


@settings(max_examples=300)
@given(events, st.booleans())
def test_a_seen_case_never_awaits_and_a_failed_attempt_never_drops_the_victim(
    steps: list[tuple[str, int, int]], high_risk: bool
) -> None:
    _, applied, states = _run(steps, high_risk)
    for event, before, after in zip(applied[1:], states[:-1], states[1:], strict=True):
        if after.state in (CaseState.SEEN, CaseState.HANDED_OVER):
            assert not after.awaiting_visit and after.seen_at is not None
        if (
            isinstance(event, Attempted)
            and event.result is not AttemptResult.ENGAGED
            and before.state not in (CaseState.SEEN, CaseState.HANDED_OVER)
        ):
            assert after.state is CaseState.ATTEMPTED and after.attempts == before.attempts + 1
            assert after.next_attempt_due_at == event.at + dt.timedelta(hours=4)
            assert not attempt_due(after, event.at) and attempt_due(
                after, event.at + dt.timedelta(hours=4)
            )
        if before.state is CaseState.CLOSED:
            pytest.fail("a closed case took another event")
        if after.state in AWAITING_VISIT:
            assert after.accepted_at is not None


def test_high_risk_no_contact_and_the_third_failed_attempt_escalate() -> None:
    opened = Opened(T0, first_police_visit_at=T0, high_risk=True)
    case = replay(
        [
            opened,
            Decided(T0, Decision.JOINT_VISIT_POST, RULES, T0),
            Attempted(T0 + dt.timedelta(hours=1), AttemptResult.NO_CONTACT),
        ]
    )
    assert case.escalated_at == T0 + dt.timedelta(hours=1) and "High-risk" in case.escalation_reason
    standard = replay(
        [Opened(T0, T0, False), Decided(T0, Decision.JOINT_VISIT_POST, RULES, T0)]
        + [Attempted(T0 + dt.timedelta(hours=h), AttemptResult.DECLINED) for h in (1, 6)]
    )
    assert standard.escalated_at is None and standard.attempts == 2
    third = apply_event(standard, Attempted(T0 + dt.timedelta(hours=11), AttemptResult.UNSAFE))
    assert third.escalation_reason.startswith("3 attempts")
    assert (
        apply_event(
            third, Decided(T0 + dt.timedelta(hours=12), Decision.JOINT_VISIT_POST, RULES)
        ).escalated_at
        is None
    )


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (HandedOver(T0), "hand over"),
        (Closed(T0, "  "), "reason"),
        (Planned(T0), "plan a visit"),
    ],
)
def test_refusals_say_why_in_plain_words(event: object, message: str) -> None:
    with pytest.raises(TransitionRefused, match=message):
        apply_event(Case(), event)  # type: ignore[arg-type]


def test_a_decided_case_cannot_be_decided_again_once_seen() -> None:
    seen = replay(
        [
            Opened(T0, T0),
            Decided(T0, Decision.JOINT_VISIT_LIVE),
            Attempted(T0, AttemptResult.ENGAGED),
        ]
    )
    with pytest.raises(TransitionRefused, match="seen"):
        apply_event(seen, Decided(T0, Decision.NOT_ELIGIBLE))
