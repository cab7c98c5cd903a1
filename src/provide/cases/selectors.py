"""Reads of cases: the one place every list asks "which victims still need what".

The triage board, the stale lists, the hand-over summary, the planner's candidates, the phone
route, the safeguarding hand-over list, the API and the evaluation funnel all read case state
here. None of them derives it from decisions or visits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Max, Min, QuerySet

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.models import Case, CaseEvent
from provide.cases.policies import can_view_cases
from provide.core.cases import AWAITING_VISIT, CaseState
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.shared.access import RecordNotFound, bcu_scope

AWAITING_VISIT_STATES = tuple(sorted(state.value for state in AWAITING_VISIT))
STATE_FILTERS: dict[str, tuple[str, ...]] = {
    **{state.value: (state.value,) for state in CaseState},
    "awaiting_visit": AWAITING_VISIT_STATES,
    "open": tuple(state.value for state in CaseState if state is not CaseState.CLOSED),
}
"""The states a list may ask for: each state, plus ``awaiting_visit`` and ``open``."""


class UnknownState(ValueError):
    pass


def _with_investigation(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(
        "investigation", "investigation__victim", "investigation__bcu", "investigation__district"
    )


def cases_in(bcu: Any, states: Iterable[str]) -> QuerySet[Case]:
    """Cases in the given states (every BCU when ``bcu`` is None), investigation and victim loaded."""
    cases = _with_investigation(Case.objects.filter(state__in=list(states)))
    return cases if bcu is None else cases.filter(investigation__bcu=bcu)


def cases_awaiting_visit(bcu: Any, *, attempt_due_by: dt.datetime | None = None) -> QuerySet[Case]:
    """Accepted, planned or attempted cases: the joint team still owes these victims a visit.

    With ``attempt_due_by``, attempted cases whose next attempt is not yet due by then are
    left out (the planner offers a victim again once the retry interval has passed).
    """
    cases = cases_in(bcu, AWAITING_VISIT_STATES)
    if attempt_due_by is not None:
        cases = cases.exclude(
            state=CaseState.ATTEMPTED.value, next_attempt_due_at__gt=attempt_due_by
        )
    return cases


def cases_to_hand_over(bcu: Any) -> QuerySet[Case]:
    """Seen cases not yet handed over to the safeguarding unit."""
    return cases_in(bcu, (CaseState.SEEN.value,)).order_by("seen_at")


def cases_escalated(bcu: Any) -> QuerySet[Case]:
    """Cases the lifecycle has sent back to the sergeant (high-risk no contact, N attempts)."""
    return cases_awaiting_visit(bcu).filter(escalated_at__isnull=False).order_by("escalated_at")


def cases_back_from_a_visit(bcu: Any) -> QuerySet[Case]:
    """Attempted cases (the team did not see the victim): escalated ones first, then by the
    next attempt's due time. The sergeant sees these on the board."""
    return cases_in(bcu, (CaseState.ATTEMPTED.value,)).order_by(
        F("escalated_at").desc(nulls_last=True), "next_attempt_due_at", "id"
    )


def cases_by_investigation(investigation_ids: Iterable[int]) -> dict[int, Case]:
    """Each investigation's case (one query). Investigations with none yet are simply absent: new."""
    return {
        case.investigation_id: case
        for case in Case.objects.filter(investigation_id__in=list(investigation_ids))
    }


def cases_untriaged_before(bcu: Any, before: dt.datetime, since: dt.datetime) -> QuerySet[Case]:
    """New (undecided) cases recorded in [since, before): carried over from earlier boards."""
    return (
        cases_in(bcu, (CaseState.NEW.value,))
        .filter(investigation__recorded_at__gte=since, investigation__recorded_at__lt=before)
        .order_by("investigation__recorded_at")
    )


def state_counts(bcu: Any) -> dict[str, int]:
    """How many cases stand in each state (the funnel's raw counts)."""
    cases = Case.objects.all() if bcu is None else Case.objects.filter(investigation__bcu=bcu)
    counts = dict(cases.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    return {state.value: counts.get(state.value, 0) for state in CaseState}


# --- access-checked reads ---------------------------------------------------------------------


def _scoped(user: User) -> QuerySet[Case]:
    if not can_view_cases(user):
        raise PermissionDenied
    cases = _with_investigation(Case.objects.all())
    bcu = bcu_scope(user)
    return cases if bcu is None else cases.filter(investigation__bcu=bcu)


def states_for(name: str | None) -> tuple[str, ...] | None:
    """The states a filter name stands for (None: no filter). Raises UnknownState."""
    if not name:
        return None
    try:
        return STATE_FILTERS[name]
    except KeyError:
        known = ", ".join(STATE_FILTERS)
        raise UnknownState(f"unknown state {name!r}: use one of {known}") from None


def case_list_for(*, user: User, bcu: Any = None, state: str | None = None) -> QuerySet[Case]:
    """The cases a user may see, optionally in one BCU and one state (or a state group)."""
    cases = _scoped(user)
    if bcu is not None:
        cases = cases.filter(investigation__bcu=bcu)
    states = states_for(state)
    if states is not None:
        cases = cases.filter(state__in=states)
    return cases.order_by("-investigation__recorded_at", "-id")


def case_get_for(*, user: User, case_id: uuid.UUID | str, audit: bool = True) -> Case:
    """One case in the user's area (not found and not allowed look alike); the view is audited."""
    try:
        case = _scoped(user).get(public_id=case_id)
    except (Case.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, event="cases.case_viewed", subject=case)
    return case


def case_for_investigation(investigation: Investigation) -> Case | None:
    """The case of an investigation the caller has already read through a checked selector."""
    return Case.objects.filter(investigation=investigation).first()


def case_history(case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("id"))


# --- the victim's history: the one owner --------------------------------------------------------


@dataclass(frozen=True)
class VictimRecord:
    """A victim's domestic-abuse history in a window up to ``as_of``.

    ``da_events`` counts investigations naming the person as victim (the one being looked at
    included); ``last_marac_on`` is the latest MARAC meeting that discussed them.
    """

    da_events: int = 0
    first_event_at: dt.datetime | None = None
    latest_event_at: dt.datetime | None = None
    last_marac_on: dt.date | None = None


def victim_history(
    person_ids: Iterable[int], as_of: dt.datetime, *, days: int = 365
) -> dict[int, VictimRecord]:
    """Each person's DA events and last MARAC meeting in the ``days`` up to ``as_of``.

    Two aggregate queries per 900 people. Merged duplicates need no care: a merge moves their
    investigations and MARAC cases to the surviving record. Not access-checked: callers pass
    ids they already read through a checked selector.
    """
    ids = sorted(set(person_ids))
    since = as_of - dt.timedelta(days=days)
    events: dict[int, tuple[int, dt.datetime, dt.datetime]] = {}
    maracs: dict[int, dt.date] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = (
            Investigation.objects.filter(
                victim_id__in=chunk, recorded_at__gt=since, recorded_at__lte=as_of
            )
            .order_by()
            .values("victim_id")
            .annotate(n=Count("id"), first=Min("recorded_at"), latest=Max("recorded_at"))
        )
        events.update({row["victim_id"]: (row["n"], row["first"], row["latest"]) for row in rows})
        maracs.update(
            Person.objects.filter(
                pk__in=chunk,
                marac_cases__meeting_on__gt=since.date(),
                marac_cases__meeting_on__lte=as_of.date(),
            )
            .annotate(last=Max("marac_cases__meeting_on"))
            .values_list("pk", "last")
        )
    return {
        pk: VictimRecord(*(events.get(pk) or (0, None, None)), last_marac_on=maracs.get(pk))  # type: ignore[misc]
        for pk in ids
    }


def suspect_history(
    person_ids: Iterable[int], as_of: dt.datetime, *, days: int = 365
) -> dict[int, int]:
    """DA investigations naming each person as suspect (against any victim) in the ``days`` up
    to ``as_of``; people with none are absent. One aggregate query per 900 people."""
    ids = sorted(set(person_ids))
    since = as_of - dt.timedelta(days=days)
    counts: dict[int, int] = {}
    for start in range(0, len(ids), 900):
        rows = (
            Investigation.objects.filter(
                suspect_id__in=ids[start : start + 900],
                recorded_at__gt=since,
                recorded_at__lte=as_of,
            )
            .order_by()
            .values("suspect_id")
            .annotate(n=Count("id"))
            .values_list("suspect_id", "n")
        )
        counts.update(rows)
    return counts
