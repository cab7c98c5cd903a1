"""From a visit to the safeguarding team: the referrals ticked on the visit, and one hand-over.

When a visit is finished with "referrals made" ticked, each ticked service gets a draft
:class:`Referral` (linked to the visit, the victim and the investigation) and the BCU's
safeguarding team gets ONE :class:`HandoverTask` listing them. Saving the visit again
reconciles, it never duplicates:

* a newly ticked service gets its missing referral, added to the same task (a task already
  done is reopened: there is new work);
* a service no longer ticked whose referral is still a **draft** is withdrawn (the draft is
  deleted, audited): nothing was shared yet, and the visit's ticks own the drafts they made;
* a service no longer ticked whose referral was **sent** (or accepted, rejected, done) is
  never touched: the referral and its place on the task stay, and the visit page warns
  (:mod:`provide.safeguarding.follow_ups`) so the user asks the safeguarding team instead.

Idempotent: at most one referral per (visit, service) and one such task per visit (database
constraints); the visit row is locked by the visit's save, which runs this in its transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.core.safeguarding import lifecycle
from provide.safeguarding import policies
from provide.safeguarding.models import HandoverTask, Referral, ReferralService
from provide.safeguarding.services import SafeguardingNotAllowed, handover_task_create

NOT_ALLOWED_TICK = "Your role cannot make referrals, so it cannot tick referrals on a visit."
TASK_TITLE = "Referrals made on the visit of {day}: {targets}"
KEPT_NOTE = "no longer ticked on the visit, but already {status}: kept"
WITHDRAWN_NOTE = "Withdrawn, no longer ticked on the visit: {targets}."
NOTHING_LEFT = (
    "Every referral from this visit was withdrawn: close this task if nothing else is needed."
)
TARGET_LABELS = dict(ReferralService.Target.choices)


@dataclass(frozen=True)
class VisitHandover:
    """What saving the visit did: the task (None when nothing was ever ticked), the referrals
    created now, the targets whose drafts were withdrawn, the sent ones kept."""

    task: HandoverTask | None
    created: list[Referral] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    kept: list[Referral] = field(default_factory=list)


def ticked_targets(visit: Any) -> list[str]:
    """The services ticked on the visit, known ones only, in order, once each."""
    return list(dict.fromkeys(t for t in visit.referrals_made or [] if t in TARGET_LABELS))


@transaction.atomic
def handover_from_visit(*, user: User, visit: Any) -> VisitHandover:
    """Make the referrals ticked on ``visit`` and its one hand-over task, or bring them up to
    date after an edit. See the module docstring for the rules."""
    ticked = ticked_targets(visit)
    task = (
        HandoverTask.objects.select_for_update()
        .filter(visit=visit, source=HandoverTask.Source.VISIT_REFERRALS)
        .first()
    )
    if not ticked and task is None:
        return VisitHandover(task=None)
    if not policies.can_create_referral(user):
        raise SafeguardingNotAllowed(NOT_ALLOWED_TICK)
    existing = {r.target: r for r in Referral.objects.select_for_update().filter(visit=visit)}
    created = [
        _referral_from_visit(user, visit, target) for target in ticked if target not in existing
    ]
    existing.update({r.target: r for r in created})
    listed_before = (
        [TARGET_LABELS[r.target] for r in task.referrals.order_by("created_at", "id")]
        if task
        else []
    )
    withdrawn, kept = _unticked(user, task, ticked)
    listed = [existing[t] for t in ticked] + kept
    if task is None:
        task = _task_create(user, visit, listed)
    else:
        _task_update(
            user, task, visit, listed, withdrawn, listed_before=listed_before, reopen=bool(created)
        )
    return VisitHandover(task=task, created=created, withdrawn=withdrawn, kept=kept)


def _referral_from_visit(user: User, visit: Any, target: str) -> Referral:
    try:
        with transaction.atomic():  # a savepoint: a concurrent tick of the same service wins
            referral = Referral.objects.create(
                victim=visit.victim,
                investigation=visit.investigation,
                visit=visit,
                target=target,
                status=Referral.Status.DRAFT,
                consent=Referral.Consent.NOT_SOUGHT,
                created_by=user,
            )
    except IntegrityError:
        return Referral.objects.get(visit=visit, target=target)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="safeguarding.referral_created",
        subject=referral,
        reason="Ticked as made on the visit",
        changes={"target": [None, target], "visit": [None, str(visit.public_id)]},
    )
    return referral


def _unticked(
    user: User, task: HandoverTask | None, ticked: list[str]
) -> tuple[list[str], list[Referral]]:
    """Withdraw the task's drafts no longer ticked; return their targets and the sent ones kept."""
    if task is None:
        return [], []
    withdrawn, kept = [], []
    for referral in task.referrals.select_for_update().order_by("created_at", "id"):
        if referral.target in ticked:
            continue
        if referral.status == Referral.Status.DRAFT:
            audit_record(
                actor=user,
                action=AuditAction.DELETE,
                event="safeguarding.referral_withdrawn",
                subject=referral,
                reason="No longer ticked on the visit",
                changes={"status": ["draft", None], "target": [referral.target, None]},
            )
            withdrawn.append(referral.target)
            referral.delete()
        else:
            kept.append(referral)
    return withdrawn, kept


def _visit_day(visit: Any) -> dt.date:
    return timezone.localdate(visit.arrived_at or visit.planned_at or timezone.now())


def _team(user: User, visit: Any) -> Any:
    if visit.investigation is not None:
        return visit.investigation.bcu
    return getattr(user, "bcu", None)


def _due_on(visit: Any, referrals: list[Referral]) -> dt.date | None:
    open_ones = [r for r in referrals if r.status in (Referral.Status.DRAFT, Referral.Status.SENT)]
    if not open_ones:
        return None
    return min(lifecycle.due_on_for(r.target, _visit_day(visit)) for r in open_ones)


def _title(visit: Any, referrals: list[Referral]) -> str:
    targets = ", ".join(TARGET_LABELS[r.target] for r in referrals) or "none left"
    return TASK_TITLE.format(day=f"{_visit_day(visit):%d %b %Y}", targets=targets)[:200]


def _details(referrals: list[Referral], ticked: set[str], withdrawn: list[str]) -> str:
    lines = []
    for r in referrals:
        note = (
            ""
            if r.target in ticked
            else f" ({KEPT_NOTE.format(status=r.get_status_display().lower())})"
        )
        lines.append(f"{TARGET_LABELS[r.target]} referral: {r.get_status_display()}{note}")
    if withdrawn:
        lines.append(WITHDRAWN_NOTE.format(targets=", ".join(TARGET_LABELS[t] for t in withdrawn)))
    if not referrals:
        lines.append(NOTHING_LEFT)
    return "\n".join(lines)


def _task_create(user: User, visit: Any, listed: list[Referral]) -> HandoverTask | None:
    team = _team(user, visit)
    if team is None:
        return None  # no BCU to hand over to; the referrals still list on the visit page
    task = handover_task_create(
        user=user,
        victim=visit.victim,
        team=team,
        title=_title(visit, listed),
        details=_details(listed, {r.target for r in listed}, []),
        due_on=_due_on(visit, listed),
        visit=visit,
        investigation=visit.investigation,
        source=HandoverTask.Source.VISIT_REFERRALS,
    )
    task.referrals.set(listed)
    return task


def _task_update(
    user: User,
    task: HandoverTask,
    visit: Any,
    listed: list[Referral],
    withdrawn: list[str],
    *,
    listed_before: list[str],
    reopen: bool,
) -> None:
    task.referrals.set(listed)
    after = {
        "title": _title(visit, listed),
        "details": _details(listed, set(ticked_targets(visit)), withdrawn),
        "due_on": _due_on(visit, listed),
        "status": task.status,
    }
    if reopen and task.status == HandoverTask.Status.DONE:
        after["status"] = HandoverTask.Status.OPEN  # new work arrived on a finished task
    before = {name: getattr(task, name) for name in after}
    listed_after = [TARGET_LABELS[r.target] for r in listed]
    if before == after and sorted(listed_before) == sorted(listed_after):
        return
    for name, value in after.items():
        setattr(task, name, value)
    if task.status != HandoverTask.Status.DONE:
        task.done_at = None
    task.save(update_fields=[*after, "done_at", "updated_at"])
    changes = {
        name: [str(before[name]), str(after[name])] for name in after if before[name] != after[name]
    }
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="safeguarding.handover_updated",
        subject=task,
        changes={**changes, "referrals": [listed_before, listed_after]},
    )
