"""The sergeant puts tomorrow's shift on the rota and plans it in the browser (a background job
whose page shows its progress); every planned visit keeps to the victim's safe-contact times;
the sergeant reorders; the joint team follows the route on a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from provide.areas.models import Area, Station
from provide.core.contact import ContactSchedule
from provide.people.contact import contact_fields_from_text
from provide.planning.models import Plan, PlannedStop, Team
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.planning.test_services import _accepted_case

LONDON = ZoneInfo("Europe/London")


@pytest.mark.django_db(transaction=True)
def test_sergeant_plans_tomorrow_from_the_rota_and_the_team_reads_the_route_on_a_phone(
    page: Any, browser: Any, live_server: Any, make_user: Any, areas: dict[str, Area]
) -> None:
    base = Station.objects.get(name="Blackpool Police HQ")
    Team.objects.create(name="West A", bcu=areas["west"], base=base)
    officer = make_user("joint_team_officer")
    make_user("health_idva")
    make_user("triage_sergeant")
    times = ["weekdays 10:00-12:00; weekends 10:00-12:00", "after 13:00", "any time"]
    for n, text in enumerate(times, start=1):
        victim = _accepted_case(areas, n).investigation.victim
        for name, value in contact_fields_from_text(text).items():
            setattr(victim, name, value)
        victim.save()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/rota/?week={tomorrow.isoformat()}")
    page.get_by_role("link", name="Add a shift").first.click()
    page.get_by_label("Team", exact=True).select_option(label="West A (West)")
    page.get_by_label("Date", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Early (07:00–15:00)").check()
    page.get_by_label("Joint-team officer").select_option(label=f"{officer.get_full_name()} (West)")
    page.get_by_label("IDVA", exact=True).select_option(index=1)
    page.get_by_role("button", name="Add the shift").click()
    page.get_by_text("Added West A").wait_for()

    page.goto(f"{live_server.url}/planning/?date={tomorrow.isoformat()}")
    assert_accessible(page, "shift plans")
    page.get_by_role("button", name="Plan the early (07:00–15:00) shift").click()
    page.wait_for_url("**/planning/jobs/*/")
    page.get_by_role("heading", name="Planned").wait_for()
    assert_accessible(page, "planning job done")
    page.get_by_role("link", name="West A: plan version 1").click()
    page.wait_for_url("**/planning/shifts/*/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("West A")
    assert_accessible(page, "shift plan")

    stops = list(PlannedStop.objects.filter(plan__status=Plan.Status.CURRENT))
    assert len(stops) == 3
    for stop in stops:
        victim = stop.investigation.victim
        periods = ContactSchedule.from_json(victim.safe_contact_schedule).periods_on(tomorrow)
        if periods is None:
            continue
        start = stop.planned_arrival_at.astimezone(LONDON)
        end = stop.planned_departure_at.astimezone(LONDON)
        minutes = (start.hour * 60 + start.minute, end.hour * 60 + end.minute)
        assert any(a <= minutes[0] and minutes[1] <= b for a, b in periods), (
            f"{victim.safe_contact_times}: {start:%H:%M}-{end:%H:%M} outside {periods}"
        )

    page.get_by_role("button", name="Later – WB/2026/").first.click()
    page.get_by_text("Version 2").first.wait_for()
    page.get_by_role("link", name="Printable run sheet").click()
    page.wait_for_url("**/run-sheet/")
    assert_accessible(page, "run sheet")

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    sign_in_by_keyboard(phone, live_server.url, "joint.team.officer")
    shift = stops[0].plan.shift
    phone.goto(f"{live_server.url}/planning/shifts/{shift.public_id}/")
    assert phone.get_by_text("Victim Number1").first.is_visible()
    assert phone.get_by_role("button", name="Later").count() == 0
    assert_accessible(phone, "shift plan for the team")
    context.close()
