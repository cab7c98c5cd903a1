"""Planning a shift from accepted triage cases: routes, reasons, versions, hand changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.areas.models import Area, Station
from provide.cases.models import Case
from provide.cases.services import case_decided
from provide.core.cases import AttemptRules
from provide.intake.models import CustodyEpisode, Investigation
from provide.people.models import Person
from provide.planning import services
from provide.planning.models import Plan, Shift, Team
from provide.planning.timeline import timeline_rows
from provide.triage.models import TriageDecision
from provide.triage.services import triage_policy_ensure_default
from tests.audit_assertions import assert_audited

DAY = dt.date(2026, 3, 10)


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, 10, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def west_shift(areas: dict[str, Area]) -> Shift:
    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West A", bcu=areas["west"], base=base, vehicle="PV1")
    return Shift.objects.create(
        team=team,
        on_date=DAY,
        pattern="early",
        starts_at=_at(7),
        ends_at=_at(15),
        officer_name="PC Jones",
        idva_name="Sam IDVA",
    )


def _accepted_case(
    areas: dict[str, Area],
    n: int,
    *,
    score: float = 50,
    lat_offset: float = 0.0,
    decision: str = TriageDecision.Decision.JOINT_VISIT_POST,
) -> TriageDecision:
    victim = Person.objects.create(
        force_person_ref=f"PV{n}",
        given_name="Victim",
        family_name=f"Number{n}",
        latitude=53.81 + lat_offset,
        longitude=-3.04 + n * 0.005,
        postcode=f"FY1 {n}AA",
        synthetic=True,
    )
    suspect = Person.objects.create(
        force_person_ref=f"PS{n}", family_name=f"Suspect{n}", synthetic=True
    )
    investigation = Investigation.objects.create(
        investigation_ref=f"WB/2026/{n:06d}",
        recorded_at=_at(1),
        first_police_visit_at=_at(2),
        bcu=areas["west"],
        victim=victim,
        suspect=suspect,
        risk_grade="high",
    )
    record = TriageDecision.objects.create(
        investigation=investigation,
        policy=triage_policy_ensure_default(),
        decision=decision,
        priority_score=score,
        due_by=_at(2) + dt.timedelta(hours=24),
        decided_at=_at(6, 30),
    )
    case_decided(
        user=None,
        investigation=investigation,
        decision=decision,
        reason="test",
        rules=AttemptRules(),
        at=_at(6, 30),
    )
    return record


@pytest.mark.django_db
def test_planning_routes_accepted_cases_with_times_and_a_version(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decisions = [_accepted_case(areas, n) for n in range(1, 5)]
    plans = services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))
    plan = plans[0]
    assert plan.version == 1 and plan.status == Plan.Status.CURRENT
    stops = list(plan.stops.order_by("sequence"))
    assert len(stops) == 4
    assert all(west_shift.starts_at <= s.planned_arrival_at <= west_shift.ends_at for s in stops)
    assert [s.planned_arrival_at for s in stops] == sorted(s.planned_arrival_at for s in stops)
    assert set(Case.objects.values_list("state", flat=True)) == {"planned"}
    assert {s.triage_decision_id for s in stops} == {d.id for d in decisions}
    assert_audited(
        "planning.plan_made", action="create", actor=personas["triage_sergeant"], subject=plan
    )
    assert len(timeline_rows(west_shift, plan)) == 4


@pytest.mark.django_db
def test_a_case_whose_suspect_is_released_before_the_shift_is_left_out_with_a_reason(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decision = _accepted_case(areas, 1, lat_offset=0.6)  # about an hour and a half away
    CustodyEpisode.objects.create(
        custody_ref="C1",
        suspect=decision.investigation.suspect,
        investigation=decision.investigation,
        arrested_at=_at(3),
        expected_release_at=_at(8),
    )
    plan = services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))[0]
    assert plan.stops.count() == 0
    left = plan.left_out.get()
    assert "release" in left.reason


@pytest.mark.django_db
def test_replanning_keeps_the_history(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    sergeant = personas["triage_sergeant"]
    services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7))
    services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7), trigger=Plan.Trigger.REPLAN)
    assert list(west_shift.plans.order_by("version").values_list("version", "status")) == [
        (1, "superseded"),
        (2, "current"),
    ]


@pytest.mark.django_db
def test_live_incident_is_planned_from_the_teams_current_position(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in range(1, 4):
        _accepted_case(areas, n)
    sergeant = personas["triage_sergeant"]
    first = services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7))[0]
    reached = first.stops.order_by("sequence").first()
    live = _accepted_case(areas, 9, score=5, decision=TriageDecision.Decision.JOINT_VISIT_LIVE)
    now = reached.planned_arrival_at + dt.timedelta(minutes=5)
    plan = services.plan_insert_live(user=sergeant, shifts=[west_shift], decision=live, as_of=now)[
        0
    ]
    stops = list(plan.stops.order_by("sequence"))
    assert stops[0].investigation_id == reached.investigation_id  # the visit under way is kept
    assert live.investigation_id in {s.investigation_id for s in stops}
    assert all(s.planned_arrival_at >= now for s in stops[1:])
    assert plan.trigger == Plan.Trigger.LIVE_INCIDENT


@pytest.mark.django_db
def test_moving_a_stop_makes_a_new_version_or_is_refused_with_reasons(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in range(1, 4):
        _accepted_case(areas, n)
    sergeant = personas["triage_sergeant"]
    plan = services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7))[0]
    first, second = list(plan.stops.order_by("sequence"))[:2]
    moved = services.plan_move_stop(user=sergeant, plan=plan, stop=first, offset=1)
    assert list(moved.stops.order_by("sequence").values_list("investigation_id", flat=True))[
        :2
    ] == [second.investigation_id, first.investigation_id]
    with pytest.raises(services.PlanChangeRefused, match="already at that end"):
        services.plan_move_stop(
            user=sergeant, plan=moved, stop=moved.stops.order_by("sequence").first(), offset=-1
        )


@pytest.mark.django_db
def test_plans_give_the_joint_team_planned_visits_to_record(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    from provide.visits.models import Visit

    for n in range(1, 3):
        _accepted_case(areas, n)
    sergeant = personas["triage_sergeant"]
    plan = services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7))[0]
    visits = Visit.objects.filter(shift=west_shift, record_status=Visit.RecordStatus.PLANNED)
    assert sorted(v.planned_at for v in visits) == sorted(
        s.planned_arrival_at for s in plan.stops.all()
    )
    services.plan_run(user=sergeant, shifts=[west_shift], as_of=_at(7), trigger=Plan.Trigger.REPLAN)
    assert Visit.objects.filter(shift=west_shift).count() == 2  # re-planning does not duplicate
