"""The shift-plan pages: the sergeant plans, re-plans, adds a live incident and changes the
order by hand; the joint team follows the plan and the run sheet on a phone.

``west_shift`` (West A, 07:00-15:00 on ``DAY``) comes from conftest.py; each plan here is a
few visits, which the planner settles at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from provide.areas.models import Area, Station
from provide.planning import services
from provide.planning.models import Plan, PlannedStop, Shift, Team
from provide.triage.models import TriageDecision
from tests.audit_assertions import assert_audited
from tests.planning.test_services import DAY, _accepted_case, _at

pytestmark = pytest.mark.django_db
LIVE = TriageDecision.Decision.JOINT_VISIT_LIVE


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plan(personas: dict[str, Any], shift: Shift) -> Plan:
    return services.plan_run(user=personas["triage_sergeant"], shifts=[shift], as_of=_at(7))[0]


def _shift_url(name: str, shift: Shift, *args: Any) -> str:
    return reverse(f"planning:{name}", args=[shift.public_id, *args])


def _east_shift(areas: dict[str, Area]) -> Shift:
    base = Station.objects.create(
        name="Burnley Police Station", bcu=areas["east"], latitude=53.79, longitude=-2.24
    )
    team = Team.objects.create(name="East A", bcu=areas["east"], base=base)
    return Shift.objects.create(
        team=team, on_date=DAY, pattern="early", starts_at=_at(7), ends_at=_at(15)
    )


def test_only_planners_may_plan(personas: dict[str, Any], west_shift: Shift) -> None:
    client = Client()
    client.force_login(personas["joint_team_officer"])
    response = client.post(
        reverse("planning:plan-run"), {"on_date": DAY.isoformat(), "pattern": "early"}
    )
    assert response.status_code == 403


def test_sergeant_plans_in_the_browser_and_the_team_sees_it(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    sergeant = Client()
    sergeant.force_login(personas["triage_sergeant"])
    page = sergeant.get(reverse("planning:index"), {"date": DAY.isoformat()})
    assert "Plan the early" in page.content.decode()
    sergeant.post(reverse("planning:plan-run"), {"on_date": DAY.isoformat(), "pattern": "early"})
    officer = Client()
    officer.force_login(personas["joint_team_officer"])
    html = officer.get(reverse("planning:shift-plan", args=[west_shift.public_id])).content.decode()
    assert "Victim Number1" in html and "WB/2026/000001" in html
    assert "Earlier" not in html  # the team follows the plan; the sergeant changes it
    sheet = officer.get(reverse("planning:run-sheet", args=[west_shift.public_id])).content.decode()
    assert "FY1 1AA" in sheet


def test_the_index_shows_the_chosen_days_shifts_with_the_days_either_side(
    personas: dict[str, Any], west_shift: Shift
) -> None:
    response = _client(personas["joint_team_officer"]).get(
        reverse("planning:index"), {"date": DAY.isoformat()}
    )
    html = response.content.decode()
    assert response.context["rows"] == [(west_shift, None)]
    assert 'href="?date=2026-03-09"' in html and 'href="?date=2026-03-11"' in html
    assert "Plan the early" not in html, "the joint team follows plans; only planners make them"


def test_an_unreadable_date_shows_today(personas: dict[str, Any], west_shift: Shift) -> None:
    with time_machine.travel(_at(9), tick=False):
        response = _client(personas["triage_sergeant"]).get(
            reverse("planning:index"), {"date": "10/03/2026"}
        )
    assert response.context["on_date"] == DAY and response.context["rows"] == [(west_shift, None)]


def test_the_early_shift_is_offered_before_the_late_one(
    personas: dict[str, Any], west_shift: Shift
) -> None:
    team = Team.objects.create(name="West Z", bcu=west_shift.team.bcu, base=west_shift.team.base)
    Shift.objects.create(team=team, on_date=DAY, pattern="late", starts_at=_at(6), ends_at=_at(14))
    response = _client(personas["triage_sergeant"]).get(
        reverse("planning:index"), {"date": DAY.isoformat()}
    )
    assert [p for p, _ in response.context["patterns"]] == ["early", "late"]


def test_roles_without_plans_cannot_open_the_plan_pages(
    personas: dict[str, Any], west_shift: Shift
) -> None:
    analyst = _client(personas["analyst"])
    assert analyst.get(reverse("planning:index")).status_code == 403
    assert analyst.get(reverse("planning:my-shift")).status_code == 403
    assert analyst.get(_shift_url("shift-plan", west_shift)).status_code == 404


def test_a_shift_outside_the_users_bcu_is_not_found(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    east = _east_shift(areas)
    sergeant = _client(personas["triage_sergeant"])
    for name in ("shift-plan", "run-sheet"):
        assert sergeant.get(_shift_url(name, east)).status_code == 404
    assert sergeant.post(_shift_url("live-incident", east), {}).status_code == 404


def test_planning_from_the_index_says_how_many_teams_and_returns_to_the_day(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    sergeant = _client(personas["triage_sergeant"])
    form = {"on_date": DAY.isoformat(), "pattern": "early"}
    response = sergeant.post(reverse("planning:plan-run"), form, follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('planning:index')}?date=2026-03-10"
    assert "Planned 1 team" in response.content.decode()
    assert "Planned 1 teams" not in response.content.decode()
    sergeant.post(reverse("planning:plan-run"), form)
    assert list(west_shift.plans.order_by("version").values_list("trigger", flat=True)) == [
        Plan.Trigger.START_OF_SHIFT,
        Plan.Trigger.REPLAN,
    ]


def test_a_plan_request_without_a_day_or_shift_plans_nothing(
    personas: dict[str, Any], west_shift: Shift
) -> None:
    sergeant = _client(personas["triage_sergeant"])
    response = sergeant.post(reverse("planning:plan-run"), {"pattern": "night"}, follow=True)
    assert response.redirect_chain[0][0] == reverse("planning:index")
    assert "Choose a day and a shift to plan" in response.content.decode()
    assert not Plan.objects.exists()
    assert sergeant.get(reverse("planning:plan-run")).status_code == 405


def test_a_planner_without_a_bcu_plans_one_bcu_at_a_time(
    make_user: Any, areas: dict[str, Area], west_shift: Shift
) -> None:
    east = _east_shift(areas)  # starts at the same time; "East A" sorts before "West A"
    sergeant = _client(make_user("triage_sergeant", bcu=None, username="force.sergeant"))
    response = sergeant.post(
        reverse("planning:plan-run"), {"on_date": DAY.isoformat(), "pattern": "early"}, follow=True
    )
    assert "Planned 1 team" in response.content.decode()
    assert east.plans.count() == 1 and west_shift.plans.count() == 0


@pytest.mark.parametrize(
    ("now", "plan_from"),
    [(_at(5), _at(7)), (_at(9, 30), _at(9, 30)), (_at(16), _at(7))],
    ids=["before the shift", "during the shift", "after the shift"],
)
def test_a_plan_starts_now_during_the_shift_and_at_its_start_otherwise(
    now: dt.datetime,
    plan_from: dt.datetime,
    personas: dict[str, Any],
    areas: dict[str, Area],
    west_shift: Shift,
) -> None:
    _accepted_case(areas, 1)
    with time_machine.travel(now, tick=False):
        _client(personas["triage_sergeant"]).post(
            reverse("planning:plan-run"), {"on_date": DAY.isoformat(), "pattern": "early"}
        )
    assert Plan.objects.get().made_at == plan_from


def test_the_plan_page_lists_the_versions_and_the_live_incidents_waiting(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    live = _accepted_case(areas, 2, decision=LIVE)
    _plan(personas, west_shift)
    response = _client(personas["triage_sergeant"]).get(_shift_url("shift-plan", west_shift))
    html = response.content.decode()
    assert response.context["plan"] == west_shift.plans.get()
    assert "Version 1 · Current · Planned for the shift" in html
    assert f'<option value="{live.public_id}">WB/2026/000002' in html
    assert ">Earlier<span" in html and ">Pin<span" in html, "the sergeant's controls"


def test_adding_a_live_incident_replans_every_team_on_that_shift(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    _plan(personas, west_shift)
    live = _accepted_case(areas, 2, decision=LIVE)
    with time_machine.travel(_at(8), tick=False):
        response = _client(personas["triage_sergeant"]).post(
            _shift_url("live-incident", west_shift), {"decision": str(live.public_id)}, follow=True
        )
    assert response.redirect_chain[0][0] == _shift_url("shift-plan", west_shift)
    assert "Re-planned for live incident WB/2026/000002" in response.content.decode()
    plan = west_shift.plans.get(status=Plan.Status.CURRENT)
    assert plan.trigger == Plan.Trigger.LIVE_INCIDENT and plan.made_at == _at(8)
    assert live.investigation_id in set(plan.stops.values_list("investigation_id", flat=True))


@pytest.mark.parametrize("posted", [{}, {"decision": "not-a-uuid"}, {"decision": "unknown"}])
def test_a_live_incident_that_is_not_waiting_is_refused_on_the_form(
    posted: dict[str, str], personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    post = _accepted_case(areas, 1)  # accepted, but not a live incident
    _accepted_case(areas, 2, decision=LIVE)  # the one live incident waiting
    if posted.get("decision") == "unknown":
        posted = {"decision": str(post.public_id)}
    response = _client(personas["triage_sergeant"]).post(
        _shift_url("live-incident", west_shift), posted
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert '<p id="id_decision-error" class="govuk-error-message">' in html
    assert "Choose the live incident to add" in html
    assert not Plan.objects.exists()


def test_moving_a_stop_later_makes_a_new_version_and_the_first_cannot_go_earlier(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in (1, 2):
        _accepted_case(areas, n)
    plan = _plan(personas, west_shift)
    first, second = plan.stops.order_by("sequence")
    sergeant = _client(personas["triage_sergeant"])
    response = sergeant.post(
        _shift_url("stop-move", west_shift, first.public_id), {"direction": "later"}, follow=True
    )
    assert f"Moved {first.investigation.investigation_ref}" in response.content.decode()
    moved = west_shift.plans.get(status=Plan.Status.CURRENT)
    assert moved.version == 2 and moved.trigger == Plan.Trigger.MANUAL
    assert list(moved.stops.order_by("sequence").values_list("investigation_id", flat=True)) == [
        second.investigation_id,
        first.investigation_id,
    ]
    top = moved.stops.order_by("sequence").first()
    response = sergeant.post(
        _shift_url("stop-move", west_shift, top.public_id), {"direction": "earlier"}, follow=True
    )
    assert (
        "That order does not work: the visit is already at that end of the route"
        in response.content.decode()
    )
    assert west_shift.plans.count() == 2


def test_a_stop_of_an_old_version_or_without_a_plan_is_not_found(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    sergeant = _client(personas["triage_sergeant"])
    missing = "00000000-0000-0000-0000-000000000000"
    assert sergeant.post(_shift_url("stop-move", west_shift, missing)).status_code == 404
    assert sergeant.post(_shift_url("stop-pin", west_shift, missing)).status_code == 404
    _accepted_case(areas, 1)
    old = _plan(personas, west_shift).stops.get()
    _plan(personas, west_shift)
    assert sergeant.post(_shift_url("stop-pin", west_shift, old.public_id)).status_code == 404
    assert sergeant.get(_shift_url("stop-pin", west_shift, old.public_id)).status_code == 405


def test_the_team_cannot_change_the_order_or_pin(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    stop = _plan(personas, west_shift).stops.get()
    officer = _client(personas["joint_team_officer"])
    assert officer.post(_shift_url("stop-pin", west_shift, stop.public_id)).status_code == 403
    assert officer.post(_shift_url("stop-move", west_shift, stop.public_id)).status_code == 403
    stop.refresh_from_db()
    assert stop.pinned is False and west_shift.plans.count() == 1


def test_pinning_a_stop_and_unpinning_it_again(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = _plan(personas, west_shift)
    stop = plan.stops.get()
    sergeant = _client(personas["triage_sergeant"])
    url = _shift_url("stop-pin", west_shift, stop.public_id)
    assert "Pinned WB/2026/000001" in sergeant.post(url, follow=True).content.decode()
    stop.refresh_from_db()
    assert stop.pinned is True
    assert_audited("planning.stop_pinned", action="update", subject=plan)
    assert "Unpinned WB/2026/000001" in sergeant.post(url, follow=True).content.decode()
    stop.refresh_from_db()
    assert stop.pinned is False


def test_my_shift_shows_the_users_own_shift_when_they_are_on_one(
    personas: dict[str, Any], make_user: Any, areas: dict[str, Area], west_shift: Shift
) -> None:
    officer = personas["joint_team_officer"]
    team = Team.objects.create(name="West B", bcu=areas["west"], base=west_shift.team.base)
    other = Shift.objects.create(
        team=team, on_date=DAY, pattern="late", starts_at=_at(14), ends_at=_at(22)
    )
    with time_machine.travel(_at(9), tick=False):
        everyone = _client(officer).get(reverse("planning:my-shift"))
        assert [shift for shift, _ in everyone.context["rows"]] == [west_shift], (
            "not on a shift: the shifts on now"
        )
        other.officer = officer
        other.save()
        own = _client(officer).get(reverse("planning:my-shift"))
    assert [shift for shift, _ in own.context["rows"]] == [other], "the user's own shift"
    assert own.context["today"] == DAY


def test_my_shift_shows_every_shift_of_the_day_when_none_is_on(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = _plan(personas, west_shift)
    with time_machine.travel(_at(5), tick=False):
        response = _client(personas["health_idva"]).get(reverse("planning:my-shift"))
    assert response.context["rows"] == [(west_shift, plan)]
    assert "WB/2026/000001" in response.content.decode()
    assert PlannedStop.objects.filter(plan=plan).count() == 1
