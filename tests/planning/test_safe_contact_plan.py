"""Victim safety is a hard constraint of the plan: every visit starts and ends inside the
victim's safe-contact times (and the times she said she is available), never in a time she said
is unsafe; a case with no safe time on the day is left out with the reason; a route changed by
hand keeps to the same times; and the demo's whole day keeps to them."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from provide.areas.models import Area
from provide.core.contact import ContactSchedule
from provide.demo.services import demo_data_load
from provide.people.contact import contact_fields_from_text
from provide.people.models import Person, VictimAvailability
from provide.planning import services
from provide.planning.models import Plan, PlannedStop, Shift
from tests.planning.test_services import _accepted_case, _at

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DAY = dt.date(2026, 3, 10)  # a Tuesday (GMT: local time is UTC)


def _times(victim: Person, text: str) -> None:
    for name, value in contact_fields_from_text(text).items():
        setattr(victim, name, value)
    victim.save()


def _local(moment: dt.datetime) -> dt.time:
    return moment.astimezone(LONDON).time()


def _plan(personas: dict[str, Any], shift: Shift) -> Plan:
    return services.plan_run(user=personas["triage_sergeant"], shifts=[shift], as_of=_at(7))[0]


def test_each_visit_starts_and_ends_inside_her_safe_contact_times(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    texts = {
        1: "weekdays 10:00-12:00",
        2: "after 13:00",
        3: "ring her sister first",  # unreadable: kept as written, flagged, nothing read
        4: "09:00-10:30 · suspect may answer",
        5: "not 07:00-11:00",
    }
    decisions = {n: _accepted_case(areas, n) for n in texts}
    for n, text in texts.items():
        _times(decisions[n].investigation.victim, text)
    plan = _plan(personas, west_shift)
    stops = {s.triage_decision_id: s for s in plan.stops.all()}
    assert len(stops) == 5, list(plan.left_out.values_list("reason", flat=True))

    def start_end(n: int) -> tuple[dt.time, dt.time]:
        stop = stops[decisions[n].id]
        return _local(stop.planned_arrival_at), _local(stop.planned_departure_at)

    start, end = start_end(1)
    assert dt.time(10) <= start and end <= dt.time(12)
    start, end = start_end(2)
    assert start >= dt.time(13)
    start, end = start_end(4)
    assert dt.time(9) <= start and end <= dt.time(10, 30)
    start, end = start_end(5)
    assert start >= dt.time(11)
    victim_4 = Person.objects.get(pk=decisions[4].investigation.victim_id)
    assert victim_4.suspect_may_answer, "the text's warning turns the flag on"
    assert Person.objects.get(pk=decisions[3].investigation.victim_id).safe_contact_review_needed
    # every stop says which windows it was planned within
    assert stops[decisions[1].id].windows == [
        {
            "start": "2026-03-10T10:00:00+00:00",
            "end": "2026-03-10T12:00:00+00:00",
            "source": "safe_contact",
        }
    ]
    assert stops[decisions[3].id].windows == []


def test_a_case_with_no_safe_time_today_is_left_out_with_the_reason(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    weekends = _accepted_case(areas, 1)
    _times(weekends.investigation.victim, "weekends only")
    evenings = _accepted_case(areas, 2)
    _times(evenings.investigation.victim, "after 18:00")  # the shift ends at 15:00
    short = _accepted_case(areas, 3)
    _times(short.investigation.victim, "10:00-10:30")  # a high-risk visit takes an hour
    plan = _plan(personas, west_shift)
    assert plan.stops.count() == 0
    reasons = {c.triage_decision_id: c.reason for c in plan.left_out.all()}
    assert set(reasons) == {weekends.id, evenings.id, short.id}
    assert "exclude this day" in reasons[weekends.id]
    assert "18:00" in reasons[evenings.id] and "outside every team's shift" in reasons[evenings.id]
    assert "too short" in reasons[short.id]
    assert all(r.startswith("Must attend, not planned: ") for r in reasons.values())


def test_availability_adds_a_time_but_never_inside_an_unsafe_range(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decision = _accepted_case(areas, 1)
    victim = decision.investigation.victim
    _times(victim, "after 18:00")  # outside the shift: only her availability can be used
    VictimAvailability.objects.create(person=victim, starts_at=_at(11), ends_at=_at(12, 30))
    stop = _plan(personas, west_shift).stops.get()
    assert dt.time(11) <= _local(stop.planned_arrival_at)
    assert _local(stop.planned_departure_at) <= dt.time(12, 30)
    assert [w["source"] for w in stop.windows] == ["availability", "safe_contact"]


def test_custody_and_safe_contact_both_hold(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    from provide.intake.models import CustodyEpisode

    decision = _accepted_case(areas, 1)
    _times(decision.investigation.victim, "10:00-14:00")
    CustodyEpisode.objects.create(
        custody_ref="C1",
        suspect=decision.investigation.suspect,
        investigation=decision.investigation,
        arrested_at=_at(3),
        expected_release_at=_at(11),
    )
    stop = _plan(personas, west_shift).stops.get()
    assert dt.time(10) <= _local(stop.planned_arrival_at) <= dt.time(11)
    assert {w["source"] for w in stop.windows} == {"safe_contact", "custody"}


def test_moving_a_stop_by_hand_outside_her_safe_time_is_refused(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    early = _accepted_case(areas, 1)
    _times(early.investigation.victim, "07:00-09:00")
    late = _accepted_case(areas, 2)
    _times(late.investigation.victim, "08:00-09:30")
    plan = _plan(personas, west_shift)
    stops = list(plan.stops.order_by("sequence"))
    assert [s.triage_decision_id for s in stops] == [early.id, late.id]
    with pytest.raises(services.PlanChangeRefused):
        services.plan_move_stop(
            user=personas["triage_sergeant"], plan=plan, stop=stops[0], offset=1
        )
    assert west_shift.plans.count() == 1


def test_plan_json_lists_each_stops_arrival_and_windows(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    decision = _accepted_case(areas, 1)
    _times(decision.investigation.victim, "weekdays 11:00-13:00")
    left = _accepted_case(areas, 2)
    _times(left.investigation.victim, "weekends only")
    out = StringIO()
    call_command(
        "plan", "--bcu", "West", "--date", DAY.isoformat(), "--shift", "early", "--json",
        stdout=out,
    )  # fmt: skip
    document = json.loads(out.getvalue())
    stop = document[0]["stops"][0]
    arrival = dt.datetime.fromisoformat(stop["arrival"])
    window = stop["windows"][0]
    assert window["source"] == "safe_contact"
    assert (
        dt.datetime.fromisoformat(window["start"])
        <= arrival
        <= dt.datetime.fromisoformat(window["end"])
    )
    assert [item["investigation_ref"] for item in document[0]["left_out"]] == [
        left.investigation.investigation_ref
    ]
    assert "exclude this day" in document[0]["left_out"][0]["reason"]


def test_on_the_demo_every_planned_visit_keeps_to_the_victims_safe_times(
    personas: dict[str, Any],
) -> None:
    demo_data_load(end_on=DAY, days=3, seed=11, bcus=("West",), password="demo-password-123")
    shifts = list(Shift.objects.filter(on_date=DAY))
    assert shifts
    restricted = 0
    for pattern in ("early", "late"):
        chosen = [s for s in shifts if s.pattern == pattern]
        if chosen:
            services.plan_run(
                user=personas["triage_sergeant"],
                shifts=chosen,
                as_of=min(s.starts_at for s in chosen),
                time_limit_seconds=2,
            )
    stops = PlannedStop.objects.filter(plan__status=Plan.Status.CURRENT).select_related(
        "investigation__victim"
    )
    assert stops.exists()
    for stop in stops:
        victim = stop.investigation.victim
        periods = ContactSchedule.from_json(victim.safe_contact_schedule).periods_on(DAY)
        if periods is None:
            continue
        restricted += 1
        start = _local(stop.planned_arrival_at)
        end = _local(stop.planned_departure_at)
        minutes = (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
        assert any(a <= minutes[0] and minutes[1] <= b for a, b in periods), (
            f"{victim.safe_contact_times!r}: planned {start}-{end}, safe {periods}"
        )
    assert restricted, "the demo has victims with safe-contact times"


def test_a_health_appointment_becomes_a_discreet_window_with_nothing_of_the_clinic(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    from provide.audit.models import AuditEvent
    from provide.health.models import HealthAppointment

    decision = _accepted_case(areas, 1)
    victim = decision.investigation.victim
    _times(victim, "after 18:00")  # her home is never safe in this shift: the clinic is
    appointment = HealthAppointment.objects.create(
        person=victim, starts_at=_at(10), ends_at=_at(10, 40), place_type="hospital",
        location_name="Blackpool Victoria Hospital", latitude=53.821, longitude=-3.012,
    )  # fmt: skip
    stop = _plan(personas, west_shift).stops.get()
    assert dt.time(10) <= _local(stop.planned_arrival_at) <= dt.time(10, 40)
    assert (stop.place_latitude, stop.place_longitude) == (53.821, -3.012)
    assert stop.discreet_appointment_id == appointment.public_id
    assert stop.windows == [
        {
            "start": "2026-03-10T10:00:00+00:00",
            "end": "2026-03-10T10:40:00+00:00",
            "source": "appointment",
        }
    ]
    assert AuditEvent.objects.filter(
        event="health.appointment_window_planned", actor=personas["triage_sergeant"]
    ).exists()
    out = StringIO()
    call_command(
        "plan", "--bcu", "West", "--date", DAY.isoformat(), "--shift", "early", "--json",
        stdout=out,
    )  # fmt: skip
    assert "Victoria" not in out.getvalue() and "hospital" not in out.getvalue()
    assert '"source": "appointment"' in out.getvalue()
