"""Queues after the decision: stale cases and the shift hand-over.

"Queues that never lose a case": an accepted case stays on the stale lists while its case
awaits a visit (accepted, planned, or attempted without reaching the victim), as the case
lifecycle (:mod:`provide.cases.selectors`) says; it leaves when the victim is seen, the
sergeant decides otherwise, or the case is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.cases.models import Case
from provide.cases.selectors import cases_awaiting_visit, cases_escalated
from provide.core.triage import ClockState, StaleBand, stale_band
from provide.shared.access import bcu_scope
from provide.triage.models import TriageDecision
from provide.triage.policies import can_view_stale_lists
from provide.triage.selectors import TriageBoard

HANDOVER_HOURS = 12
"""The hand-over covers decisions made in the last shift-and-a-half (12 hours)."""


@dataclass(frozen=True)
class StaleCase:
    case: Case
    band: StaleBand
    hours_waiting: float


@dataclass(frozen=True)
class StaleLists:
    """Accepted cases not visited: after 72 h (worst first) and after 24 h."""

    as_of: dt.datetime
    over_72_hours: list[StaleCase]
    over_24_hours: list[StaleCase]

    @property
    def total(self) -> int:
        return len(self.over_72_hours) + len(self.over_24_hours)


def stale_cases(bcu: Area | None, as_of: dt.datetime) -> StaleLists:
    """Stale accepted cases in ``bcu`` (every BCU when ``None``). One query."""
    cutoff = as_of - dt.timedelta(hours=StaleBand.OVER_24_HOURS.value)
    over_72: list[StaleCase] = []
    over_24: list[StaleCase] = []
    for case in cases_awaiting_visit(bcu).filter(accepted_at__lte=cutoff).order_by("accepted_at"):
        accepted_at = case.accepted_at
        band = stale_band(accepted_at, as_of) if accepted_at is not None else None
        if accepted_at is None or band is None:
            continue
        item = StaleCase(case, band, (as_of - accepted_at).total_seconds() / 3600)
        (over_72 if band is StaleBand.OVER_72_HOURS else over_24).append(item)
    return StaleLists(as_of=as_of, over_72_hours=over_72, over_24_hours=over_24)


def stale_cases_for(*, user: User, as_of: dt.datetime | None = None) -> StaleLists:
    """The stale lists for the sergeant (their BCU) or the IDVA manager (force-wide)."""
    if not can_view_stale_lists(user):
        raise PermissionDenied
    return stale_cases(bcu_scope(user), as_of or timezone.now())


@dataclass(frozen=True)
class Handover:
    """What the next team needs: the board's loose ends, the cases awaiting a visit, custody."""

    board: TriageBoard
    awaiting_visit: list[Case]
    escalated: list[Case]
    stale: StaleLists
    recent_decisions: dict[str, int]

    @property
    def undecided_urgent(self) -> list[Any]:
        """Undecided eligible cases due soon or breached, by rank."""
        return [
            row
            for row in self.board.rows
            if not row.decided
            and row.assessment.eligibility.eligible
            and row.assessment.clock.state in (ClockState.DUE_SOON, ClockState.BREACHED)
        ]

    @property
    def undecided_eligible(self) -> list[Any]:
        return [
            row
            for row in self.board.rows
            if not row.decided and row.assessment.eligibility.eligible
        ]

    @property
    def custody_closing(self) -> list[Any]:
        """Cases on the board whose suspect is in custody, soonest release first."""
        rows = [row for row in self.board.rows if row.assessment.case.custody is not None]
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return sorted(rows, key=lambda row: row.assessment.case.custody.expected_release_at or far)


def handover_for(*, user: User, board: TriageBoard) -> Handover:
    """The shift hand-over summary for the board's BCU at the board's moment."""
    if not can_view_stale_lists(user):
        raise PermissionDenied
    as_of = board.window.as_of
    since = as_of - dt.timedelta(hours=HANDOVER_HOURS)
    recent: dict[str, int] = {}
    for decision in TriageDecision.objects.filter(
        investigation__bcu=board.bcu, decided_at__gt=since, decided_at__lte=as_of
    ).values_list("decision", flat=True):
        label = TriageDecision.Decision(decision).label
        recent[label] = recent.get(label, 0) + 1
    awaiting = list(
        cases_awaiting_visit(board.bcu)
        .filter(accepted_at__lte=as_of)
        .order_by("clock_due_at", "accepted_at")
    )
    return Handover(
        board=board,
        awaiting_visit=awaiting,
        escalated=list(cases_escalated(board.bcu)),
        stale=stale_cases(board.bcu, as_of),
        recent_decisions=recent,
    )
