"""Stored rows to the triage core's facts and policy (built from unsaved rows: no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.core.triage import CustodyStatus, CustodyWindow, Grade, VictimHistory
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.triage.mapping import case_facts_from, grade_from, language_need_from, policy_from
from provide.triage.models import TriagePolicy

RECORDED = dt.datetime(2023, 1, 10, 5, tzinfo=dt.UTC)


def victim(**fields: Any) -> Person:
    return Person(given_name="Alice", family_name="Westby", synthetic=True, **fields)


def investigation(person: Person, **fields: Any) -> Investigation:
    return Investigation(
        investigation_ref="WB/2023/000001",
        recorded_at=RECORDED,
        victim=person,
        risk_grade="medium",
        **fields,
    )


@pytest.mark.parametrize(
    ("stored", "grade"),
    [
        ("high", Grade.HIGH),
        ("standard", Grade.STANDARD),
        ("", None),
        (None, None),
        ("severe", None),
    ],
)
def test_grade_from_leaves_blank_and_unknown_grades_ungraded(
    stored: str | None, grade: Grade | None
) -> None:
    assert grade_from(stored) is grade


@pytest.mark.parametrize(
    ("fields", "need"),
    [
        ({"language": "pl", "interpreter_needed": True}, "an interpreter (Polish)"),
        ({"language": "", "interpreter_needed": True}, "an interpreter"),
        ({"language": "ur"}, "support in Urdu"),
        ({"language": "Tigrinya"}, "support in Tigrinya"),
        ({"language": "", "vulnerabilities": ["language"]}, "a language other than English"),
        ({"language": ""}, ""),
    ],
)
def test_language_need_in_words(fields: dict[str, Any], need: str) -> None:
    assert language_need_from(victim(**fields)) == need


def test_case_facts_carry_the_investigation_and_the_latest_grade() -> None:
    person = victim(
        vulnerabilities=["mental_health", "pregnancy"], language="pl", interpreter_needed=True
    )
    row = investigation(
        person,
        first_police_visit_at=RECORDED + dt.timedelta(hours=1),
        abuse_types=["economic", "physical"],
    )
    custody = CustodyWindow(CustodyStatus.IN_CUSTODY, arrested_at=RECORDED)
    facts = case_facts_from(
        row, history=VictimHistory(3), custody=custody, grade="high", suspect_events=2
    )
    assert (facts.case_id, facts.reference, facts.recorded_at) == (
        str(row.public_id),
        "WB/2023/000001",
        RECORDED,
    )
    assert (
        facts.risk_grade is Grade.HIGH
        and facts.custody is custody
        and facts.history.previous_events == 2
    )
    assert facts.pregnant and facts.health_needs == {"mental_health", "pregnancy"}
    assert facts.coercive_control_indicators == {"economic"}
    assert facts.language_need == "an interpreter (Polish)" and facts.repeat_suspect


def test_without_a_regrade_the_investigations_own_grade_is_used() -> None:
    facts = case_facts_from(investigation(victim()))
    assert facts.risk_grade is Grade.MEDIUM and facts.history == VictimHistory() and facts.is_live


@pytest.mark.parametrize(
    ("counted", "present", "children"),
    [
        (2, None, True),
        (0, True, True),
        (None, True, True),
        (0, None, False),
        (None, False, False),
        (None, None, None),
    ],
)
def test_children_in_household_from_the_count_or_the_incident(
    counted: int | None, present: bool | None, children: bool | None
) -> None:
    row = investigation(victim(children_in_household=counted), children_present=present)
    assert case_facts_from(row).children_in_household is children


def test_pregnancy_recorded_on_the_investigation_counts() -> None:
    assert case_facts_from(investigation(victim(), victim_pregnant=True)).pregnant


def test_policy_from_a_stored_version() -> None:
    row = TriagePolicy(
        version=4,
        name="Winter",
        look_back_hours=72,
        weights={"risk_high": 50},
        thresholds={"target_hours": 48},
        eligibility={"always": ["high", "medium"], "must_attend": []},
    )
    policy = policy_from(row)
    assert (policy.version, policy.name, policy.look_back_hours) == (4, "Winter", 72)
    assert policy.weights.risk_high == 50 and policy.weights.risk_medium == 0
    assert policy.thresholds.target_hours == 48
    assert policy.eligibility.always == frozenset({Grade.HIGH, Grade.MEDIUM})
    assert policy.eligibility.must_attend == frozenset()


def test_a_stored_version_with_an_unknown_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        policy_from(
            TriagePolicy(version=1, name="x", look_back_hours=24, weights={"moon_phase": 3})
        )
