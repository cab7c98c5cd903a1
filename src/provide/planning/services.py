"""Writes for plans: run the planner for a shift, re-plan around a live incident, pin and
reorder by hand. Every plan is a new version; old versions are kept (superseded)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from provide.accounts.models import User
from provide.accounts.services import Actor
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.services import cases_planned, cases_unplanned
from provide.core import planning as planner  # solve_plan loads OR-Tools on first use
from provide.core.planning import LeftOutVisit, Location, PlanningProblem, PlanResult, VisitRequest
from provide.core.planning.fixed_route import schedule_fixed_route
from provide.health.selectors import DiscreetWindow, discreet_windows_for_planning
from provide.planning import mapping
from provide.planning.models import Plan, PlannedStop, Shift, UnplannedCandidate
from provide.planning.selectors import planning_candidates
from provide.triage.mapping import policy_from
from provide.triage.models import TriageDecision
from provide.triage.versions import triage_policy_active
from provide.visits.models import Visit

DEFAULT_TIME_LIMIT_SECONDS = 5.0


class PlanChangeRefused(Exception):
    """A hand change would break the plan's rules; ``problems`` says how."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


def can_plan(user: Actor) -> bool:
    return bool(user.has_perm("planning.add_plan"))


def _completed_stops(shift: Shift, as_of: dt.datetime) -> list[PlannedStop]:
    plan = shift.plans.filter(status=Plan.Status.CURRENT).first()
    if plan is None:
        return []
    return [
        s
        for s in plan.stops.select_related("investigation__victim").order_by("sequence")
        if s.planned_arrival_at <= as_of
    ]


def _stop_location(stop: PlannedStop) -> Location | None:
    if stop.place_latitude is not None and stop.place_longitude is not None:
        return Location(stop.place_latitude, stop.place_longitude)  # a discreet window
    victim = stop.investigation.victim
    lat = victim.latitude if victim.latitude is not None else stop.investigation.latitude
    lon = victim.longitude if victim.longitude is not None else stop.investigation.longitude
    return None if lat is None or lon is None else Location(lat, lon)


@dataclass
class _Prepared:
    """What a plan is made from, read before the solve (no transaction held)."""

    shifts: list[Shift]
    origin: dt.datetime
    kept: dict[int, list[PlannedStop]]
    pinned: set[str]
    candidates: dict[str, mapping.Candidate]
    unplannable: list[tuple[mapping.Candidate, str, bool]]
    problem: PlanningProblem


def plan_run(
    *,
    user: Actor,
    shifts: Iterable[Shift],
    as_of: dt.datetime,
    trigger: str = Plan.Trigger.START_OF_SHIFT,
    mandatory_decision_ids: Iterable[str] = (),
    time_limit_seconds: float = DEFAULT_TIME_LIMIT_SECONDS,
    seed: int = 0,
    note: str = "",
    on_stage: Callable[[str], None] | None = None,
) -> list[Plan]:
    """Plan (or re-plan) the given shifts of one BCU-day together, from ``as_of``.

    Visits already reached in the current plans are kept; each team then starts from where it
    is (its last visit, else its base) no earlier than ``as_of``. The cases are read and the
    plan solved with no transaction open (a slow solve holds no lock); the result is then
    saved in one transaction, as a new version of each shift's plan. ``on_stage`` is told each
    stage by name (for a background job's progress).
    """
    if not can_plan(user):
        raise PermissionDenied
    shifts = list(shifts)
    if not shifts:
        return []
    stage = on_stage or (lambda name: None)
    stage(STAGE_GATHERING)
    prepared = _prepare(user, shifts, as_of, trigger, mandatory_decision_ids)
    stage(STAGE_SOLVING)
    result = planner.solve_plan(prepared.problem, time_limit_seconds=time_limit_seconds, seed=seed)
    result = mapping.with_reasons_in_words(prepared.problem, result, prepared.origin)
    result = replace(
        result,
        left_out=result.left_out
        + tuple(
            LeftOutVisit(visit_id=str(c.decision.public_id), reason=reason, mandatory=must)
            for c, reason, must in prepared.unplannable
        ),
    )
    stage(STAGE_SAVING)
    return _save_plans(user, prepared, result, trigger=trigger, as_of=as_of, note=note)


STAGE_GATHERING = "Gathering the cases awaiting a visit"
STAGE_SOLVING = "Finding the best routes"
STAGE_SAVING = "Saving the plan"


def _discreet_windows(
    user: Actor, candidates: Sequence[mapping.Candidate], origin: dt.datetime
) -> dict[int, tuple[DiscreetWindow, ...]]:
    """Each victim's health appointments on the day, as opaque windows (by person pk)."""
    by_person: dict[int, list[DiscreetWindow]] = {}
    for window in discreet_windows_for_planning(
        actor=user,
        person_pks={c.decision.investigation.victim_id for c in candidates},
        start=origin,
        end=origin + dt.timedelta(days=1),
    ):
        by_person.setdefault(window.person_pk, []).append(window)
    return {pk: tuple(windows) for pk, windows in by_person.items()}


def _prepare(
    user: Actor,
    shifts: list[Shift],
    as_of: dt.datetime,
    trigger: str,
    mandatory_decision_ids: Iterable[str],
) -> _Prepared:
    bcu = shifts[0].team.bcu
    on_date = shifts[0].on_date
    origin = mapping.origin_for(on_date)
    shift_ids = {s.id for s in shifts}
    elsewhere = set(
        PlannedStop.objects.filter(
            plan__status=Plan.Status.CURRENT,
            plan__shift__on_date=on_date,
            triage_decision__isnull=False,
        )
        .exclude(plan__shift_id__in=shift_ids)
        .values_list("triage_decision_id", flat=True)
    )
    kept: dict[int, list[PlannedStop]] = {}
    teams = []
    for shift in shifts:
        done = _completed_stops(shift, as_of) if trigger != Plan.Trigger.START_OF_SHIFT else []
        kept[shift.id] = done
        start = _stop_location(done[-1]) if done else None
        not_before = max(as_of, done[-1].planned_departure_at) if done else as_of
        teams.append(mapping.team_for(shift, origin, start=start, not_before=not_before))
    done_decisions = {s.triage_decision_id for stops in kept.values() for s in stops}
    pinned = {
        str(public_id)
        for public_id in PlannedStop.objects.filter(
            plan__shift__in=shifts,
            plan__status=Plan.Status.CURRENT,
            pinned=True,
            triage_decision__isnull=False,
        ).values_list("triage_decision__public_id", flat=True)
    }
    mandatory = {str(i) for i in mandatory_decision_ids} | pinned
    shift_end = max(s.ends_at for s in shifts)
    candidates = {}
    visits = []
    must_attend = _must_attend_grades()
    live = {str(i) for i in mandatory_decision_ids}
    unplannable: list[tuple[mapping.Candidate, str, bool]] = []
    shift_start = min(s.starts_at for s in shifts)
    found = planning_candidates(bcu=bcu, as_of=as_of, until=shift_end)
    appointments = _discreet_windows(user, found, origin)
    for candidate in found:
        candidate = replace(
            candidate, appointments=appointments.get(candidate.decision.investigation.victim_id, ())
        )
        decision = candidate.decision
        if decision.id in elsewhere or decision.id in done_decisions:
            continue
        must = (
            str(decision.public_id) in mandatory or decision.investigation.risk_grade in must_attend
        )
        visit = mapping.visit_for(
            candidate, origin, shift_end, mandatory=must, shift_start=shift_start
        )
        if visit is None:  # no location, or no safe time today: left out with the reason
            reason = mapping.unplannable_reason(
                candidate, origin, shift_end, shift_start=shift_start
            )
            unplannable.append((candidate, reason, must))
            candidates[str(decision.public_id)] = candidate
            continue
        if str(decision.public_id) in live:
            visit = mapping.live_incident_next(visit, teams)
        candidates[visit.id] = candidate
        visits.append(visit)
    problem = mapping.build_problem(teams, visits, name=f"{bcu.name} {on_date} {shifts[0].pattern}")
    return _Prepared(shifts, origin, kept, pinned, candidates, unplannable, problem)


@transaction.atomic
def _save_plans(
    user: Actor,
    prepared: _Prepared,
    result: PlanResult,
    *,
    trigger: str,
    as_of: dt.datetime,
    note: str,
) -> list[Plan]:
    plans = [
        _save_plan(
            shift=shift,
            user=user,
            result=result,
            origin=prepared.origin,
            candidates=prepared.candidates,
            kept=prepared.kept[shift.id],
            trigger=trigger,
            as_of=as_of,
            note=note,
            pinned=prepared.pinned,
        )
        for shift in prepared.shifts
    ]
    _update_case_states(user, result, prepared.candidates, as_of)
    return plans


def _must_attend_grades() -> set[str]:
    """The grades the active triage policy makes must-attend (high risk by default)."""
    return {grade.value for grade in policy_from(triage_policy_active()).eligibility.must_attend}


def _next_version(shift: Shift) -> int:
    latest = shift.plans.order_by("-version").first()
    return 1 if latest is None else latest.version + 1


def _new_current_plan(*, shift: Shift, user: Actor, **fields: Any) -> Plan:
    """Supersede the shift's current plan and create the next version as current."""
    shift.plans.filter(status=Plan.Status.CURRENT).update(status=Plan.Status.SUPERSEDED)
    return Plan.objects.create(
        shift=shift,
        version=_next_version(shift),
        status=Plan.Status.CURRENT,
        created_by=user if isinstance(user, User) else None,
        **fields,
    )


def _save_plan(
    *,
    shift: Shift,
    user: Actor,
    result: PlanResult,
    origin: dt.datetime,
    candidates: dict[str, mapping.Candidate],
    kept: list[PlannedStop],
    trigger: str,
    as_of: dt.datetime,
    note: str,
    pinned: set[str],
) -> Plan:
    route = next((r for r in result.routes if r.team_id == str(shift.public_id)), None)
    plan = _new_current_plan(
        shift=shift,
        user=user,
        trigger=trigger,
        made_at=as_of,
        total_priority=route.priority if route else 0,
        travel_minutes=route.travel_minutes if route else 0,
        note=note[:300],
        solver_stats={
            "status": result.status.value
            if hasattr(result.status, "value")
            else str(result.status),
            "method": result.statistics.method,
            "seconds": round(result.statistics.seconds, 3),
            "objective": result.objective,
            "proven_optimal": result.proven_optimal,
            "bound": result.bound,
            "seed": result.statistics.seed,
        },
    )
    stops = [
        PlannedStop(
            plan=plan,
            sequence=index,
            investigation_id=stop.investigation_id,
            triage_decision_id=stop.triage_decision_id,
            planned_arrival_at=stop.planned_arrival_at,
            planned_start_at=stop.planned_start_at,
            planned_departure_at=stop.planned_departure_at,
            travel_minutes_from_previous=stop.travel_minutes_from_previous,
            pinned=stop.pinned,
            windows=stop.windows,
            place_latitude=stop.place_latitude,
            place_longitude=stop.place_longitude,
            discreet_appointment_id=stop.discreet_appointment_id,
        )
        for index, stop in enumerate(kept, start=1)
    ]
    if route is not None:
        for stop in route.stops:
            if stop.kind != "visit" or stop.visit_id is None:
                continue
            candidate = candidates[stop.visit_id]
            decision = candidate.decision
            duration = stop.departure_minute - stop.start_minute
            windows = mapping.visit_windows(
                candidate, origin, shift.ends_at, duration, shift_start=shift.starts_at
            )
            stops.append(
                PlannedStop(
                    plan=plan,
                    sequence=len(stops) + 1,
                    investigation_id=decision.investigation_id,
                    triage_decision=decision,
                    # the team is at her door when the visit starts (any wait is before, away)
                    planned_arrival_at=mapping.to_datetime(stop.start_minute, origin),
                    planned_start_at=mapping.to_datetime(stop.start_minute, origin),
                    windows=[window.to_json() for window in windows.shown],
                    place_latitude=windows.place.lat if windows.place else None,
                    place_longitude=windows.place.lon if windows.place else None,
                    discreet_appointment_id=windows.appointment_id,
                    planned_departure_at=mapping.to_datetime(stop.departure_minute, origin),
                    travel_minutes_from_previous=stop.travel_minutes_from_previous,
                    pinned=stop.visit_id in pinned,
                )
            )
    PlannedStop.objects.bulk_create(stops)
    _sync_planned_visits(shift=shift, stops=stops, user=user)
    UnplannedCandidate.objects.bulk_create(
        [
            UnplannedCandidate(
                plan=plan,
                investigation_id=candidates[left.visit_id].decision.investigation_id,
                triage_decision=candidates[left.visit_id].decision,
                reason=_left_out_reason(left)[:300],
            )
            for left in sorted(result.left_out, key=lambda item: not item.mandatory)
            if left.visit_id in candidates
        ]
    )
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        event="planning.plan_made",
        subject=plan,
        changes={
            "version": plan.version,
            "trigger": trigger,
            "stops": len(stops),
            "left_out": len(result.left_out),
        },
    )
    return plan


def _left_out_reason(left: Any) -> str:
    """Why a case is not in the plan; a must-attend victim says so first, for the sergeant."""
    reason = left.reason[:1].upper() + left.reason[1:]
    return f"{mapping.MUST_ATTEND_PREFIX}{left.reason}" if left.mandatory else reason


def _sync_planned_visits(*, shift: Shift, stops: list[PlannedStop], user: Actor) -> None:
    """Give every planned stop a planned visit for the joint team to record, and withdraw
    planned visits (never started) that the new plan no longer holds."""
    waiting = {
        visit.investigation_id: visit
        for visit in Visit.objects.filter(
            shift=shift, arrived_at__isnull=True, record_status=Visit.RecordStatus.PLANNED
        )
    }
    for stop in stops:
        visit = waiting.pop(stop.investigation_id, None)
        if visit is not None:
            if visit.planned_at != stop.planned_arrival_at:
                visit.planned_at = stop.planned_arrival_at
                visit.save(update_fields=["planned_at", "updated_at"])
            continue
        if Visit.objects.filter(
            investigation_id=stop.investigation_id, shift=shift, arrived_at__isnull=False
        ).exists():
            continue  # already visited on this shift (a kept stop): nothing more to record
        visit = Visit.objects.create(
            mode=Visit.Mode.POST_INCIDENT,
            investigation_id=stop.investigation_id,
            victim_id=stop.investigation.victim_id,
            shift=shift,
            planned_at=stop.planned_arrival_at,
            record_status=Visit.RecordStatus.PLANNED,
        )
        audit_record(
            actor=user, action=AuditAction.CREATE, event="visits.visit_planned", subject=visit
        )
    for visit in waiting.values():
        audit_record(
            actor=user, action=AuditAction.DELETE, event="visits.visit_unplanned", subject=visit
        )
        visit.delete()


def _update_case_states(
    user: Actor, result: PlanResult, candidates: dict[str, mapping.Candidate], as_of: dt.datetime
) -> None:
    """Tell the case lifecycle which candidates the plan holds and which it dropped."""
    planned = {stop.visit_id for route in result.routes for stop in route.stops if stop.visit_id}
    holds = [c.decision.investigation_id for v, c in candidates.items() if v in planned]
    dropped = [c.decision.investigation_id for v, c in candidates.items() if v not in planned]
    cases_planned(user=user, investigation_ids=holds, at=as_of, actor_label="planner")
    cases_unplanned(user=user, investigation_ids=dropped, at=as_of, actor_label="planner")


def plan_insert_live(
    *, user: User, shifts: Iterable[Shift], decision: TriageDecision, as_of: dt.datetime
) -> list[Plan]:
    """Re-plan from each team's current position with a live incident as a must-visit."""
    return plan_run(
        user=user,
        shifts=shifts,
        as_of=as_of,
        trigger=Plan.Trigger.LIVE_INCIDENT,
        mandatory_decision_ids=[str(decision.public_id)],
        note=f"Live incident {decision.investigation.investigation_ref}",
    )


@transaction.atomic
def plan_move_stop(*, user: User, plan: Plan, stop: PlannedStop, offset: int) -> Plan:
    """Move one stop earlier (offset -1) or later (+1); refused if the new order is infeasible."""
    if not can_plan(user):
        raise PermissionDenied
    stops = list(
        plan.stops.select_related("investigation__victim", "triage_decision").order_by("sequence")
    )
    index = next(i for i, s in enumerate(stops) if s.id == stop.id)
    target = index + offset
    if not 0 <= target < len(stops):
        raise PlanChangeRefused(["the visit is already at that end of the route"])
    stops[index], stops[target] = stops[target], stops[index]
    return _save_order(
        user=user, plan=plan, stops=stops, note=f"Moved {stop.investigation.investigation_ref}"
    )


@transaction.atomic
def plan_toggle_pin(*, user: User, plan: Plan, stop: PlannedStop) -> PlannedStop:
    """Pin a visit so re-planning keeps it in this team's plan, or unpin it."""
    if not can_plan(user):
        raise PermissionDenied
    stop.pinned = not stop.pinned
    stop.save(update_fields=["pinned", "updated_at"])
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="planning.stop_pinned" if stop.pinned else "planning.stop_unpinned",
        subject=plan,
        changes={"stop": str(stop.public_id)},
    )
    return stop


def _save_order(*, user: User, plan: Plan, stops: list[PlannedStop], note: str) -> Plan:
    shift = plan.shift
    origin = mapping.origin_for(shift.on_date)
    team = mapping.team_for(shift, origin)
    visits = []
    for stop in stops:
        location = _stop_location(stop)
        if location is None:
            raise PlanChangeRefused([f"{stop.investigation.investigation_ref} has no location"])
        duration = max(
            1,
            round(
                (
                    stop.planned_departure_at - (stop.planned_start_at or stop.planned_arrival_at)
                ).total_seconds()
                / 60
            ),
        )
        # her safe-contact times hold for a route changed by hand too
        windows = mapping.start_windows_from_shown(stop.windows, origin, duration)
        if windows is None:
            raise PlanChangeRefused(
                [f"{stop.investigation.investigation_ref} has no safe time left for the visit"]
            )
        visits.append(
            VisitRequest(
                id=str(stop.public_id),
                location=location,
                duration_minutes=duration,
                priority=1.0,
                time_windows=windows,
            )
        )
    problem = mapping.build_problem([team], visits, name="manual order")
    timed = schedule_fixed_route(problem, team.id, [v.id for v in visits])
    if not timed.feasible or timed.route is None:
        raise PlanChangeRefused(timed.problems)
    new_plan = _new_current_plan(
        shift=shift,
        user=user,
        trigger=Plan.Trigger.MANUAL,
        made_at=plan.made_at,
        total_priority=plan.total_priority,
        travel_minutes=timed.route.travel_minutes,
        note=note[:300],
        solver_stats={"method": "fixed order"},
    )
    by_id = {str(s.public_id): s for s in stops}
    PlannedStop.objects.bulk_create(
        [
            PlannedStop(
                plan=new_plan,
                sequence=index,
                investigation_id=by_id[timed_stop.visit_id or ""].investigation_id,
                triage_decision_id=by_id[timed_stop.visit_id or ""].triage_decision_id,
                planned_arrival_at=mapping.to_datetime(timed_stop.start_minute, origin),
                planned_start_at=mapping.to_datetime(timed_stop.start_minute, origin),
                planned_departure_at=mapping.to_datetime(timed_stop.departure_minute, origin),
                travel_minutes_from_previous=timed_stop.travel_minutes_from_previous,
                pinned=by_id[timed_stop.visit_id or ""].pinned,
                windows=by_id[timed_stop.visit_id or ""].windows,
                place_latitude=by_id[timed_stop.visit_id or ""].place_latitude,
                place_longitude=by_id[timed_stop.visit_id or ""].place_longitude,
                discreet_appointment_id=by_id[timed_stop.visit_id or ""].discreet_appointment_id,
            )
            for index, timed_stop in enumerate(timed.route.stops, start=1)
        ]
    )
    UnplannedCandidate.objects.bulk_create(
        [
            UnplannedCandidate(
                plan=new_plan,
                investigation_id=c.investigation_id,
                triage_decision_id=c.triage_decision_id,
                reason=c.reason,
            )
            for c in plan.left_out.all()
        ]
    )
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        event="planning.plan_reordered",
        subject=new_plan,
        changes={"from_version": plan.version, "to_version": new_plan.version},
    )
    return new_plan
