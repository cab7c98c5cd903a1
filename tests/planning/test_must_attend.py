"""Must-attend victims and live incidents in the plan: high risk first where reachable, the reason in
plain words where not, and a live incident next for the team that can reach it soonest."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.areas.models import Area, Station
from provide.planning import services
from provide.planning.models import Plan, Shift, Team
from provide.triage.models import TriageDecision
from tests.planning.test_services import DAY, _accepted_case, _at

pytestmark = pytest.mark.django_db


@pytest.fixture
def short_shift(areas: dict[str, Area]) -> Shift:
    """A two-hour shift: room for about two visits."""
    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West A", bcu=areas["west"], base=base, vehicle="PV1")
    return Shift.objects.create(
        team=team, on_date=DAY, pattern="early", starts_at=_at(7), ends_at=_at(9)
    )


def _grade(decision: TriageDecision, grade: str) -> TriageDecision:
    decision.investigation.risk_grade = grade
    decision.investigation.save(update_fields=["risk_grade"])
    return decision


def test_a_high_risk_victim_is_planned_before_two_higher_scoring_standard_cases(
    personas: dict[str, Any], areas: dict[str, Area], short_shift: Shift
) -> None:
    high = _accepted_case(areas, 1, score=40, lat_offset=0.02)
    standards = [_grade(_accepted_case(areas, n, score=90), "standard") for n in (2, 3)]
    plan = services.plan_run(user=personas["triage_sergeant"], shifts=[short_shift], as_of=_at(7))[
        0
    ]
    planned = set(plan.stops.values_list("triage_decision_id", flat=True))
    assert high.id in planned, "the must-attend high-risk victim was dropped for lower-risk visits"
    assert len(planned) < 3 and any(d.id not in planned for d in standards)


def test_a_must_attend_victim_no_team_can_reach_is_named_with_the_reason(
    personas: dict[str, Any], areas: dict[str, Area], short_shift: Shift
) -> None:
    far = _accepted_case(areas, 1, score=40, lat_offset=1.5)  # about 170 km north
    plan = services.plan_run(user=personas["triage_sergeant"], shifts=[short_shift], as_of=_at(7))[
        0
    ]
    left = plan.left_out.get(triage_decision=far)
    assert re.fullmatch(
        r"Must attend, not planned: Cannot be reached before the shift ends: "
        r"\d h \d+ min away and the shift ends at 09:00",
        left.reason,
    ), left.reason
    assert plan.solver_stats["status"] == "mandatory_left_out"


def test_the_plan_page_lists_must_attend_victims_not_planned_above_the_other_cases_left_out(
    personas: dict[str, Any], areas: dict[str, Area], short_shift: Shift
) -> None:
    # Given a high-risk victim no team can reach and more standard-risk cases than the shift holds
    far = _accepted_case(areas, 1, score=40, lat_offset=1.5)
    standards = [_grade(_accepted_case(areas, n, score=30), "standard") for n in (2, 3, 4)]
    services.plan_run(user=personas["triage_sergeant"], shifts=[short_shift], as_of=_at(7))
    # When the sergeant opens the shift's plan
    client = Client()
    client.force_login(personas["triage_sergeant"])
    page = client.get(reverse("planning:shift-plan", args=[short_shift.public_id])).content.decode()
    # Then the must-attend victim comes first, with the reason in words and without the marker
    not_planned = page[page.index(">Not planned</h2>") : page.index(">Live incident</h2>")]
    left_standard = [
        not_planned.index(d.investigation.investigation_ref)
        for d in standards
        if d.investigation.investigation_ref in not_planned
    ]
    assert left_standard, "the shift holds only some of the standard-risk cases"
    assert (
        not_planned.index("Must-attend victims not planned")
        < not_planned.index(far.investigation.investigation_ref)
        < min(left_standard)
    )
    assert "high risk): Cannot be reached before the shift ends" in page
    assert "Must attend, not planned" not in page
    index = client.get(reverse("planning:index") + f"?date={DAY:%Y-%m-%d}").content.decode()
    assert "Must-attend victim not planned" in index


def test_a_live_incident_goes_next_for_the_team_that_can_reach_it_soonest(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    base = Station.objects.get(name="Blackpool Police HQ")
    far_base = Station.objects.create(
        name="Lancaster", bcu=areas["west"], latitude=54.05, longitude=-2.80
    )
    Shift.objects.create(
        team=Team.objects.create(name="Near", bcu=areas["west"], base=base, vehicle="A"),
        on_date=DAY,
        pattern="early",
        starts_at=_at(7),
        ends_at=_at(15),
    )
    Shift.objects.create(
        team=Team.objects.create(name="Far", bcu=areas["west"], base=far_base, vehicle="B"),
        on_date=DAY,
        pattern="early",
        starts_at=_at(7),
        ends_at=_at(15),
    )
    for n in range(1, 9):
        _grade(_accepted_case(areas, n, score=80), "standard")
    sergeant = personas["triage_sergeant"]
    services.plan_run(user=sergeant, shifts=list(Shift.objects.all()), as_of=_at(7))
    live = _grade(
        _accepted_case(
            areas,
            9,
            score=5,
            lat_offset=0.09,  # 10 km out: not on the way
            decision=TriageDecision.Decision.JOINT_VISIT_LIVE,
        ),
        "medium",
    )
    plans = services.plan_insert_live(
        user=sergeant, shifts=list(Shift.objects.all()), decision=live, as_of=_at(8)
    )
    holding = [p for p in plans if p.stops.filter(triage_decision=live).exists()]
    assert len(holding) == 1, "the live incident must be in exactly one team's plan"
    after_now = [s for s in holding[0].stops.order_by("sequence") if s.planned_arrival_at >= _at(8)]
    assert after_now[0].triage_decision_id == live.id, (
        "the live incident must be that team's next visit"
    )
    others_after = sum(1 for p in plans for s in p.stops.all() if s.planned_arrival_at >= _at(8))
    assert others_after >= 3, "the teams should still have other visits to make after 08:00"
    assert all(p.trigger == Plan.Trigger.LIVE_INCIDENT for p in plans)


def test_when_a_live_incident_leaves_no_time_for_a_must_attend_victim_the_plan_says_so(
    personas: dict[str, Any], areas: dict[str, Area], short_shift: Shift
) -> None:
    # Given a two-hour shift planned around one high-risk victim
    high = _accepted_case(areas, 1, score=60, lat_offset=0.02)
    sergeant = personas["triage_sergeant"]
    services.plan_run(user=sergeant, shifts=[short_shift], as_of=_at(7))
    # When a live incident 10 km away is added before the team sets out: both do not fit
    live = _grade(
        _accepted_case(
            areas, 2, score=5, lat_offset=0.09, decision=TriageDecision.Decision.JOINT_VISIT_LIVE
        ),
        "medium",
    )
    plan = services.plan_insert_live(
        user=sergeant, shifts=[short_shift], decision=live, as_of=_at(7)
    )[0]
    # Then the live incident goes first and the high-risk victim is named with the trade-off
    assert [s.triage_decision_id for s in plan.stops.order_by("sequence")] == [live.id]
    left = plan.left_out.get(triage_decision=high)
    assert re.fullmatch(
        r"Must attend, not planned: A team could reach her \(\d+ min away\), but the shift's "
        r"time is taken by a live incident: ask for another team or move a visit",
        left.reason,
    ), left.reason
