"""A realistic re-plan on the demo data: two West teams on the early shift, a high-risk live
incident raised mid-morning goes next for the team that can reach it soonest, and every
must-attend victim is either planned or named with the reason in words."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.accounts.models import User
from provide.accounts.roles import ROLES_BY_SLUG
from provide.areas.models import Station
from provide.cases.incidents import IncidentDetails, VictimDetails, incident_raise
from provide.core.planning import Location
from provide.core.planning.travel import estimate_minutes
from provide.demo.services import demo_data_load
from provide.planning import mapping, services
from provide.planning.models import Plan, PlannedStop, Shift, Team
from provide.triage.models import TriageDecision
from provide.triage.services import triage_decision_record

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)
LIVE_AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _user(slug: str) -> User:
    return User.objects.filter(
        groups__name=ROLES_BY_SLUG[slug].name, bcu__name="West"
    ).first() or User.objects.get(groups__name=ROLES_BY_SLUG[slug].name, bcu__isnull=True)


@pytest.fixture
def early_shifts() -> list[Shift]:
    """The demo's West early shift, and a second team from another West station."""
    demo_data_load(end_on=DAY, days=3, seed=7, bcus=("West",), password="demo-password-123")
    first = Shift.objects.select_related("team__base").get(on_date=DAY, pattern="early")
    other_base = Station.objects.filter(bcu=first.team.bcu).exclude(pk=first.team.base_id).first()
    assert other_base is not None, "the demo's West BCU has more than one station"
    second = Team.objects.create(
        name="West early cover", bcu=first.team.bcu, base=other_base, vehicle="PV9"
    )
    Shift.objects.create(
        team=second, on_date=DAY, pattern="early", starts_at=first.starts_at, ends_at=first.ends_at
    )
    return list(Shift.objects.select_related("team__base").filter(on_date=DAY, pattern="early"))


def _position(shift: Shift, as_of: dt.datetime) -> tuple[Location, dt.datetime]:
    """Where the team is at ``as_of`` by its current plan, and when it is free to leave."""
    done = [
        s
        for s in PlannedStop.objects.filter(plan__shift=shift, plan__status=Plan.Status.CURRENT)
        .select_related("investigation__victim")
        .order_by("sequence")
        if s.planned_arrival_at <= as_of
    ]
    if not done:
        return Location(shift.team.base.latitude, shift.team.base.longitude), as_of
    victim = done[-1].investigation.victim
    assert victim.latitude is not None and victim.longitude is not None
    return Location(victim.latitude, victim.longitude), max(as_of, done[-1].planned_departure_at)


def test_a_live_incident_goes_next_for_the_team_that_can_reach_it_soonest(
    early_shifts: list[Shift],
) -> None:
    sergeant = _user("triage_sergeant")
    services.plan_run(user=sergeant, shifts=early_shifts, as_of=early_shifts[0].starts_at)
    # Given a high-risk live incident raised at 09:30 and accepted as a live joint visit
    case = incident_raise(
        user=_user("response_officer"),
        now=LIVE_AT,
        details=IncidentDetails(
            bcu_name="West",
            occurred_at=LIVE_AT,
            risk_grade="high",
            latitude=53.84,
            longitude=-3.02,
            victim=VictimDetails(first_name="Ann", last_name="Example", postcode="FY1 1AA"),
        ),
    )
    decision = triage_decision_record(
        user=sergeant,
        investigation_id=case.investigation.public_id,
        decision=TriageDecision.Decision.JOINT_VISIT_LIVE,
        as_of=LIVE_AT,
    )
    as_of = LIVE_AT + dt.timedelta(minutes=5)
    positions = {shift.id: _position(shift, as_of) for shift in early_shifts}
    # When the sergeant re-plans every team around it
    plans = services.plan_insert_live(
        user=sergeant, shifts=early_shifts, decision=decision, as_of=as_of
    )
    # Then one team holds it, as its next visit, reached within the slack of the soonest any team could
    (holding,) = [p for p in plans if p.stops.filter(triage_decision=decision).exists()]
    ahead = [s for s in holding.stops.order_by("sequence") if s.planned_arrival_at > as_of]
    assert ahead[0].triage_decision_id == decision.id
    place = Location(53.84, -3.02)
    soonest = min(
        free + dt.timedelta(minutes=estimate_minutes(where, place))
        for where, free in positions.values()
    )
    started = ahead[0].planned_start_at or ahead[0].planned_arrival_at
    assert started <= soonest + dt.timedelta(minutes=mapping.LIVE_SLACK_MINUTES)
    # And every must-attend victim is planned, or named with the reason in words
    planned = {s.triage_decision_id for p in plans for s in p.stops.all()}
    for plan in plans:
        for left in plan.left_out.select_related("investigation"):
            if left.investigation.risk_grade == "high":
                assert left.reason.startswith(mapping.MUST_ATTEND_PREFIX), left.reason
            assert left.triage_decision_id not in planned
