"""The ranked queue and the preview of a policy change."""

from __future__ import annotations

import datetime as dt

from provide.core.triage import (
    DEFAULT_POLICY,
    ClockState,
    CustodyStatus,
    CustodyWindow,
    EligibilityRules,
    Grade,
    Policy,
    Weights,
    assess_case,
    compare_rankings,
    rank_cases,
)
from tests.core.triage.builders import T0, case


def _h(hours: float) -> dt.datetime:
    return T0 - dt.timedelta(hours=hours)


def test_eligible_cases_rank_above_ineligible_ones_whatever_the_score() -> None:
    # Given an ineligible standard case that scores more than an eligible medium one
    ineligible = case(
        "S",
        risk_grade=Grade.STANDARD,
        first_police_visit_at=_h(23),
        children_in_household=True,
        abuse_types=frozenset({"coercive_control"}),
    )
    eligible = case("M", risk_grade=Grade.MEDIUM, vulnerabilities=frozenset({"disability"}))
    assert (
        assess_case(ineligible, DEFAULT_POLICY, T0).score.total
        > assess_case(eligible, DEFAULT_POLICY, T0).score.total
    )
    # When ranked, then the eligible case comes first
    assert [
        r.assessment.case.reference for r in rank_cases([ineligible, eligible], DEFAULT_POLICY, T0)
    ] == ["M", "S"]


def test_higher_score_ranks_first_and_ranks_count_from_one() -> None:
    ranked = rank_cases(
        [
            case("low", risk_grade=Grade.HIGH),
            case("high", risk_grade=Grade.HIGH, children_in_household=True),
        ],
        DEFAULT_POLICY,
        T0,
    )
    assert [(r.rank, r.assessment.case.reference) for r in ranked] == [(1, "high"), (2, "low")]


def test_equal_scores_put_the_case_nearest_its_deadline_first() -> None:
    # Given two high-risk cases whose time points are capped at 24, so their scores tie
    later = case("later", risk_grade=Grade.HIGH, first_police_visit_at=_h(30))
    sooner = case("sooner", risk_grade=Grade.HIGH, first_police_visit_at=_h(40))
    ranked = rank_cases([later, sooner], DEFAULT_POLICY, T0)
    assert ranked[0].assessment.score.total == ranked[1].assessment.score.total
    assert [r.assessment.case.reference for r in ranked] == ["sooner", "later"]


def test_ranking_is_reproducible_whatever_the_input_order() -> None:
    cases = [case(f"R{i}", risk_grade=Grade.HIGH, recorded_at=_h(i)) for i in range(6)]
    forwards = [r.assessment.case.reference for r in rank_cases(cases, DEFAULT_POLICY, T0)]
    backwards = [
        r.assessment.case.reference for r in rank_cases(reversed(cases), DEFAULT_POLICY, T0)
    ]
    assert forwards == backwards == ["R5", "R4", "R3", "R2", "R1", "R0"]


def test_assessment_carries_the_clock() -> None:
    assessment = assess_case(case(first_police_visit_at=_h(20)), DEFAULT_POLICY, T0)
    assert assessment.clock.state is ClockState.DUE_SOON
    assert assessment.clock.due_by == _h(20) + dt.timedelta(hours=24)


def test_preview_shows_what_a_heavier_custody_weight_changes() -> None:
    custody_case = case(
        "C",
        risk_grade=Grade.HIGH,
        custody=CustodyWindow(CustodyStatus.IN_CUSTODY, _h(3), T0 + dt.timedelta(hours=20)),
    )
    children_case = case(
        "K",
        risk_grade=Grade.HIGH,
        children_in_household=True,
        abuse_types=frozenset({"coercive_control"}),
        pregnant=True,
    )
    proposed = Policy(version=0, weights=Weights(suspect_in_custody=60))
    changes = compare_rankings([custody_case, children_case], DEFAULT_POLICY, proposed, T0)
    assert [(c.reference, c.rank_before, c.rank_after) for c in changes] == [
        ("C", 2, 1),
        ("K", 1, 2),
    ]
    assert changes[0].moved_by == 1 and changes[0].score_after == 110 and changes[0].changed
    assert changes[1].moved_by == -1


def test_preview_flags_a_change_of_eligibility() -> None:
    medium = case("M", risk_grade=Grade.MEDIUM)
    proposed = Policy(
        eligibility=EligibilityRules(
            always=frozenset({Grade.HIGH, Grade.MEDIUM}), with_need=frozenset({Grade.STANDARD})
        )
    )
    (change,) = compare_rankings([medium], DEFAULT_POLICY, proposed, T0)
    assert (change.eligible_before, change.eligible_after) == (False, True) and change.changed
