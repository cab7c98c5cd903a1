"""Writes for referrals, the daily MARAC, protective measures and hand-overs.

Every service is keyword-only, atomic, permission-checked and audited. Lifecycle rules come
from :mod:`provide.core.safeguarding`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.cases.services import case_handed_over
from provide.core.safeguarding import lifecycle
from provide.core.safeguarding.marac import next_meeting_on
from provide.core.safeguarding.measures import Kind, measure_ends_at
from provide.safeguarding import policies
from provide.safeguarding.models import (
    HandoverTask,
    MaracAction,
    MaracCase,
    ProtectiveMeasure,
    Referral,
)
from provide.safeguarding.selectors import marac_decision_for

NOT_ALLOWED = "Your role cannot do this."
NEEDS_MARAC_REASONS = "Set out why this case should go to MARAC"
NO_CRITERION_MET = "This victim meets none of the four MARAC criteria: refer on professional judgement with reasons"
ALREADY_LISTED = "This victim is already on that meeting's agenda"
ACTION_ALREADY_DONE = "This action is already done"
NEEDS_ACTION = "Describe the action"
NEEDS_AGENCY = "Enter the agency"
ALREADY_REFERRED_FROM_VISIT = (
    "A referral to this service was already made from this visit: open it from the visit page"
)


class SafeguardingNotAllowed(PermissionError):
    pass


class SafeguardingError(ValueError):
    """A rule refused the change; the message says which (and is shown to the user)."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise SafeguardingNotAllowed(NOT_ALLOWED)


def _locked(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


# --- referrals -------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    user: User,
    victim: Any,
    target: str,
    consent: str,
    victim_aware: bool | None = None,
    lawful_basis: str = "",
    reasons: str = "",
    victim_wants: str = "",
    victim_fears: str = "",
    idva_shared_summary: str = "",
    investigation: Any = None,
    visit: Any = None,
    service: Any = None,
) -> Referral:
    """Start a draft referral. Consent and the lawful basis are checked now and again on sending."""
    _require(policies.can_create_referral(user))
    if idva_shared_summary.strip() and not policies.can_share_idva_summary(user):
        raise SafeguardingNotAllowed("Only the IDVA can share health-side information.")
    if target == "marac" and not reasons.strip():
        raise SafeguardingError(NEEDS_MARAC_REASONS)
    problem = lifecycle.sharing_problem(lifecycle.Consent(consent), lawful_basis)
    if problem:
        raise SafeguardingError(problem)
    if visit is not None and Referral.objects.filter(visit=visit, target=target).exists():
        raise SafeguardingError(ALREADY_REFERRED_FROM_VISIT)
    referral = Referral.objects.create(
        victim=victim,
        target=target,
        consent=consent,
        victim_aware=victim_aware,
        lawful_basis=lawful_basis.strip(),
        reasons=reasons.strip(),
        victim_wants=victim_wants.strip(),
        victim_fears=victim_fears.strip(),
        idva_shared_summary=idva_shared_summary.strip(),
        investigation=investigation or (visit.investigation if visit else None),
        visit=visit,
        service=service,
        created_by=user,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.referral_created",
        subject=referral,
        changes={"target": [None, target], "consent": [None, consent]},
    )
    return referral


DRAFT_FIELDS = (
    "consent",
    "victim_aware",
    "lawful_basis",
    "reasons",
    "victim_wants",
    "victim_fears",
    "idva_shared_summary",
)
ONLY_DRAFTS_CHANGE = "Only a draft referral can be changed"


@transaction.atomic
def referral_draft_update(*, user: User, referral: Referral, **values: Any) -> Referral:
    """Complete a draft (one ticked on a visit starts with consent "not sought" and no reasons).

    ``values`` are the fields of :data:`DRAFT_FIELDS`; the rules of :func:`referral_create`
    apply again. Only the referrer or the safeguarding team may change it.
    """
    _require(policies.can_send_referral(user, referral))
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"not draft fields: {sorted(unknown)}")
    referral = _locked(Referral, referral.pk)
    if referral.status != Referral.Status.DRAFT:
        raise SafeguardingError(ONLY_DRAFTS_CHANGE)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if cleaned.get("idva_shared_summary") and not policies.can_share_idva_summary(user):
        raise SafeguardingNotAllowed("Only the IDVA can share health-side information.")
    after = {name: cleaned.get(name, getattr(referral, name)) for name in DRAFT_FIELDS}
    if referral.target == "marac" and not after["reasons"]:
        raise SafeguardingError(NEEDS_MARAC_REASONS)
    problem = lifecycle.sharing_problem(lifecycle.Consent(after["consent"]), after["lawful_basis"])
    if problem:
        raise SafeguardingError(problem)
    before = {name: getattr(referral, name) for name in DRAFT_FIELDS}
    for name, value in after.items():
        setattr(referral, name, value)
    referral.save(update_fields=[*DRAFT_FIELDS, "updated_at"])
    changes = changed_fields(before, after)
    if "idva_shared_summary" in changes:  # the audit log says it changed, never what it says
        changes["idva_shared_summary"] = [
            len(before["idva_shared_summary"]),
            len(after["idva_shared_summary"]),
        ]
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.referral_updated",
        subject=referral,
        changes=changes,
    )
    return referral


def _move(user: User, referral: Referral, new: Referral.Status, *, reason: str = "") -> Referral:
    current = lifecycle.Status(referral.status)
    try:
        lifecycle.check_transition(current, lifecycle.Status(new), reason=reason)
    except lifecycle.TransitionNotAllowed as refused:
        raise SafeguardingError(str(refused)) from None
    referral.status = new
    return referral


@transaction.atomic
def referral_send(*, user: User, referral: Referral, as_of: dt.datetime | None = None) -> Referral:
    """Send a draft: sets the due date. Sharing without consent is audited as flagged."""
    _require(policies.can_send_referral(user, referral))
    as_of = as_of or timezone.now()
    referral = _locked(Referral, referral.pk)
    if referral.target == "marac" and not referral.reasons.strip():
        raise SafeguardingError(NEEDS_MARAC_REASONS)
    problem = lifecycle.sharing_problem(lifecycle.Consent(referral.consent), referral.lawful_basis)
    if problem:
        raise SafeguardingError(problem)
    _move(user, referral, Referral.Status.SENT)
    referral.sent_at = as_of
    referral.due_on = lifecycle.due_on_for(referral.target, timezone.localdate(as_of))
    referral.save(update_fields=["status", "sent_at", "due_on", "updated_at"])
    without_consent = lifecycle.shared_without_consent(lifecycle.Consent(referral.consent))
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.referral_shared_without_consent"
        if without_consent
        else "safeguarding.referral_sent",
        subject=referral,
        reason=referral.lawful_basis if without_consent else "",
        changes={"status": ["draft", "sent"], "consent": [None, referral.consent]},
        flagged=without_consent,
    )
    return referral


@transaction.atomic
def referral_accept(
    *, user: User, referral: Referral, as_of: dt.datetime | None = None
) -> Referral:
    """Accept a sent referral. An accepted MARAC referral is listed on the next meeting."""
    _require(policies.can_decide_referral(user))
    as_of = as_of or timezone.now()
    referral = _locked(Referral, referral.pk)
    _move(user, referral, Referral.Status.ACCEPTED)
    referral.accepted_at = as_of
    referral.save(update_fields=["status", "accepted_at", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.referral_accepted",
        subject=referral,
        changes={"status": ["sent", "accepted"]},
    )
    if referral.target == "marac":
        meeting_on = next_meeting_on(timezone.localdate(as_of))
        if not MaracCase.objects.filter(victim=referral.victim, meeting_on=meeting_on).exists():
            marac_case_list(
                user=user,
                victim=referral.victim,
                meeting_on=meeting_on,
                referral=referral,
                as_of=as_of,
            )
    return referral


@transaction.atomic
def referral_reject(
    *, user: User, referral: Referral, reason: str, as_of: dt.datetime | None = None
) -> Referral:
    _require(policies.can_decide_referral(user))
    referral = _locked(Referral, referral.pk)
    _move(user, referral, Referral.Status.REJECTED, reason=reason)
    referral.rejection_reason = reason.strip()
    referral.closed_at = as_of or timezone.now()
    referral.save(update_fields=["status", "rejection_reason", "closed_at", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.referral_rejected",
        subject=referral,
        reason=referral.rejection_reason,
        changes={"status": ["sent", "rejected"]},
    )
    return referral


@transaction.atomic
def referral_complete(
    *, user: User, referral: Referral, outcome: str = "", as_of: dt.datetime | None = None
) -> Referral:
    _require(policies.can_decide_referral(user))
    referral = _locked(Referral, referral.pk)
    _move(user, referral, Referral.Status.DONE)
    referral.outcome = outcome.strip()
    referral.closed_at = as_of or timezone.now()
    referral.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.referral_done",
        subject=referral,
        changes={"status": ["accepted", "done"]},
    )
    return referral


# --- the daily MARAC -------------------------------------------------------------------


@transaction.atomic
def marac_case_list(
    *,
    user: User,
    victim: Any,
    meeting_on: dt.date,
    referral: Referral | None = None,
    as_of: dt.datetime | None = None,
) -> MaracCase:
    """Put a victim on a meeting's agenda with every criterion met and its evidence.

    A referral's reasons count as professional judgement. Repeats (within 12 months of the
    last MARAC) are flagged automatically.
    """
    _require(policies.can_run_marac(user))
    as_of = as_of or timezone.now()
    if MaracCase.objects.filter(victim=victim, meeting_on=meeting_on).exists():
        raise SafeguardingError(ALREADY_LISTED)
    reasons = (referral.reasons,) if referral is not None and referral.reasons else ()
    decision = marac_decision_for(
        victim=victim, meeting_on=meeting_on, as_of=as_of, extra_reasons=reasons
    )
    if decision.main is None:
        raise SafeguardingError(NO_CRITERION_MET)
    case = MaracCase.objects.create(
        victim=victim,
        criterion=decision.main.value,
        evidence=decision.evidence_text,
        meeting_on=meeting_on,
        referral=referral,
        is_repeat=decision.is_repeat,
        listed_by=user,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.marac_case_listed",
        subject=case,
        changes={"meeting_on": [None, str(meeting_on)], "criterion": [None, case.criterion]},
    )
    return case


@transaction.atomic
def marac_minutes_save(*, user: User, case: MaracCase, minutes: str) -> MaracCase:
    _require(policies.can_run_marac(user))
    case = _locked(MaracCase, case.pk)
    before = case.minutes
    case.minutes = minutes.strip()
    case.save(update_fields=["minutes", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.marac_minutes_saved",
        subject=case,
        changes={"minutes": [len(before), len(case.minutes)]},
    )
    return case


@transaction.atomic
def marac_action_add(
    *,
    user: User,
    case: MaracCase,
    agency: str,
    action: str,
    owner: str = "",
    due_on: dt.date | None = None,
) -> MaracAction:
    _require(policies.can_manage_marac_actions(user))
    if not agency.strip():
        raise SafeguardingError(NEEDS_AGENCY)
    if not action.strip():
        raise SafeguardingError(NEEDS_ACTION)
    created = MaracAction.objects.create(
        case=case, agency=agency.strip(), action=action.strip(), owner=owner.strip(), due_on=due_on
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.marac_action_added",
        subject=case,
        changes={"action": [None, str(created.public_id)], "agency": [None, created.agency]},
    )
    return created


@transaction.atomic
def marac_action_done(
    *, user: User, action: MaracAction, as_of: dt.datetime | None = None
) -> MaracAction:
    _require(policies.can_manage_marac_actions(user))
    action = _locked(MaracAction, action.pk)
    if action.done_at is not None:
        raise SafeguardingError(ACTION_ALREADY_DONE)
    action.done_at = as_of or timezone.now()
    action.done_by = user
    action.save(update_fields=["done_at", "done_by", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.marac_action_done",
        subject=action.case,
        changes={"action": [str(action.public_id), "done"]},
    )
    return action


# --- protective measures ---------------------------------------------------------------


@transaction.atomic
def measure_record(
    *,
    user: User,
    victim: Any,
    kind: str,
    issued_at: dt.datetime,
    dvpo_days: int | None = None,
    investigation: Any = None,
    follows: ProtectiveMeasure | None = None,
) -> ProtectiveMeasure:
    """Record a DVPN, DVPO or DVDS request; its expiry / deadline comes from the core rules.

    A DVPO that follows a DVPN ends the DVPN (the order replaces the notice).
    """
    _require(policies.can_record_measure(user))
    try:
        expires_at = measure_ends_at(Kind(kind), issued_at, dvpo_days=dvpo_days)
    except ValueError as wrong:
        raise SafeguardingError(str(wrong)) from None
    measure = ProtectiveMeasure.objects.create(
        kind=kind,
        victim=victim,
        investigation=investigation,
        follows=follows,
        issued_at=issued_at,
        expires_at=expires_at,
        created_by=user,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.measure_recorded",
        subject=measure,
        changes={"kind": [None, kind], "expires_at": [None, expires_at.isoformat()]},
    )
    if follows is not None and follows.status == ProtectiveMeasure.Status.ACTIVE:
        measure_end(
            user=user,
            measure=follows,
            outcome=f"Followed by {measure.get_kind_display()}",
            as_of=issued_at,
        )
    return measure


@transaction.atomic
def measure_end(
    *, user: User, measure: ProtectiveMeasure, outcome: str = "", as_of: dt.datetime | None = None
) -> ProtectiveMeasure:
    _require(policies.can_change_measure(user))
    measure = _locked(ProtectiveMeasure, measure.pk)
    if measure.status == ProtectiveMeasure.Status.ENDED:
        raise SafeguardingError("This measure has already ended")
    measure.status = ProtectiveMeasure.Status.ENDED
    measure.ended_at = as_of or timezone.now()
    measure.outcome = outcome.strip()
    measure.save(update_fields=["status", "ended_at", "outcome", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.measure_ended",
        subject=measure,
        changes={"status": ["active", "ended"]},
    )
    return measure


# --- hand-over -------------------------------------------------------------------------


@transaction.atomic
def handover_create(
    *,
    user: User,
    victim: Any,
    team: Any,
    title: str,
    details: str = "",
    due_on: dt.date | None = None,
    visit: Any = None,
    investigation: Any = None,
) -> HandoverTask:
    """Hand a piece of work to ``team``'s safeguarding team, by hand."""
    _require(policies.can_hand_over(user))
    if not title.strip():
        raise SafeguardingError("Say what the safeguarding team needs to do")
    return handover_task_create(
        user=user,
        victim=victim,
        team=team,
        title=title,
        details=details,
        due_on=due_on,
        visit=visit,
        investigation=investigation,
    )


def handover_task_create(
    *,
    user: User,
    victim: Any,
    team: Any,
    title: str,
    details: str = "",
    due_on: dt.date | None = None,
    visit: Any = None,
    investigation: Any = None,
    source: str = HandoverTask.Source.BY_HAND,
) -> HandoverTask:
    """The one place a hand-over task is created (by hand or from a visit's referrals): the
    caller has checked the permission. The victim's case moves to "handed over"."""
    task = HandoverTask.objects.create(
        team=team,
        victim=victim,
        title=title.strip()[:200],
        details=details.strip(),
        due_on=due_on,
        visit=visit,
        investigation=investigation or (visit.investigation if visit else None),
        created_by=user,
        source=source,
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.handover_created",
        subject=task,
        changes={"team": [None, str(team)], "source": [None, source]},
    )
    if task.investigation_id is not None:
        case_handed_over(
            user=user,
            investigation_id=task.investigation_id,
            at=task.created_at,
            reason=f"Hand-over task: {task.title}",
        )
    return task


@transaction.atomic
def handover_set_status(
    *, user: User, task: HandoverTask, status: str, as_of: dt.datetime | None = None
) -> HandoverTask:
    _require(policies.can_work_handover(user))
    if status not in HandoverTask.Status.values:
        raise SafeguardingError("Choose a status")
    task = _locked(HandoverTask, task.pk)
    before = task.status
    task.status = status
    task.done_at = (as_of or timezone.now()) if status == HandoverTask.Status.DONE else None
    task.save(update_fields=["status", "done_at", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.handover_status_changed",
        subject=task,
        changes={"status": [before, status]},
    )
    return task
