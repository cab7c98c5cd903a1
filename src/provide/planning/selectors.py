"""Reads of teams, shifts, plans and the cases waiting to be planned."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from provide.accounts.models import User
from provide.cases.selectors import cases_awaiting_visit
from provide.intake.models import CustodyEpisode
from provide.planning.mapping import Candidate
from provide.planning.models import Plan, PlannedStop, Shift
from provide.shared.access import RecordNotFound, bcu_scope
from provide.triage.models import TriageDecision

JOINT_VISIT_DECISIONS = (
    TriageDecision.Decision.JOINT_VISIT_POST,
    TriageDecision.Decision.JOINT_VISIT_LIVE,
)


def shift_list_for(*, user: User, on_date: dt.date) -> QuerySet[Shift]:
    if not user.has_perm("planning.view_shift"):
        return Shift.objects.none()
    shifts = Shift.objects.select_related("team", "team__base", "team__bcu").filter(on_date=on_date)
    bcu = bcu_scope(user)
    if bcu is not None:
        shifts = shifts.filter(team__bcu=bcu)
    return shifts.order_by("starts_at", "team__name")


def shift_get_for(*, user: User, shift_id: uuid.UUID | str) -> Shift:
    if not user.has_perm("planning.view_shift"):
        raise RecordNotFound
    shifts = Shift.objects.select_related("team", "team__base", "team__bcu")
    bcu = bcu_scope(user)
    if bcu is not None:
        shifts = shifts.filter(team__bcu=bcu)
    try:
        return shifts.get(public_id=shift_id)
    except (Shift.DoesNotExist, ValidationError, ValueError):
        raise RecordNotFound from None


def current_plan(shift: Shift) -> Plan | None:
    stops = PlannedStop.objects.select_related(
        "investigation",
        "investigation__victim",
        "investigation__district",
        "investigation__case",
        "triage_decision",
    ).order_by("sequence")
    return (
        shift.plans.filter(status=Plan.Status.CURRENT)
        .prefetch_related(Prefetch("stops", queryset=stops), "left_out__investigation__victim")
        .first()
    )


def plan_versions(shift: Shift) -> QuerySet[Plan]:
    return shift.plans.order_by("-version")


def planning_candidates(
    *, bcu: Any, as_of: dt.datetime, until: dt.datetime | None = None, include_live: bool = True
) -> list[Candidate]:
    """Cases in ``bcu`` awaiting a visit (the case lifecycle decides which), with their accepted
    decision and the suspect's custody if in custody at ``as_of``.

    A case whose last attempt failed is offered again once its next attempt is due (by
    ``until``, the end of the shifts being planned); its visit may not start before then.
    """
    cases = list(cases_awaiting_visit(bcu, attempt_due_by=until or as_of))
    kinds = JOINT_VISIT_DECISIONS if include_live else (TriageDecision.Decision.JOINT_VISIT_POST,)
    decisions = _accepted_decisions([case.investigation_id for case in cases], kinds)
    suspect_ids = {
        d.investigation.suspect_id for d in decisions.values() if d.investigation.suspect_id
    }
    custody: dict[int | None, CustodyEpisode] = {
        episode.suspect_id: episode
        for episode in CustodyEpisode.objects.filter(
            suspect_id__in=suspect_ids,
            status=CustodyEpisode.Status.IN_CUSTODY,
            arrested_at__lte=as_of,
        ).filter(Q(expected_release_at__isnull=True) | Q(expected_release_at__gt=as_of))
    }
    candidates = []
    for case in cases:
        decision = decisions.get(case.investigation_id)
        if decision is None:
            continue  # awaiting a visit without an accepted decision: on the board for the sergeant
        retry = (
            case.next_attempt_due_at
            if case.state == "attempted" and case.next_attempt_due_at
            else None
        )
        candidates.append(
            Candidate(
                decision,
                custody.get(decision.investigation.suspect_id),
                not_before=retry if retry and retry > as_of else None,
            )
        )
    candidates.sort(key=lambda c: (-c.decision.priority_score, c.decision.decided_at))
    return candidates


def _accepted_decisions(
    investigation_ids: list[int], kinds: tuple[str, ...]
) -> dict[int, TriageDecision]:
    """Each investigation's latest decision, when it is an accepted one of ``kinds``."""
    latest: dict[int, TriageDecision] = {}
    for decision in (
        TriageDecision.objects.select_related("investigation", "investigation__victim")
        .filter(investigation_id__in=investigation_ids)
        .order_by("investigation_id", "-decided_at", "-id")
    ):
        latest.setdefault(decision.investigation_id, decision)
    return {pk: d for pk, d in latest.items() if d.decision in kinds}


def live_incidents_awaiting(bcu: Any) -> list[TriageDecision]:
    """Live incidents accepted for the joint team whose victim still awaits a visit, newest first."""
    investigation_ids = list(cases_awaiting_visit(bcu).values_list("investigation_id", flat=True))
    live = _accepted_decisions(investigation_ids, (TriageDecision.Decision.JOINT_VISIT_LIVE,))
    return sorted(live.values(), key=lambda d: d.decided_at, reverse=True)
