"""Reads for triage: the ranked board in a fixed number of queries, the planner's accepted
cases, and the policy versions.

The board for one BCU-day costs the same queries however much history the database holds:
the policy, the investigations in the window (latest risk grade as a subquery), the
victims' history (two aggregates), the suspects' custody, and the latest decisions — see
``tests/triage/test_selectors.py`` which pins the count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_records_read
from provide.cases.models import Case
from provide.cases.selectors import cases_by_investigation, cases_untriaged_before, suspect_history
from provide.cases.selectors import victim_history as case_victim_history
from provide.core.triage import (
    BoardWindow,
    CaseAssessment,
    CaseFacts,
    ClockState,
    Policy,
    RankChange,
    VictimHistory,
    board_window,
    clock_stopped,
    compare_rankings,
    rank_cases,
)
from provide.intake.models import Investigation, RiskAssessment
from provide.intake.selectors import custody_windows
from provide.shared.access import RecordNotFound, bcu_scope
from provide.shared.dates import day_in_range
from provide.triage.mapping import case_facts_from, policy_from
from provide.triage.models import TriageDecision, TriagePolicy
from provide.triage.policies import can_edit_policy, can_view_board, can_view_policy
from provide.triage.versions import triage_policy_active

HISTORY_DAYS = 365
"""Repeat victimisation and MARAC history look back 12 months (DOMAIN §10.3)."""

ACCEPTED = (TriageDecision.Decision.JOINT_VISIT_LIVE, TriageDecision.Decision.JOINT_VISIT_POST)
"""Decisions that send the case to the joint team (and so to planning)."""


class BoardUnavailable(Exception):
    """The board cannot be built as asked (an unknown BCU, a future date). ``field`` is
    ``"date"`` when the date is at fault."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- policy -----------------------------------------------------------------------------


def triage_policy_list_for(*, user: User) -> QuerySet[TriagePolicy]:
    if not can_view_policy(user):
        raise PermissionDenied
    return TriagePolicy.objects.select_related("created_by").order_by("-version")


# --- the facts behind each case (kept behind one function each, so they can be swapped) ---


def victim_history(person_ids: Iterable[int], as_of: dt.datetime) -> dict[int, VictimHistory]:
    """Each person's DA history in the 12 months to ``as_of``, as triage scores it (events as
    victim, this one included, and the last MARAC meeting), read from the one owner:
    :func:`provide.cases.selectors.victim_history`."""
    records = case_victim_history(person_ids, as_of, days=HISTORY_DAYS)
    return {
        pid: VictimHistory(
            da_events_12_months=max(1, record.da_events), last_marac_on=record.last_marac_on
        )
        for pid, record in records.items()
    }


def _latest_grade() -> Subquery:
    return Subquery(
        RiskAssessment.objects.filter(investigation=OuterRef("pk"))
        .order_by("-assessed_at", "-id")
        .values("grade")[:1]
    )


def _latest_decisions(investigation_ids: Sequence[int]) -> dict[int, TriageDecision]:
    decisions: dict[int, TriageDecision] = {}
    rows = (
        TriageDecision.objects.filter(investigation_id__in=investigation_ids)
        .select_related("policy", "decided_by")
        .order_by("investigation_id", "-decided_at", "-id")
    )
    for decision in rows:
        decisions.setdefault(decision.investigation_id, decision)
    return decisions


def facts_for(investigations: Sequence[Investigation], as_of: dt.datetime) -> list[CaseFacts]:
    """The core facts for loaded investigations (annotated with ``latest_grade``, victim
    selected): four queries whatever their number."""
    histories = victim_history((i.victim_id for i in investigations), as_of)
    suspects = suspect_history(
        (i.suspect_id for i in investigations if i.suspect_id), as_of, days=HISTORY_DAYS
    )
    custody = custody_windows((i.suspect_id for i in investigations if i.suspect_id), as_of)
    return [
        case_facts_from(
            investigation,
            history=histories.get(investigation.victim_id),
            custody=custody.get(investigation.suspect_id) if investigation.suspect_id else None,
            grade=getattr(investigation, "latest_grade", None),
            suspect_events=suspects.get(investigation.suspect_id, 0)
            if investigation.suspect_id
            else 0,
        )
        for investigation in investigations
    ]


# --- the board ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    """One case on the board: its investigation row, its assessment and its latest decision."""

    rank: int
    investigation: Investigation
    assessment: CaseAssessment
    decision: TriageDecision | None
    case: Case | None = None
    carried_over: bool = False
    """Recorded before the board's window and still undecided: carried over, never dropped."""

    @property
    def live(self) -> bool:
        """A live incident raised in Provide: shown at the top of the board until decided."""
        return bool(self.investigation.source == Investigation.Source.LIVE)

    @property
    def state(self) -> str:
        """The case's state (``new`` until a case row exists)."""
        return self.case.state if self.case is not None else "new"

    @property
    def decided(self) -> bool:
        """Decided, or past triage another way (a live visit before the sergeant decided)."""
        return self.decision is not None or self.state != "new"

    @property
    def accepted(self) -> bool:
        return self.decision is not None and self.decision.decision in ACCEPTED


@dataclass(frozen=True)
class TriageBoard:
    """A BCU-day's ranked queue."""

    bcu: Area
    window: BoardWindow
    policy: TriagePolicy
    rows: list[BoardRow]
    carried_over_rows: list[BoardRow] = field(default_factory=list)
    """Undecided cases from the week before the window, ranked among themselves."""

    def _count(self, test: Any) -> int:
        return sum(1 for row in self.rows if test(row))

    @property
    def to_decide(self) -> int:
        return self._count(lambda row: not row.decided)

    @property
    def eligible_to_decide(self) -> int:
        return self._count(lambda row: not row.decided and row.assessment.eligibility.eligible)

    @property
    def due_soon(self) -> int:
        return self._count(
            lambda row: not row.decided and row.assessment.clock.state is ClockState.DUE_SOON
        )

    @property
    def breached(self) -> int:
        return self._count(
            lambda row: not row.decided and row.assessment.clock.state is ClockState.BREACHED
        )

    @property
    def carried_over(self) -> int:
        return len(self.carried_over_rows)

    @property
    def in_custody(self) -> int:
        return self._count(lambda row: row.assessment.case.custody is not None)

    @property
    def accepted(self) -> int:
        return self._count(
            lambda row: row.decision is not None and row.decision.decision in ACCEPTED
        )

    @property
    def eligible_rows(self) -> list[BoardRow]:
        return [row for row in self.rows if row.assessment.eligibility.eligible]

    @property
    def ineligible_rows(self) -> list[BoardRow]:
        return [row for row in self.rows if not row.assessment.eligibility.eligible]

    def row_for(self, investigation_id: uuid.UUID | str) -> BoardRow | None:
        wanted = str(investigation_id)
        return next((row for row in self.rows if str(row.investigation.public_id) == wanted), None)


CARRY_OVER_DAYS = 7
"""Undecided cases from the week before the window stay on the board, marked carried over."""


def _window_investigations(bcu: Area, window: BoardWindow) -> list[Investigation]:
    return list(
        Investigation.objects.filter(
            bcu=bcu, recorded_at__gte=window.starts_at, recorded_at__lte=window.as_of
        )
        .select_related("victim", "district")
        .annotate(latest_grade=_latest_grade())
        .order_by("recorded_at", "id")
    )


def _carried_over(bcu: Area, window: BoardWindow) -> list[Investigation]:
    """Cases still new from before the window (up to a week): no undecided case drops off."""
    since = window.starts_at - dt.timedelta(days=CARRY_OVER_DAYS)
    ids = cases_untriaged_before(bcu, window.starts_at, since).values_list(
        "investigation_id", flat=True
    )
    return list(
        Investigation.objects.filter(id__in=ids)
        .select_related("victim", "district")
        .annotate(latest_grade=_latest_grade())
        .order_by("recorded_at", "id")
    )


def _with_case_clock(assessment: CaseAssessment, case: Case | None) -> CaseAssessment:
    """The assessment with the case's clock: stopped once the victim was reached."""
    if case is None or case.clock_stopped_at is None:
        return assessment
    return replace(assessment, clock=clock_stopped(assessment.clock))


def _window(
    on_date: dt.date, policy: Policy, now: dt.datetime, as_of: dt.datetime | None = None
) -> BoardWindow:
    """The board's window, or BoardUnavailable with the reason (a future date, or one outside
    the span Provide works in, whose carry-over arithmetic would overflow)."""
    if not day_in_range(on_date):
        raise BoardUnavailable(
            f"the board date must be between 1900 and 2199, not {on_date}", field="date"
        )
    try:
        return board_window(on_date, policy, timezone.get_current_timezone(), now, as_of)
    except ValueError as error:
        raise BoardUnavailable(str(error), field="date") from None


def board_build(
    *,
    bcu: Area,
    on_date: dt.date,
    as_of: dt.datetime | None = None,
    now: dt.datetime | None = None,
    policy: TriagePolicy | None = None,
) -> TriageBoard:
    """The board without an access check: for the operator's command line and the checked
    selectors below. Nine queries (one fewer when ``policy`` is given): the seven of the window, the
    carried-over undecided cases and the cases' states."""
    policy_row = policy or triage_policy_active()
    core_policy = policy_from(policy_row)
    window = _window(on_date, core_policy, now or timezone.now(), as_of)
    in_window = _window_investigations(bcu, window)
    carried = _carried_over(bcu, window)
    investigations = in_window + carried
    carried_ids = {i.pk for i in carried}
    by_case_id = {str(i.public_id): i for i in investigations}
    decisions = _latest_decisions([i.pk for i in investigations])
    cases = cases_by_investigation(i.pk for i in investigations)
    ranked = rank_cases(facts_for(investigations, window.as_of), core_policy, window.as_of)
    rows: list[BoardRow] = []
    carried_rows: list[BoardRow] = []
    for ranked_case in ranked:
        investigation = by_case_id[ranked_case.assessment.case.case_id]
        case = cases.get(investigation.pk)
        carried_over = investigation.pk in carried_ids
        target = carried_rows if carried_over else rows
        target.append(
            BoardRow(
                len(target) + 1,
                investigation,
                _with_case_clock(ranked_case.assessment, case),
                decisions.get(investigation.pk),
                case,
                carried_over,
            )
        )
    return TriageBoard(
        bcu=bcu,
        window=window,
        policy=policy_row,
        rows=_live_first(rows),
        carried_over_rows=carried_rows,
    )


def _live_first(rows: list[BoardRow]) -> list[BoardRow]:
    """Undecided live incidents at the top (newest first), then the policy's ranking."""
    live = sorted(
        (r for r in rows if r.live and not r.decided),
        key=lambda r: r.investigation.recorded_at,
        reverse=True,
    )
    if not live:
        return rows
    rest = [r for r in rows if not (r.live and not r.decided)]
    return [replace(row, rank=rank) for rank, row in enumerate(live + rest, start=1)]


def bcu_for(*, user: User, name: str | None) -> Area:
    """The BCU a user's board shows: their own, or (force-wide users) the one named."""
    own = bcu_scope(user)
    if own is not None:
        if name and name.casefold() != own.name.casefold():
            raise RecordNotFound
        return own  # type: ignore[no-any-return]
    return bcu_named(name)


def bcu_named(name: str | None) -> Area:
    """The BCU called ``name`` (case-insensitive); the first BCU when no name is given."""
    bcus = Area.objects.filter(kind=Area.Kind.BCU).order_by("name")
    bcu = bcus.filter(name__iexact=name).first() if name else bcus.first()
    if bcu is None:
        raise BoardUnavailable(
            f"there is no BCU called {name!r}" if name else "no BCU has been set up"
        )
    return bcu


def triage_board_for(
    *,
    user: User,
    on_date: dt.date | None = None,
    bcu_name: str | None = None,
    as_of: dt.datetime | None = None,
    audit: bool = True,
) -> TriageBoard:
    """The ranked board for the user's BCU (or the named one, for force-wide roles).

    Raises PermissionDenied for roles without the board, RecordNotFound for a BCU outside the
    user's area, BoardUnavailable for a future date or an unknown BCU. The view is audited as
    one event naming every investigation on the board (the board lists victims' names).
    """
    if not can_view_board(user):
        raise PermissionDenied
    bcu = bcu_for(user=user, name=bcu_name)
    board = board_build(bcu=bcu, on_date=on_date or timezone.localdate(), as_of=as_of)
    if audit:
        audit_records_read(
            actor=user,
            event="triage.board_viewed",
            records=[row.investigation for row in board.rows],
            query={
                "bcu": bcu.name,
                "date": board.window.on_date.isoformat(),
                "policy_version": board.policy.version,
            },
        )
    return board


def investigation_for_decision(*, user: User, investigation_id: uuid.UUID | str) -> Investigation:
    """An investigation in the user's BCU, for a decision (not found and not allowed look alike)."""
    investigations = Investigation.objects.select_related("victim", "bcu")
    bcu = bcu_scope(user)
    if bcu is not None:
        investigations = investigations.filter(bcu=bcu)
    try:
        return investigations.annotate(latest_grade=_latest_grade()).get(public_id=investigation_id)
    except (Investigation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def assessment_for(
    investigation: Investigation, policy: Policy, as_of: dt.datetime
) -> CaseAssessment:
    """One case assessed under ``policy`` at ``as_of`` (for a decision)."""
    (ranked,) = rank_cases(facts_for([investigation], as_of), policy, as_of)
    return ranked.assessment


@dataclass(frozen=True)
class PolicyPreview:
    """How the proposed policy would re-rank a BCU-day's board."""

    bcu: Area
    window: BoardWindow
    current_version: int
    changes: list[RankChange]

    @property
    def changed(self) -> int:
        return sum(1 for change in self.changes if change.changed)


def triage_policy_preview_for(
    *, user: User, proposed: Policy, bcu_name: str | None, on_date: dt.date | None = None
) -> PolicyPreview:
    """Rank a BCU-day's board under the active and the proposed policy. References, scores and
    ranks only: no names, as the administrator does not work cases."""
    if not can_edit_policy(user):
        raise PermissionDenied
    bcu = bcu_named(bcu_name)
    current = triage_policy_active()
    on_date = on_date or timezone.localdate()
    now = timezone.now()
    core_current = policy_from(current)
    window = _window(on_date, core_current, now)
    # The proposed look-back may reach further: take the union so every case is compared.
    proposed_window = _window(on_date, proposed, now)
    widest = window if window.starts_at <= proposed_window.starts_at else proposed_window
    cases = facts_for(_window_investigations(bcu, widest), window.as_of)
    in_current = [c for c in cases if c.recorded_at >= window.starts_at]
    in_proposed = [c for c in cases if c.recorded_at >= proposed_window.starts_at]
    changes = _compare(in_current, in_proposed, core_current, proposed, window.as_of)
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        event="triage.policy_previewed",
        changes={"bcu": bcu.name, "date": on_date.isoformat(), "cases": len(cases)},
    )
    return PolicyPreview(bcu=bcu, window=window, current_version=current.version, changes=changes)


def _compare(
    current_cases: list[CaseFacts],
    proposed_cases: list[CaseFacts],
    current: Policy,
    proposed: Policy,
    as_of: dt.datetime,
) -> list[RankChange]:
    if len(current_cases) == len(proposed_cases):
        return compare_rankings(proposed_cases, current, proposed, as_of)
    # Different look-backs: a case on only one board has rank 0 on the other.
    before = {r.assessment.case.case_id: r for r in rank_cases(current_cases, current, as_of)}
    after = {r.assessment.case.case_id: r for r in rank_cases(proposed_cases, proposed, as_of)}
    order = sorted(
        set(before) | set(after),
        key=lambda cid: (
            after[cid].rank if cid in after else 10**6,
            before[cid].rank if cid in before else 10**6,
        ),
    )
    changes = []
    for cid in order:
        old, new = before.get(cid), after.get(cid)
        case = (new or old).assessment.case  # type: ignore[union-attr]
        changes.append(
            RankChange(
                case_id=cid,
                reference=case.reference,
                rank_before=old.rank if old else 0,
                rank_after=new.rank if new else 0,
                score_before=old.assessment.score.total if old else 0,
                score_after=new.assessment.score.total if new else 0,
                eligible_before=bool(old and old.assessment.eligibility.eligible),
                eligible_after=bool(new and new.assessment.eligibility.eligible),
            )
        )
    return changes
