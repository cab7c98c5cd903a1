"""The shift-plan pages: the sergeant plans, re-plans, adds a live incident and changes the
order by hand; the joint team follows the plan and the run sheet on a phone.

``west_shift`` (West A, 07:00-15:00 on ``DAY``) comes from conftest.py; each plan here is a
few visits, which the planner settles at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from provide.areas.models import Area, Station
from provide.audit.models import AuditEvent
from provide.health.models import HealthAppointment
from provide.intake.models import CustodyEpisode
from provide.planning import services
from provide.planning.models import Plan, PlanJob, PlannedStop, Shift, Team
from provide.triage.models import TriageDecision
from provide.visits.models import Visit
from tests.audit_assertions import assert_audited, assert_records_read
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
    with time_machine.travel(_at(6), tick=False):  # before the shift
        page = sergeant.get(reverse("planning:index"), {"date": DAY.isoformat()})
        assert "Plan the early" in page.content.decode()
        sergeant.post(
            reverse("planning:plan-run"), {"on_date": DAY.isoformat(), "pattern": "early"}
        )
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
    with time_machine.travel(_at(5), tick=False):
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
    with time_machine.travel(_at(6), tick=False):
        response = sergeant.post(reverse("planning:plan-run"), form, follow=True)
        job = PlanJob.objects.get()
        assert response.redirect_chain[0][0] == reverse("planning:plan-job", args=[job.public_id])
        assert "1 team planned" in response.content.decode()
        assert "1 teams" not in response.content.decode()
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
    with time_machine.travel(_at(6), tick=False):
        response = sergeant.post(
            reverse("planning:plan-run"),
            {"on_date": DAY.isoformat(), "pattern": "early"},
            follow=True,
        )
    assert "1 team planned" in response.content.decode()
    assert east.plans.count() == 1 and west_shift.plans.count() == 0


@pytest.mark.parametrize(
    ("now", "plan_from"),
    [(_at(5), _at(7)), (_at(9, 30), _at(9, 30))],
    ids=["before the shift", "during the shift"],
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


def test_a_shift_that_has_ended_is_not_planned_and_the_page_says_why(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    sergeant = _client(personas["triage_sergeant"])
    with time_machine.travel(_at(16), tick=False):
        page = sergeant.get(reverse("planning:index"), {"date": DAY.isoformat()})
        assert "Plan the early" not in page.content.decode(), "no button for a shift that is over"
        response = sergeant.post(
            reverse("planning:plan-run"),
            {"on_date": DAY.isoformat(), "pattern": "early"},
            follow=True,
        )
    assert "This shift ended at 15:00 on 10 March 2026" in response.content.decode()
    assert not Plan.objects.exists() and not PlanJob.objects.exists()


def test_a_second_planner_is_shown_the_job_already_running(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    running = PlanJob.objects.create(
        bcu=areas["west"], on_date=DAY, pattern="early", trigger="start", plan_from=_at(7),
        time_limit_seconds=5, status=PlanJob.Status.RUNNING, requested_by=personas["idva_manager"],
    )  # fmt: skip
    with time_machine.travel(_at(6), tick=False):
        response = _client(personas["triage_sergeant"]).post(
            reverse("planning:plan-run"),
            {"on_date": DAY.isoformat(), "pattern": "early"},
            follow=True,
        )
    assert response.redirect_chain[0][0] == reverse("planning:plan-job", args=[running.public_id])
    assert "This shift is already being planned" in response.content.decode()
    assert not Plan.objects.exists()


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


# --- Today's route: the joint team's working screen ------------------------------------------


def _route_page(user: Any, hour: int = 9, client: Client | None = None) -> Any:
    with time_machine.travel(_at(hour), tick=False):
        return (client or _client(user)).get(reverse("planning:my-shift"))


def _planned_visit(plan: Plan, n: int) -> Visit:
    stop = plan.stops.get(sequence=n)
    return Visit.objects.get(shift=plan.shift, investigation=stop.investigation)


def _finish(visit: Visit, result: str) -> None:
    visit.arrived_at, visit.contact_result = _at(8), result
    visit.record_status = Visit.RecordStatus.COMPLETE
    visit.save()


def test_each_stop_has_its_address_safe_contact_call_map_and_record_links(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decisions = [_accepted_case(areas, n) for n in (1, 2)]
    plan = _plan(personas, west_shift)
    first = plan.stops.get(sequence=1).investigation
    victim = first.victim
    victim.address, victim.safe_phone = "1 Example Street, Blackpool", "07700 900123"
    victim.suspect_may_answer = victim.no_messages = True
    victim.safe_contact_times = "weekdays 09:00-12:00"
    victim.save()
    other = plan.stops.get(sequence=2).investigation.victim
    other.interpreter_needed, other.language = True, "Punjabi"
    other.save()
    CustodyEpisode.objects.create(
        custody_ref="C-ROUTE", suspect=first.suspect, arrested_at=_at(5),
        expected_release_at=_at(13, 30),
    )  # fmt: skip
    html = _route_page(personas["joint_team_officer"]).content.decode()
    assert "1 Example Street, Blackpool, FY1 " in html
    assert html.count('href="tel:') == 1 and 'href="tel:07700900123"' in html, (
        "one call link, to her safe number only"
    )
    assert "the suspect may answer" in html and "Leave no messages" in html
    assert "Safe times: weekdays 09:00-12:00" in html
    assert f'href="geo:{victim.latitude:.6f},{victim.longitude:.6f}"' in html
    assert "Suspect in custody" in html and "Expected release Tue 13:30" in html
    assert "Interpreter needed" in html and "Punjabi" in html
    visit = _planned_visit(plan, 1)
    assert f'href="{reverse("visits:visit-record", args=[visit.public_id])}"' in html
    assert "Plan version 1, made" in html
    assert len(decisions) == html.count("Record this visit<")
    assert_records_read(
        "planning.route_viewed",
        pages=[[stop.investigation for stop in plan.stops.order_by("sequence")]],
        actor=personas["joint_team_officer"],
    )


def test_no_call_link_when_her_safe_contact_is_not_by_phone(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = _plan(personas, west_shift)
    victim = plan.stops.get().investigation.victim
    victim.safe_phone, victim.safe_contact_method = "07700 900123", "in_person"
    victim.save()
    html = _route_page(personas["joint_team_officer"]).content.decode()
    assert "tel:" not in html and "Method: in person only" in html


def test_stops_are_marked_done_attempted_and_next_with_counts(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in (1, 2, 3, 4):
        _accepted_case(areas, n)
    plan = _plan(personas, west_shift)
    _finish(_planned_visit(plan, 1), "engaged")
    _finish(_planned_visit(plan, 2), "no_contact")
    response = _route_page(personas["joint_team_officer"])
    [(route, _)] = response.context["routes"]
    assert [s.status for s in route.stops] == ["done", "attempted", "next", "planned"]
    html = response.content.decode()
    assert "1 done</strong> · <strong>1 attempted</strong> · <strong>2 to go" in html
    assert html.count("Open the visit record") == 2 and html.count("Record this visit<") == 2


def test_stops_of_an_ended_shift_show_not_visited(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in (1, 2):
        _accepted_case(areas, n)
    plan = _plan(personas, west_shift)
    _finish(_planned_visit(plan, 1), "engaged")
    response = _route_page(personas["joint_team_officer"], hour=16)
    [(route, _)] = response.context["routes"]
    assert [s.status for s in route.stops] == ["done", "not_visited"]
    html = response.content.decode()
    assert "Not visited" in html and ">Planned<" not in html and ">Next<" not in html
    assert "1 not visited" in html and "this shift ended at 15:00" in html


def test_police_see_only_the_times_of_a_discreet_window_and_health_roles_the_place(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = _plan(personas, west_shift)
    stop = plan.stops.get()
    appointment = HealthAppointment.objects.create(
        person=stop.investigation.victim, starts_at=_at(10), ends_at=_at(10, 40),
        location_name="Blackpool Victoria Hospital", latitude=53.8213, longitude=-3.0121,
    )  # fmt: skip
    stop.discreet_appointment_id = appointment.public_id
    stop.place_latitude, stop.place_longitude = 53.8213, -3.0121
    stop.planned_arrival_at = stop.planned_start_at = _at(10)
    stop.windows = [
        {"start": _at(10).isoformat(), "end": _at(10, 40).isoformat(), "source": "appointment"}
    ]
    stop.save()
    police = _route_page(personas["joint_team_officer"]).content.decode()
    assert "A discreet contact window: 10:00–10:40" in police
    assert "Blackpool Victoria" not in police and "geo:53.821300" not in police
    assert not AuditEvent.objects.filter(event="health.appointment_window_read").exists()
    health = _route_page(personas["health_idva"]).content.decode()
    assert "Meet at Blackpool Victoria Hospital" in health
    assert 'href="geo:53.821300,-3.012100"' in health
    assert_audited(
        "health.appointment_window_read", action="view", actor=personas["health_idva"],
        subject=appointment,
    )  # fmt: skip


def test_the_route_says_when_the_plan_changed_since_it_was_last_opened(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    for n in (1, 2):
        _accepted_case(areas, n)
    plan = _plan(personas, west_shift)
    officer = _client(personas["joint_team_officer"])
    first = _route_page(None, client=officer).content.decode()
    assert "The plan has changed" not in first and "Plan version 1" in first
    stop = plan.stops.get(sequence=1)
    _client(personas["triage_sergeant"]).post(
        _shift_url("stop-move", west_shift, stop.public_id), {"direction": "later"}
    )
    changed = _route_page(None, client=officer).content.decode()
    assert "The plan has changed since you last opened it: version 1 is now version 2" in changed
    again = _route_page(None, client=officer).content.decode()
    assert "The plan has changed" not in again and "Plan version 2" in again


def test_a_stop_without_a_planned_visit_starts_one_from_the_route(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    _plan(personas, west_shift)
    Visit.objects.all().delete()
    officer = _client(personas["joint_team_officer"])
    html = _route_page(None, client=officer).content.decode()
    assert f'action="{reverse("visits:visit-start")}"' in html
    assert 'name="investigation_ref" value="WB/2026/000001"' in html
    with time_machine.travel(_at(9, 5), tick=False):
        response = officer.post(
            reverse("visits:visit-start"),
            {"investigation_ref": "WB/2026/000001", "mode": "post-incident"},
        )
    visit = Visit.objects.get()
    assert response["Location"] == reverse("visits:visit-record", args=[visit.public_id])


def test_the_run_sheet_carries_the_marking_at_head_and_foot_and_prints_no_links(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    plan = _plan(personas, west_shift)
    stop = plan.stops.get()
    stop.windows = [
        {"start": _at(9).isoformat(), "end": _at(12).isoformat(), "source": "safe_contact"}
    ]
    stop.save()
    victim = stop.investigation.victim
    victim.address = "1 Example Street, Blackpool"
    victim.save()
    with time_machine.travel(_at(9), tick=False):
        html = _client(personas["joint_team_officer"]).get(_shift_url("run-sheet", west_shift))
    sheet = html.content.decode()
    table = sheet[sheet.index('<table class="provide-run-sheet"') : sheet.index("</table>")]
    head, foot = table.index("<thead>"), table.index("<tfoot>")
    assert table.count("OFFICIAL-SENSITIVE") == 2
    assert "OFFICIAL-SENSITIVE" in table[head : table.index("</thead>")]
    assert "OFFICIAL-SENSITIVE" in table[foot : table.index("</tfoot>")]
    assert "1 Example Street, Blackpool, FY1 1AA" in table
    assert "Safe-contact time 09:00–12:00" in table
    assert "http" not in table
    assert_records_read(
        "planning.run_sheet_viewed",
        pages=[[stop.investigation]],
        actor=personas["joint_team_officer"],
    )
    assert "/static/provide/run-sheet.css" in sheet
    css = (finders.find("provide/run-sheet.css") or "").strip()
    assert "content: none !important" in Path(css).read_text(encoding="utf-8")


def test_the_route_page_reads_the_same_number_of_queries_however_many_stops(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    _plan(personas, west_shift)
    officer = _client(personas["joint_team_officer"])
    _route_page(None, client=officer)  # the session remembers the version seen
    with CaptureQueriesContext(connection) as one:
        _route_page(None, client=officer)
    for n in (2, 3, 4):
        _accepted_case(areas, n)
    services.plan_run(user=personas["triage_sergeant"], shifts=[west_shift], as_of=_at(7))
    _route_page(None, client=officer)
    with CaptureQueriesContext(connection) as four:
        response = _route_page(None, client=officer)
    assert len(response.context["routes"][0][0].stops) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


# --- the planning job page: progress, the plans when done, the reason when failed ---


def _job(area: Area, **fields: Any) -> PlanJob:
    return PlanJob.objects.create(
        bcu=area, on_date=timezone.localdate(), pattern="early", trigger="start",
        plan_from=timezone.now(), time_limit_seconds=5, **fields,
    )  # fmt: skip


def test_a_running_job_shows_its_stage_and_polls(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = _job(areas["west"], status=PlanJob.Status.RUNNING, stage="Finding the best routes",
               requested_by=personas["triage_sergeant"])  # fmt: skip
    page = _client(personas["triage_sergeant"]).get(f"/planning/jobs/{job.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Finding the best routes" in html and "up to 5 seconds" in html
    assert 'hx-trigger="every 2s"' in html and 'role="status"' in html
    fragment = _client(personas["triage_sergeant"]).get(
        f"/planning/jobs/{job.public_id}/?partial=status"
    )
    assert fragment.content.decode().lstrip().startswith('<div id="plan-job-status"')


def test_a_failed_job_says_why_and_offers_to_plan_again(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    job = _job(areas["west"], status=PlanJob.Status.FAILED, error="Planning failed: boom.")
    html = _client(personas["triage_sergeant"]).get(f"/planning/jobs/{job.public_id}/").content
    text = html.decode()
    assert "Planning failed: boom." in text and "Plan again" in text
    assert "hx-trigger" not in text, "a finished job stops polling"


def test_the_job_page_keeps_to_the_bcu_and_the_roles(
    personas: dict[str, Any], areas: dict[str, Area]
) -> None:
    east = _job(areas["east"])
    assert (
        _client(personas["triage_sergeant"]).get(f"/planning/jobs/{east.public_id}/").status_code
        == 404
    )
    west = _job(areas["west"])
    assert _client(personas["analyst"]).get(f"/planning/jobs/{west.public_id}/").status_code == 403
    assert _client(personas["triage_sergeant"]).get("/planning/jobs/0000/").status_code == 404
