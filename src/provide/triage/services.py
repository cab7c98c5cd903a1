"""Writes for triage: the sergeant's decisions and new policy versions.

Each service checks permission, changes the data and writes the audit event in one
transaction; errors are :class:`TriageError` with messages from the module constants.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.cases.services import CaseTransitionRefused, case_check_decidable, case_decided
from provide.core.cases import attempt_rules_from
from provide.core.triage import Policy, PolicyProblem, policy_problems, policy_to_mappings
from provide.intake.models import Investigation
from provide.triage.mapping import policy_from
from provide.triage.models import TriageDecision, TriagePolicy
from provide.triage.policies import can_decide_triage, can_edit_policy
from provide.triage.selectors import (
    ACCEPTED,
    assessment_for,
    investigation_for_decision,
)
from provide.triage.versions import triage_policy_active, triage_policy_ensure_default

__all__ = [
    "TriageError",
    "TriagePolicyInvalid",
    "triage_decision_record",
    "triage_policy_create",
    "triage_policy_ensure_default",
]

REASON_REQUIRED = "Give a reason: this decision differs from the policy's eligibility"
REASON_REQUIRED_ALWAYS = "Give a reason for this decision"
UNKNOWN_DECISION = "Choose a decision"
REASON_MAX_LENGTH = 2000
REASON_TOO_LONG = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"

REASON_ALWAYS_TYPED = (
    TriageDecision.Decision.CONSULTATION,
    TriageDecision.Decision.SUPPORTED_ELSEWHERE,
)
"""Decisions that always need the sergeant's own words (what advice; supported by whom)."""


class TriageError(Exception):
    """A decision or policy that cannot be recorded; ``field`` names the form field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TriagePolicyInvalid(Exception):
    """A policy that fails validation; ``problems`` lists every problem."""

    def __init__(self, problems: list[PolicyProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _overrides(decision: str, eligible: bool) -> bool:
    accepted = decision in ACCEPTED
    return (accepted and not eligible) or (
        decision == TriageDecision.Decision.NOT_ELIGIBLE and eligible
    )


@transaction.atomic
def triage_decision_record(
    *,
    user: User,
    investigation_id: uuid.UUID | str,
    decision: str,
    reason: str = "",
    as_of: dt.datetime | None = None,
) -> TriageDecision:
    """Record the sergeant's decision on a case, scored under the active policy.

    A decision that agrees with the policy (accept an eligible case, or "not eligible" for an
    ineligible one) may leave the reason blank: the policy's reason is recorded. Any
    override, a consultation or "supported elsewhere" needs the sergeant's reason. A new
    decision supersedes the case's earlier ones (they are closed, never edited otherwise).
    Accepted cases open for planning; the rest close.

    Raises PermissionDenied (not a triage sergeant), RecordNotFound (no such case in the
    user's BCU) and TriageError (no decision, or no reason where one is needed).
    """
    if not can_decide_triage(user):
        raise PermissionDenied
    if decision not in TriageDecision.Decision.values:
        raise TriageError(UNKNOWN_DECISION, "decision")
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise TriageError(REASON_TOO_LONG, "reason")
    investigation = investigation_for_decision(user=user, investigation_id=investigation_id)
    Investigation.objects.select_for_update().filter(
        pk=investigation.pk
    ).first()  # one decision at a time
    try:
        case_check_decidable(investigation)
    except CaseTransitionRefused as refused:
        raise TriageError(f"This case cannot be decided again: {refused}", "decision") from None
    now = timezone.now()
    as_of = as_of or now
    policy_row = triage_policy_active()
    assessment = assessment_for(investigation, policy_from(policy_row), as_of)
    eligible = assessment.eligibility.eligible
    overridden = _overrides(decision, eligible)
    if not reason:
        if decision in REASON_ALWAYS_TYPED:
            raise TriageError(REASON_REQUIRED_ALWAYS, "reason")
        if overridden:
            raise TriageError(REASON_REQUIRED, "reason")
        reason = f"Policy v{policy_row.version}: {assessment.eligibility.reason}"
    try:
        case_decided(
            user=user,
            investigation=investigation,
            decision=decision,
            reason=reason,
            rules=attempt_rules_from(policy_row.thresholds),
            at=now,
        )
    except CaseTransitionRefused as refused:
        raise TriageError(f"This case cannot be decided again: {refused}", "decision") from None
    superseded = list(
        TriageDecision.objects.filter(investigation=investigation)
        .exclude(status=TriageDecision.Status.CLOSED)
        .values_list("public_id", flat=True)
    )
    TriageDecision.objects.filter(public_id__in=superseded).update(
        status=TriageDecision.Status.CLOSED, updated_at=now
    )
    record = TriageDecision.objects.create(
        investigation=investigation,
        policy=policy_row,
        decision=decision,
        reasons=reason,
        priority_score=assessment.score.total,
        score_explanation=assessment.score.explanation(),
        eligibility_overridden=overridden,
        eligible_by_policy=eligible,
        eligibility_reason=assessment.eligibility.reason,
        due_by=assessment.clock.due_by,
        status=TriageDecision.Status.OPEN if decision in ACCEPTED else TriageDecision.Status.CLOSED,
        decided_by=user,
        decided_at=now,
        scored_at=as_of,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="triage.decision_recorded",
        subject=investigation,
        reason=reason,
        flagged=False,
        changes={
            "decision": decision,
            "policy_version": policy_row.version,
            "priority_score": assessment.score.total,
            "eligible_by_policy": eligible,
            "eligibility_overridden": overridden,
            "decision_id": str(record.public_id),
            "superseded": [str(s) for s in superseded],
        },
    )
    return record


@transaction.atomic
def triage_policy_create(*, user: User, policy: Policy, notes: str = "") -> TriagePolicy:
    """Save ``policy`` as the next version and make it the active one.

    Versions are never edited: the previous one stays as it was (only its "active" flag goes
    off) and every earlier decision keeps pointing at the version that scored it.

    Raises PermissionDenied (not an administrator) and TriagePolicyInvalid.
    """
    if not can_edit_policy(user):
        raise PermissionDenied
    problems = policy_problems(policy)
    if problems:
        raise TriagePolicyInvalid(problems)
    triage_policy_ensure_default()
    list(TriagePolicy.objects.select_for_update().filter(is_active=True))
    previous = triage_policy_active()
    version = (TriagePolicy.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    stored = policy_to_mappings(replace(policy, version=version))
    TriagePolicy.objects.filter(is_active=True).update(is_active=False)
    row = TriagePolicy.objects.create(
        version=version,
        name=policy.name.strip() or f"Version {version}",
        look_back_hours=policy.look_back_hours,
        weights=stored["weights"],
        eligibility=stored["eligibility"],
        thresholds=stored["thresholds"],
        notes=notes.strip(),
        is_active=True,
        created_by=user,
    )
    before = policy_to_mappings(policy_from(previous))
    flat_before = {f"{group}.{k}": v for group, values in before.items() for k, v in values.items()}
    flat_after = {f"{group}.{k}": v for group, values in stored.items() for k, v in values.items()}
    flat_before["look_back_hours"], flat_after["look_back_hours"] = (
        previous.look_back_hours,
        row.look_back_hours,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="triage.policy_created",
        subject=row,
        reason=row.notes,
        changes={"version": [previous.version, version], **changed_fields(flat_before, flat_after)},
    )
    return row
