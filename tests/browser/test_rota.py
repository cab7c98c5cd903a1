"""The IDVA manager plans tomorrow's shift on the rota, staffs it, and every page passes axe at
desktop width and at 390 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.models import Area, Station
from provide.planning.models import Shift, Team
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard


def _staff(make_user: Any, slug: str, username: str, first: str, last: str) -> User:
    user: User = make_user(slug, username=username)
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.mark.django_db(transaction=True)
def test_idva_manager_plans_and_staffs_tomorrows_shift(
    page: Any, live_server: Any, make_user: Any, areas: dict[str, Area]
) -> None:
    base = Station.objects.get(name="Blackpool Police HQ")
    Team.objects.create(name="West A", bcu=areas["west"], base=base)
    _staff(make_user, "joint_team_officer", "pc.jones", "Pat", "Jones")
    _staff(make_user, "health_idva", "sam.idva", "Sam", "Ahmed")
    _staff(make_user, "health_idva", "kit.idva", "Kit", "Nowak")
    make_user("idva_manager")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.get_by_role("link", name="Rota").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Rota"
    assert_accessible(page, "rota week")

    page.get_by_role("link", name="Add a shift").click()
    page.get_by_label("Team", exact=True).select_option(label="West A (West)")
    page.get_by_label("Date", exact=True).fill(tomorrow.isoformat())
    page.get_by_label("Early (07:00–15:00)").check()
    page.get_by_label("Joint-team officer").select_option(label="Pat Jones (West)")
    page.get_by_role("button", name="Add the shift").click()
    # no IDVA chosen: refused with the reason, nothing added
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_role("link", name="Choose the IDVA for this shift").is_visible()
    assert_accessible(page, "add a shift with an error")
    assert not Shift.objects.exists()

    page.get_by_label("IDVA", exact=True).select_option(label="Sam Ahmed (West)")
    page.get_by_role("button", name="Add the shift").click()
    assert page.get_by_text("Added West A").is_visible()
    assert page.get_by_text("Pat Jones and Sam Ahmed").is_visible()
    assert_accessible(page, "rota week with a shift")
    shift = Shift.objects.get()
    assert (shift.on_date, shift.pattern, shift.idva_name) == (tomorrow, "early", "Sam Ahmed")

    page.get_by_role("link", name="Change staff for West A").click()
    assert_accessible(page, "who staffs this shift")
    page.get_by_label("IDVA", exact=True).select_option(label="Kit Nowak (West)")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Pat Jones and Kit Nowak").is_visible()
    shift.refresh_from_db()
    assert shift.idva_name == "Kit Nowak"

    page.get_by_role("link", name="Change skills of Sam Ahmed").click()
    page.get_by_label("Languages spoken besides English").fill("Punjabi, Urdu")
    page.get_by_label("Female").check()
    assert_accessible(page, "skills")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Punjabi, Urdu").is_visible()

    page.get_by_role("link", name="Record leave or absence").click()
    assert_accessible(page, "record leave")
