"""A sergeant plans a shift in the browser; the joint team follows the route on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from provide.areas.models import Area
from provide.planning.models import Shift
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.planning.test_services import DAY, _accepted_case, west_shift  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_sergeant_plans_and_reorders_then_the_team_reads_the_route_on_a_phone(
    page: Any,
    browser: Any,
    live_server: Any,
    make_user: Any,
    areas: dict[str, Area],
    west_shift: Shift,  # noqa: F811
) -> None:
    for n in range(1, 4):
        _accepted_case(areas, n)
    make_user("triage_sergeant")
    make_user("joint_team_officer")
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/planning/?date={DAY.isoformat()}")
    assert_accessible(page, "shift plans")
    page.get_by_role("button", name="Plan the early (07:00–15:00) shift").click()
    page.get_by_role("link", name="West A").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("West A")
    assert page.get_by_text("Version 1").first.is_visible()
    assert_accessible(page, "shift plan")
    page.get_by_role("button", name="Later – WB/2026/").first.click()
    assert page.get_by_text("Version 2").first.is_visible()
    page.get_by_role("link", name="Printable run sheet").click()
    assert_accessible(page, "run sheet")

    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    sign_in_by_keyboard(phone, live_server.url, "joint.team.officer")
    phone.goto(f"{live_server.url}/planning/shifts/{west_shift.public_id}/")
    assert phone.get_by_text("Victim Number1").first.is_visible()
    assert phone.get_by_role("button", name="Later").count() == 0
    assert_accessible(phone, "shift plan for the team")
    phone.goto(f"{live_server.url}/planning/today/")
    assert_accessible(phone, "today's route")
    context.close()
