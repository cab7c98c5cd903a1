"""Ranking: eligible high-risk victims above everyone else unless the policy says otherwise, and
the repeat-suspect factor."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from provide.core.triage.facts import CaseFacts, Grade, VictimHistory
from provide.core.triage.policy import DEFAULT_POLICY, Policy, Thresholds
from provide.core.triage.scoring import RankedCase, rank_cases

T0 = dt.datetime(2026, 12, 4, 7, tzinfo=dt.UTC)
CASES = st.lists(
    st.builds(
        lambda n, grade, events, suspect, hours, vulns: CaseFacts(
            f"c{n}",
            f"WB/{n}",
            T0 - dt.timedelta(hours=hours),
            first_police_visit_at=T0 - dt.timedelta(hours=hours),
            risk_grade=grade,
            history=VictimHistory(da_events_12_months=events),
            suspect_da_events_12_months=suspect,
            vulnerabilities=frozenset(vulns),
            children_in_household=events > 2,
        ),
        st.integers(0, 10_000),
        st.sampled_from(list(Grade)),
        st.integers(1, 8),
        st.integers(0, 6),
        st.integers(0, 23),
        st.sets(st.sampled_from(["mental_health", "disability", "older_person", "language"])),
    ),
    max_size=12,
    unique_by=lambda c: c.case_id,
)


@settings(max_examples=200)
@given(CASES)
def test_an_eligible_high_risk_case_never_ranks_below_a_case_that_is_not(
    cases: list[CaseFacts],
) -> None:
    ranked = rank_cases(cases, DEFAULT_POLICY, T0)
    seen_other = False
    for item in ranked:
        high = (
            item.assessment.case.risk_grade is Grade.HIGH and item.assessment.eligibility.eligible
        )
        if high:
            assert not seen_other, "a high-risk case ranked below a case that is not high risk"
            assert "ranked above every medium and standard case" in item.assessment.rank_note
        else:
            seen_other = True


BY_POINTS = dataclasses.replace(DEFAULT_POLICY, thresholds=Thresholds(rank_high_risk_first=False))


def _band(item: RankedCase, policy: Policy) -> tuple[bool, bool]:
    assessment = item.assessment
    eligible = assessment.eligibility.eligible
    high_first = (
        policy.thresholds.rank_high_risk_first
        and eligible
        and assessment.case.risk_grade is Grade.HIGH
    )
    return (not eligible, not high_first)


@settings(max_examples=200)
@given(CASES, st.sampled_from([DEFAULT_POLICY, BY_POINTS]))
def test_within_each_band_the_board_is_in_points_order(
    cases: list[CaseFacts], policy: Policy
) -> None:
    ranked = rank_cases(cases, policy, T0)
    keys = [(_band(item, policy), -item.assessment.score.total) for item in ranked]
    assert keys == sorted(keys)
    assert all(
        bool(item.assessment.rank_note) == (_band(item, policy) == (False, False))
        for item in ranked
    )


def test_the_policy_can_rank_by_points_alone() -> None:
    standard = CaseFacts(
        "s",
        "WB/S",
        T0,
        first_police_visit_at=T0 - dt.timedelta(hours=20),
        risk_grade=Grade.STANDARD,
        history=VictimHistory(da_events_12_months=6),
        vulnerabilities=frozenset({"mental_health", "disability"}),
        children_in_household=True,
        suspect_da_events_12_months=3,
    )
    high = CaseFacts("h", "WB/H", T0, first_police_visit_at=T0, risk_grade=Grade.HIGH)
    by_points = BY_POINTS
    assert [
        r.assessment.case.case_id for r in rank_cases([standard, high], DEFAULT_POLICY, T0)
    ] == ["h", "s"]
    assert [r.assessment.case.case_id for r in rank_cases([standard, high], by_points, T0)] == [
        "s",
        "h",
    ]


def test_a_repeat_suspect_scores_with_the_reason() -> None:
    case = CaseFacts(
        "c",
        "WB/C",
        T0,
        first_police_visit_at=T0,
        risk_grade=Grade.MEDIUM,
        suspect_da_events_12_months=3,
    )
    factors = {
        f.code: f for f in rank_cases([case], DEFAULT_POLICY, T0)[0].assessment.score.factors
    }
    assert factors["repeat_suspect"].points == 10
    assert (
        factors["repeat_suspect"].reason
        == "The suspect is named in 2 other DA investigations in the last 12 months"
    )
    once = dataclasses.replace(case, suspect_da_events_12_months=1)
    assert "repeat_suspect" not in {
        f.code for f in rank_cases([once], DEFAULT_POLICY, T0)[0].assessment.score.factors
    }
