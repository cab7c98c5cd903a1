"""Build cases from records that existed before the case lifecycle (a migration, the demo loader).

Replays what the records say happened, in time order: the investigation was recorded, each
triage decision, each visit with a result, and a hand-over task after the victim was seen.
Old history (before ``untriaged_before``) that rests undecided or seen is closed with a stated
reason, so it does not flood the working lists.
Takes the model classes as arguments so a migration can pass its historical models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from provide.core import cases as core

UNTRIAGED_REASON = "Recorded before case tracking began and never triaged: no joint-team action"
SEEN_REASON = (
    "Seen by the joint team before case tracking began: hand-over, if any, was recorded elsewhere"
)
VISITED_REASON = "Visited before case tracking began without a triage decision in Provide"
HISTORY_REASONS = {
    core.CaseState.NEW: UNTRIAGED_REASON,
    core.CaseState.SEEN: SEEN_REASON,
    core.CaseState.ATTEMPTED: VISITED_REASON,
}
"""Cases whose whole history predates ``untriaged_before`` and that rest in one of these states
are closed with the reason, so that history does not flood today's working lists. Cases still
awaiting a visit stay open: they are exactly the lost cases the stale lists must show."""


def _timeline(
    investigation: Any, decisions: list[Any], visits: list[Any], handovers: list[Any]
) -> list[Any]:
    events: list[tuple[dt.datetime, int, Any]] = [
        (
            investigation.recorded_at,
            0,
            core.Opened(
                investigation.recorded_at,
                investigation.first_police_visit_at,
                investigation.risk_grade == "high",
            ),
        )
    ]
    for decision in decisions:
        events.append(
            (
                decision.decided_at,
                1,
                core.Decided(
                    decision.decided_at,
                    core.Decision(decision.decision),
                    core.AttemptRules(),
                    investigation.first_police_visit_at,
                    investigation.risk_grade == "high",
                ),
            )
        )
        if decision.status == "planned":
            events.append((decision.decided_at, 2, core.Planned(decision.decided_at)))
    for visit in visits:
        events.append(
            (
                visit.arrived_at,
                3,
                core.Attempted(visit.arrived_at, core.AttemptResult(visit.contact_result)),
            )
        )
    for task in handovers:
        events.append((task.created_at, 4, core.HandedOver(task.created_at)))
    events.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in events]


def _replay(timeline: list[Any]) -> tuple[core.Case, list[tuple[Any, str, str]]]:
    case, applied = core.Case(), []
    for event in timeline:
        try:
            after = core.apply_event(case, event)
        except core.TransitionRefused:
            continue
        applied.append((event, case.state.value, after.state.value))
        case = after
    return case, applied


def backfill_cases(
    *,
    Investigation: Any,
    Case: Any,
    CaseEvent: Any,
    TriageDecision: Any,
    Visit: Any,
    HandoverTask: Any,
    untriaged_before: dt.datetime | None,
    now: dt.datetime,
    store: Any,
    payload: Any,
    kinds: dict[type, str],
) -> int:
    """Create the missing cases with their replayed history; returns how many."""
    have = set(Case.objects.values_list("investigation_id", flat=True))
    todo = list(Investigation.objects.exclude(id__in=have).order_by("id"))
    by_inv: dict[str, dict[int, list[Any]]] = {"decisions": {}, "visits": {}, "handovers": {}}
    ids = [i.id for i in todo]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for d in TriageDecision.objects.filter(investigation_id__in=chunk).order_by(
            "decided_at", "id"
        ):
            by_inv["decisions"].setdefault(d.investigation_id, []).append(d)
        for v in (
            Visit.objects.filter(investigation_id__in=chunk, arrived_at__isnull=False)
            .exclude(contact_result="")
            .order_by("arrived_at", "id")
        ):
            by_inv["visits"].setdefault(v.investigation_id, []).append(v)
        for t in HandoverTask.objects.filter(investigation_id__in=chunk).order_by(
            "created_at", "id"
        ):
            by_inv["handovers"].setdefault(t.investigation_id, []).append(t)
    rows, histories = [], []
    for investigation in todo:
        timeline = _timeline(
            investigation,
            by_inv["decisions"].get(investigation.id, []),
            by_inv["visits"].get(investigation.id, []),
            by_inv["handovers"].get(investigation.id, []),
        )
        case, applied = _replay(timeline)
        if (
            untriaged_before is not None
            and case.state in HISTORY_REASONS
            and (case.state is not core.CaseState.ATTEMPTED or case.decision is None)
            and all(event.at < untriaged_before for event in timeline)
        ):
            case, applied = _replay([*timeline, core.Closed(now, HISTORY_REASONS[case.state])])
        row = Case(investigation_id=investigation.id)
        store(row, case)
        rows.append(row)
        histories.append(applied)
    Case.objects.bulk_create(rows, batch_size=2000)
    created = dict(
        Case.objects.filter(investigation_id__in=ids).values_list("investigation_id", "id")
    )
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=created[row.investigation_id],
                kind=kinds[type(event)],
                happened_at=event.at,
                payload=payload(event),
                from_state=before if index else "",
                to_state=after,
                reason=getattr(event, "reason", ""),
                actor_label="records before case tracking",
            )
            for row, applied in zip(rows, histories, strict=True)
            for index, (event, before, after) in enumerate(applied)
        ],
        batch_size=2000,
    )
    return len(rows)
