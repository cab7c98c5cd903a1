"""Reads of teams, shifts, plans and the cases waiting to be planned."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet

from provide.accounts.policies import bcu_scope
from provide.intake.models import CustodyEpisode
from provide.people.selectors import RecordNotFound
from provide.planning.mapping import Candidate
from provide.planning.models import Plan, PlannedStop, Shift
from provide.triage.models import TriageDecision

JOINT_VISIT_DECISIONS = (TriageDecision.Decision.JOINT_VISIT_POST, TriageDecision.Decision.JOINT_VISIT_LIVE)


def shift_list_for(*, user: Any, on_date: dt.date) -> QuerySet[Shift]:
    if not user.has_perm("planning.view_shift"):
        return Shift.objects.none()
    shifts = Shift.objects.select_related("team", "team__base", "team__bcu").filter(on_date=on_date)
    bcu = bcu_scope(user)
    if bcu is not None:
        shifts = shifts.filter(team__bcu=bcu)
    return shifts.order_by("starts_at", "team__name")


def shift_get_for(*, user: Any, shift_id: uuid.UUID | str) -> Shift:
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
        "investigation", "investigation__victim", "investigation__district", "triage_decision"
    ).order_by("sequence")
    return (
        shift.plans.filter(status=Plan.Status.CURRENT)
        .prefetch_related(Prefetch("stops", queryset=stops),
                          "left_out__investigation__victim")
        .first()
    )


def plan_versions(shift: Shift) -> QuerySet[Plan]:
    return shift.plans.order_by("-version")


def planning_candidates(*, bcu: Any, as_of: dt.datetime, include_live: bool = True) -> list[Candidate]:
    """Accepted cases in ``bcu`` not yet visited, with the suspect's custody if in custody now."""
    kinds = JOINT_VISIT_DECISIONS if include_live else (TriageDecision.Decision.JOINT_VISIT_POST,)
    decisions = list(
        TriageDecision.objects.select_related("investigation", "investigation__victim")
        .filter(decision__in=kinds, investigation__bcu=bcu,
                status__in=[TriageDecision.Status.OPEN, TriageDecision.Status.PLANNED])
        .exclude(investigation__visits__arrived_at__isnull=False)
        .order_by("-priority_score", "decided_at")
    )
    suspect_ids = {d.investigation.suspect_id for d in decisions if d.investigation.suspect_id}
    custody = {
        episode.suspect_id: episode
        for episode in CustodyEpisode.objects.filter(
            suspect_id__in=suspect_ids, status=CustodyEpisode.Status.IN_CUSTODY, arrested_at__lte=as_of
        ).filter(Q(expected_release_at__isnull=True) | Q(expected_release_at__gt=as_of))
    }
    return [Candidate(d, custody.get(d.investigation.suspect_id)) for d in decisions]
