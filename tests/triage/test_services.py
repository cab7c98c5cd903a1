"""Decisions and policy versions: permission, reasons, overrides, supersession, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from provide.audit.models import AuditEvent
from provide.core.triage import DEFAULT_POLICY, Policy, Weights
from provide.shared.access import RecordNotFound
from provide.triage.models import TriageDecision, TriagePolicy
from provide.triage.services import (
    REASON_REQUIRED,
    REASON_REQUIRED_ALWAYS,
    TriageError,
    TriagePolicyInvalid,
    triage_decision_record,
    triage_policy_create,
)
from tests.triage.conftest import CUTOFF

pytestmark = pytest.mark.django_db
D = TriageDecision.Decision


def _decide(user: Any, investigation: Any, decision: str, reason: str = "") -> TriageDecision:
    return triage_decision_record(
        user=user,
        investigation_id=investigation.public_id,
        decision=decision,
        reason=reason,
        as_of=CUTOFF,
    )


def test_accepting_an_eligible_case_records_score_policy_and_the_policy_s_reason(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    decision = _decide(personas["triage_sergeant"], triage_day["high"], D.JOINT_VISIT_POST)
    assert decision.status == TriageDecision.Status.OPEN
    assert (
        decision.policy.version == 1
        and decision.eligible_by_policy
        and not decision.eligibility_overridden
    )
    assert decision.reasons == "Policy v1: High risk: always offered a joint visit"
    assert decision.priority_score == sum(f["points"] for f in decision.score_explanation)
    assert decision.score_explanation[0]["code"] == "risk_grade"
    assert decision.due_by == triage_day["high"].first_police_visit_at + dt.timedelta(hours=24)
    event = AuditEvent.objects.get(event="triage.decision_recorded")
    assert event.person_label == "Hana High" and event.changes["policy_version"] == 1


def test_accepting_an_ineligible_case_is_an_override_that_needs_a_reason(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    with pytest.raises(TriageError, match=REASON_REQUIRED):
        _decide(sergeant, triage_day["plain"], D.JOINT_VISIT_POST)
    assert not TriageDecision.objects.exists()
    decision = _decide(
        sergeant, triage_day["plain"], D.JOINT_VISIT_POST, "Victim asked for the IDVA by name"
    )
    assert decision.eligibility_overridden and decision.eligible_by_policy is False
    assert decision.reasons == "Victim asked for the IDVA by name"


def test_declining_an_eligible_case_needs_a_reason(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(TriageError, match=REASON_REQUIRED):
        _decide(personas["triage_sergeant"], triage_day["need"], D.NOT_ELIGIBLE)
    decision = _decide(
        personas["triage_sergeant"], triage_day["need"], D.NOT_ELIGIBLE, "Moved out of area"
    )
    assert decision.status == TriageDecision.Status.CLOSED and decision.eligibility_overridden


@pytest.mark.parametrize("choice", [D.CONSULTATION, D.SUPPORTED_ELSEWHERE])
def test_consultation_and_supported_elsewhere_always_need_words(
    choice: str, personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(TriageError, match=REASON_REQUIRED_ALWAYS):
        _decide(personas["triage_sergeant"], triage_day["high"], choice)


def test_a_new_decision_supersedes_the_open_one(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    first = _decide(sergeant, triage_day["high"], D.JOINT_VISIT_POST)
    second = _decide(
        sergeant, triage_day["high"], D.SUPPORTED_ELSEWHERE, "Already with the Women's Aid IDVA"
    )
    first.refresh_from_db()
    assert first.status == TriageDecision.Status.CLOSED and first.decision == D.JOINT_VISIT_POST
    assert second.status == TriageDecision.Status.CLOSED
    assert TriageDecision.objects.count() == 2


@pytest.mark.parametrize(
    "slug",
    [
        "response_officer",
        "joint_team_officer",
        "health_idva",
        "idva_manager",
        "safeguarding_officer",
        "analyst",
        "administrator",
    ],
)
def test_only_triage_sergeants_decide(
    slug: str, personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        _decide(personas[slug], triage_day["high"], D.JOINT_VISIT_POST)


def test_a_case_in_another_bcu_is_not_found(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(RecordNotFound):
        _decide(personas["triage_sergeant"], triage_day["east"], D.JOINT_VISIT_POST)


def test_an_unknown_decision_is_refused(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    with pytest.raises(TriageError, match="Choose a decision"):
        _decide(personas["triage_sergeant"], triage_day["high"], "maybe")


def test_a_policy_change_is_a_new_version_and_the_old_stays_as_it_was(
    personas: dict[str, Any],
) -> None:
    admin = personas["administrator"]
    first = triage_policy_create(
        user=admin,
        policy=Policy(name="Heavier custody", weights=Weights(suspect_in_custody=40)),
        notes="Custody matters more",
    )
    assert first.version == 2 and first.is_active and first.weights["suspect_in_custody"] == 40
    original = TriagePolicy.objects.get(version=1)
    assert (
        not original.is_active
        and original.weights["suspect_in_custody"] == DEFAULT_POLICY.weights.suspect_in_custody
    )
    event = AuditEvent.objects.get(event="triage.policy_created")
    assert (
        event.changes["weights.suspect_in_custody"] == ["20", "40"]
        and event.reason == "Custody matters more"
    )


def test_decisions_keep_the_version_that_scored_them(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    early = _decide(personas["triage_sergeant"], triage_day["high"], D.JOINT_VISIT_POST)
    triage_policy_create(
        user=personas["administrator"], policy=Policy(name="v2", weights=Weights(risk_high=80))
    )
    late = _decide(personas["triage_sergeant"], triage_day["need"], D.JOINT_VISIT_POST)
    early.refresh_from_db()
    assert (early.policy.version, late.policy.version) == (1, 2)


def test_an_invalid_policy_is_refused_with_every_problem(personas: dict[str, Any]) -> None:
    with pytest.raises(TriagePolicyInvalid) as caught:
        triage_policy_create(
            user=personas["administrator"],
            policy=Policy(look_back_hours=0, weights=Weights(pregnancy=999)),
        )
    assert {p.field for p in caught.value.problems} == {"look_back_hours", "weight_pregnancy"}
    assert TriagePolicy.objects.count() == 0


def test_only_administrators_change_the_policy(personas: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        triage_policy_create(user=personas["triage_sergeant"], policy=Policy())
