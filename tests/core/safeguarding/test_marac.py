"""The four MARAC criteria, each with its evidence, and the meeting calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.safeguarding.marac import (
    Assessment,
    Criterion,
    Rules,
    VictimFacts,
    evaluate_marac,
    next_meeting_on,
)

TODAY = dt.date(2025, 6, 10)


def _facts(
    events: tuple[dt.date, ...] = (),
    assessments: tuple[Assessment, ...] = (),
    reasons: tuple[str, ...] = (),
    last_marac_on: dt.date | None = None,
    window_days: int = 365,
) -> VictimFacts:
    """Facts as the aggregate query gives them: events in the window, first and latest."""
    inside = sorted(d for d in events if TODAY - dt.timedelta(days=window_days) < d <= TODAY)
    return VictimFacts(
        "v",
        len(inside),
        inside[-1] if inside else None,
        inside[0] if inside else None,
        assessments,
        reasons,
        last_marac_on,
    )


def _criteria(facts: VictimFacts, rules: Rules | None = None) -> list[Criterion]:
    return [c.criterion for c in evaluate_marac(facts, as_of=TODAY, rules=rules).criteria]


def test_visible_high_risk_at_fourteen_yes_answers() -> None:
    at_14 = _facts((TODAY,), (Assessment("DASH", 14, TODAY, "WB/1"),))
    at_13 = _facts((TODAY,), (Assessment("RIC", 13, TODAY, "WB/1"),))
    decision = evaluate_marac(at_14, as_of=TODAY)
    assert [c.criterion for c in decision.criteria] == [Criterion.VISIBLE_HIGH_RISK]
    assert "DASH 14 yes answers on WB/1" in decision.criteria[0].evidence
    assert _criteria(at_13) == []


def test_dara_has_no_tick_count_and_never_meets_visible_high_risk() -> None:
    assert _criteria(_facts((TODAY,), (Assessment("DARA", 20, TODAY),))) == []


def test_judgement_never_downgrades_an_actuarial_high() -> None:
    """A lower later assessment does not hide an earlier 14+ one in the look-back."""
    facts = _facts(
        (TODAY,),
        (
            Assessment("DASH", 16, TODAY - dt.timedelta(days=1), "A"),
            Assessment("DASH", 6, TODAY, "B"),
        ),
    )
    decision = evaluate_marac(facts, as_of=TODAY)
    assert (
        decision.main is Criterion.VISIBLE_HIGH_RISK and "16 yes" in decision.criteria[0].evidence
    )


def test_professional_judgement_carries_the_reasons() -> None:
    facts = _facts((TODAY,), reasons=("Non-fatal strangulation", " "))
    decision = evaluate_marac(facts, as_of=TODAY)
    assert decision.main is Criterion.PROFESSIONAL_JUDGEMENT
    assert decision.criteria[0].evidence == "Non-fatal strangulation"


def test_escalation_counts_events_in_the_last_twelve_months() -> None:
    three = (TODAY, TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=364))
    old = (TODAY, TODAY - dt.timedelta(days=100), TODAY - dt.timedelta(days=365))
    assert _criteria(_facts(three)) == [Criterion.ESCALATION]
    assert _criteria(_facts(old)) == []
    evidence = evaluate_marac(_facts(three), as_of=TODAY).criteria[0].evidence
    assert evidence.startswith("3 DA events in the 365 days") and "threshold 3" in evidence


def test_escalation_threshold_is_configurable() -> None:
    two = (TODAY, TODAY - dt.timedelta(days=10))
    assert _criteria(_facts(two)) == []
    assert _criteria(_facts(two), Rules(escalation_events=2)) == [Criterion.ESCALATION]
    with pytest.raises(ValueError):
        Rules(escalation_events=1)


def test_repeat_within_twelve_months_of_the_last_marac_is_flagged() -> None:
    last = TODAY - dt.timedelta(days=200)
    decision = evaluate_marac(_facts((TODAY,), last_marac_on=last), as_of=TODAY)
    assert decision.is_repeat and decision.main is Criterion.REPEAT
    assert f"heard at MARAC on {last:%d %b %Y}" in decision.criteria[0].evidence


def test_after_twelve_months_it_is_a_new_referral_not_a_repeat() -> None:
    last = TODAY - dt.timedelta(days=400)
    decision = evaluate_marac(_facts((TODAY,), last_marac_on=last), as_of=TODAY)
    assert not decision.is_repeat and decision.criteria == ()


def test_no_new_incident_since_the_last_meeting_means_already_heard() -> None:
    facts = _facts(
        (TODAY - dt.timedelta(days=3),),
        (Assessment("DASH", 18, TODAY - dt.timedelta(days=3)),),
        last_marac_on=TODAY - dt.timedelta(days=1),
    )
    decision = evaluate_marac(facts, as_of=TODAY)
    assert decision.already_heard and not decision.meets_any


def test_all_criteria_are_reported_in_priority_order() -> None:
    events = (TODAY, TODAY - dt.timedelta(days=30), TODAY - dt.timedelta(days=60))
    facts = _facts(
        events,
        (Assessment("RIC", 15, TODAY),),
        ("Threats to kill",),
        last_marac_on=TODAY - dt.timedelta(days=45),
    )
    assert _criteria(facts) == [
        Criterion.VISIBLE_HIGH_RISK,
        Criterion.REPEAT,
        Criterion.ESCALATION,
        Criterion.PROFESSIONAL_JUDGEMENT,
    ]


def test_next_meeting_skips_the_weekend() -> None:
    friday = dt.date(2025, 6, 13)
    assert next_meeting_on(friday) == dt.date(2025, 6, 16)
    assert next_meeting_on(dt.date(2025, 6, 10)) == dt.date(2025, 6, 11)
    assert next_meeting_on(friday, meeting_weekdays=frozenset(range(7))) == dt.date(2025, 6, 14)
