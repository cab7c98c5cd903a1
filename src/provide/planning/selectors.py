"""Reads of teams, shifts, plans and the cases waiting to be planned."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet

from provide.accounts.models import User
from provide.cases.selectors import cases_awaiting_visit
from provide.health.policies import can_view_health_field
from provide.health.selectors import appointment_windows_for
from provide.intake.models import CustodyEpisode
from provide.planning.mapping import Candidate
from provide.planning.models import Plan, PlanJob, PlannedStop, Shift
from provide.shared.access import RecordNotFound, bcu_scope, get_by_public_id
from provide.triage.models import TriageDecision
from provide.visits.models import Visit

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


# --- Today's route: each stop as the joint team works it on a phone -------------------------

ROUTE_STATUS_LABELS = {
    "done": "Done",
    "attempted": "Attempted",
    "in_progress": "In progress",
    "next": "Next",
    "planned": "Planned",
    "not_visited": "Not visited",
}
WINDOW_LABELS = {
    "safe_contact": "Safe-contact time",
    "availability": "She said she is available",
    "custody": "Before the suspect's expected release",
    "appointment": "A discreet contact window",
}
NO_CALL_METHODS = ("in_person", "idva", "email")
"""Safe-contact methods under which the team must not phone her (no call link is offered)."""


@dataclass(frozen=True)
class RouteWindow:
    label: str
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class RouteStop:
    """One stop of a route as the team works it: where, when, how to contact her safely, the
    flags that change how to approach, the visit to record and how far it has got.

    ``tel`` is only ever the victim's safe number (digits and a leading +), empty when she has
    none or must not be phoned; ``geo`` a ``geo:`` URI of where to meet her; ``meeting_place``
    the appointment's place, for health roles only."""

    stop: PlannedStop
    status: str
    visit: Visit | None
    tel: str
    geo: str
    windows: tuple[RouteWindow, ...]
    custody: CustodyEpisode | None
    discreet: bool
    meeting_place: str

    @property
    def status_label(self) -> str:
        return ROUTE_STATUS_LABELS[self.status]

    @property
    def victim(self) -> Any:
        return self.stop.investigation.victim


@dataclass(frozen=True)
class Route:
    shift: Shift
    plan: Plan
    stops: tuple[RouteStop, ...]
    ended: bool

    def count(self, status: str) -> int:
        return sum(1 for s in self.stops if s.status == status)

    @property
    def done(self) -> int:
        return self.count("done")

    @property
    def attempted(self) -> int:
        return self.count("attempted")

    @property
    def to_go(self) -> int:
        return len(self.stops) - self.done - self.attempted


def route_for(*, user: User, shift: Shift, plan: Plan, as_of: dt.datetime) -> Route:
    """The stops of ``plan`` for the joint team at ``as_of``: each marked done (a finished
    visit she engaged in), attempted (finished without contact: declined, no contact, unsafe),
    in progress (arrived, not finished), next (the first still to do), planned, or — once the
    shift has ended — not visited.

    Health-side detail (where a discreet appointment is) reaches health roles only, through
    :func:`provide.health.selectors.appointment_windows_for`, which checks and audits; police
    roles see that a discreet window exists and its times, nothing more.
    """
    stops = list(plan.stops.all())
    visits = _route_visits(shift, [s.investigation_id for s in stops])
    custody = _route_custody([s.investigation.suspect_id for s in stops])
    places = _meeting_places(user, shift, stops)
    ended = as_of > shift.ends_at
    route_stops = []
    next_given = False
    for stop in stops:
        visit = visits.get(stop.investigation_id)
        status = _visit_status(visit)
        if status is None:
            if ended:
                status = "not_visited"
            elif not next_given:
                status, next_given = "next", True
            else:
                status = "planned"
        victim = stop.investigation.victim
        discreet = stop.discreet_appointment_id is not None
        route_stops.append(
            RouteStop(
                stop=stop,
                status=status,
                visit=visit,
                tel=_safe_tel(victim),
                geo=_geo(stop, victim, discreet=discreet, health=bool(places)),
                windows=_route_windows(stop),
                custody=custody.get(stop.investigation.suspect_id),
                discreet=discreet,
                meeting_place=places.get(stop.pk, ""),
            )
        )
    return Route(shift=shift, plan=plan, stops=tuple(route_stops), ended=ended)


def _visit_status(visit: Visit | None) -> str | None:
    if visit is None or visit.record_status == Visit.RecordStatus.PLANNED:
        return None
    if visit.record_status == Visit.RecordStatus.DRAFT:
        return "in_progress" if visit.arrived_at else None
    return "done" if visit.contact_result == Visit.ContactResult.ENGAGED else "attempted"


def _route_visits(shift: Shift, investigation_ids: list[int]) -> dict[int, Visit]:
    """The visit of each investigation on ``shift`` (or started without a shift during it),
    the furthest along first: finished, then arrived, then planned."""
    visits = Visit.objects.filter(investigation_id__in=investigation_ids).filter(
        Q(shift=shift)
        | Q(shift__isnull=True, arrived_at__gte=shift.starts_at, arrived_at__lte=shift.ends_at)
    )
    rank: dict[str, int] = {Visit.RecordStatus.COMPLETE: 0, Visit.RecordStatus.DRAFT: 1}
    found: dict[int, Visit] = {}
    for visit in sorted(visits, key=lambda v: (rank.get(v.record_status, 2), -v.pk)):
        if visit.investigation_id is not None:
            found.setdefault(visit.investigation_id, visit)
    return found


def _route_custody(suspect_ids: list[int | None]) -> dict[int | None, CustodyEpisode]:
    episodes = CustodyEpisode.objects.filter(
        suspect_id__in=[pk for pk in suspect_ids if pk],
        status=CustodyEpisode.Status.IN_CUSTODY,
        released_at__isnull=True,
    ).order_by("arrested_at")
    return {episode.suspect_id: episode for episode in episodes}


def _meeting_places(user: User, shift: Shift, stops: list[PlannedStop]) -> dict[int, str]:
    """Where each discreet window is, for health roles (an audited health-side read)."""
    discreet = [s for s in stops if s.discreet_appointment_id is not None]
    if not discreet or not can_view_health_field(user):
        return {}
    windows = appointment_windows_for(
        user=user,
        person_ids=[s.investigation.victim.public_id for s in discreet],
        start=shift.starts_at,
        end=shift.ends_at,
    )
    places = {}
    for stop in discreet:
        start = stop.planned_start_at or stop.planned_arrival_at
        place = next(
            (
                w.location_name
                for w in windows
                if w.person_id == stop.investigation.victim.public_id
                and w.starts_at <= start < w.ends_at
            ),
            "",
        )
        places[stop.pk] = place or "the appointment"
    return places


def _safe_tel(victim: Any) -> str:
    """A ``tel:`` number from the victim's safe number only: empty when she has none or her
    safe-contact method says not to phone."""
    if victim.safe_contact_method in NO_CALL_METHODS:
        return ""
    number = "".join(ch for ch in victim.safe_phone if ch.isdigit() or ch == "+")
    return number if sum(ch.isdigit() for ch in number) >= 3 else ""


def _geo(stop: PlannedStop, victim: Any, *, discreet: bool, health: bool) -> str:
    if discreet:
        if not health or stop.place_latitude is None or stop.place_longitude is None:
            return ""  # where a health appointment is stays on the health side
        return f"geo:{stop.place_latitude:.6f},{stop.place_longitude:.6f}"
    if victim.latitude is None or victim.longitude is None:
        return ""
    return f"geo:{victim.latitude:.6f},{victim.longitude:.6f}"


def _route_windows(stop: PlannedStop) -> tuple[RouteWindow, ...]:
    windows = []
    for window in stop.windows or []:
        try:
            starts_at = dt.datetime.fromisoformat(window["start"])
            ends_at = dt.datetime.fromisoformat(window["end"])
        except (KeyError, TypeError, ValueError):
            continue
        label = WINDOW_LABELS.get(window.get("source", ""), "Time window")
        windows.append(RouteWindow(label=label, starts_at=starts_at, ends_at=ends_at))
    return tuple(windows)


def plan_job_get_for(*, user: User, job_id: object) -> PlanJob:
    """A planning job the user may see (planners and plan viewers, in their BCU)."""
    if not user.has_perm("planning.view_plan"):
        raise PermissionDenied
    jobs = PlanJob.objects.select_related("bcu", "requested_by").prefetch_related(
        "plans__shift__team"
    )
    bcu = bcu_scope(user)
    if bcu is not None:
        jobs = jobs.filter(bcu=bcu)
    return get_by_public_id(jobs, str(job_id))
