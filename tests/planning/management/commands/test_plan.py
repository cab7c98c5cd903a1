"""``provide plan``: plan one BCU's joint-team shifts for a day from the command line.

``west_shift`` (West A, early, 07:00-15:00 on ``DAY``) comes from tests/planning/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from provide.areas.models import Area
from provide.intake.models import CustodyEpisode
from provide.planning.models import Plan, Shift
from tests.audit_assertions import assert_audited
from tests.planning.test_services import DAY, _accepted_case, _at

pytestmark = pytest.mark.django_db


def plan(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_plan_command_prints_json(
    personas: dict[str, Any], areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    out = io.StringIO()
    call_command(
        "plan", "--bcu", "West", "--date", DAY.isoformat(), "--shift", "early", "--json", stdout=out
    )
    document = json.loads(out.getvalue())
    assert document[0]["team"] == "West A"
    assert document[0]["stops"][0]["investigation_ref"] == "WB/2026/000001"
    assert_audited("planning.plan_made", action="create", actor_username="provide plan")


def test_plan_command_explains_a_missing_shift(areas: dict[str, Area]) -> None:
    with pytest.raises(CommandError, match="no early joint-team shifts in West on 2026-01-01"):
        call_command("plan", "--bcu", "West", "--date", "2026-01-01", "--shift", "early")
    assert not Plan.objects.exists()


def test_the_json_holds_each_plans_stops_in_local_time_and_what_was_left_out(
    areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    far = _accepted_case(areas, 2, lat_offset=0.6)  # about an hour and a half away
    CustodyEpisode.objects.create(
        custody_ref="C1",
        suspect=far.investigation.suspect,
        investigation=far.investigation,
        arrested_at=_at(3),
        expected_release_at=_at(8),
    )
    (document,) = json.loads(
        plan("--bcu", "West", "--date", "2026-03-10", "--shift", "early", "--seed", "4", "--json")
    )
    saved = Plan.objects.get()
    assert document["plan_id"] == str(saved.public_id) and document["version"] == 1
    assert document["shift"] == "early" and document["travel_minutes"] == saved.travel_minutes
    assert document["solver"]["seed"] == 4 and document["total_priority"] == saved.total_priority
    (stop,) = document["stops"]
    assert stop["sequence"] == 1 and stop["victim"] == "Victim Number1"
    assert stop["postcode"] == "FY1 1AA"
    arrival = dt.datetime.fromisoformat(stop["arrival"])
    assert arrival.utcoffset() == dt.timedelta(0), "March: London is on GMT"
    assert _at(7) <= arrival < dt.datetime.fromisoformat(stop["departure"]) <= _at(15)
    (left,) = document["left_out"]
    assert left["investigation_ref"] == "WB/2026/000002" and "release" in left["reason"]


def test_the_text_report_lists_each_teams_route_and_the_visits_not_planned(
    areas: dict[str, Area], west_shift: Shift
) -> None:
    _accepted_case(areas, 1)
    far = _accepted_case(areas, 2, lat_offset=0.6)
    CustodyEpisode.objects.create(
        custody_ref="C1",
        suspect=far.investigation.suspect,
        investigation=far.investigation,
        arrested_at=_at(3),
        expected_release_at=_at(8),
    )
    lines = plan("--bcu", "West", "--date", "2026-03-10", "--shift", "early").splitlines()
    saved = Plan.objects.get()
    assert lines[0] == (
        f"West A early 2026-03-10 — version 1, 1 visits, {saved.travel_minutes} min travel"
    )
    assert re.fullmatch(r"  1\. 0[7-9]:\d\d WB/2026/000001 Victim Number1 FY1 1AA", lines[1])
    assert re.fullmatch(r"  not planned: WB/2026/000002 — .*release.*", lines[2])
    assert len(lines) == 3


def test_the_bcu_is_found_whatever_its_case_and_an_unknown_one_is_named(
    areas: dict[str, Area], west_shift: Shift
) -> None:
    assert plan("--bcu", "wEST", "--date", "2026-03-10", "--shift", "early").startswith("West A")
    with pytest.raises(CommandError, match="no BCU called 'Atlantis'"):
        plan("--bcu", "Atlantis", "--date", "2026-03-10", "--shift", "early")
    with pytest.raises(CommandError, match="no BCU called 'Blackpool'"):
        plan("--bcu", "Blackpool", "--date", "2026-03-10", "--shift", "early")  # a district


def test_a_date_that_is_not_a_date_is_refused(areas: dict[str, Area]) -> None:
    with pytest.raises(CommandError, match="'10/03/2026' is not a date like 2023-01-10"):
        plan("--bcu", "West", "--date", "10/03/2026", "--shift", "early")
    with pytest.raises(CommandError, match="invalid choice: 'night'"):
        plan("--bcu", "West", "--shift", "night")


def test_without_a_date_today_is_planned(areas: dict[str, Area], west_shift: Shift) -> None:
    with time_machine.travel(_at(6), tick=False):
        out = plan("--bcu", "West", "--shift", "early")
    assert out.startswith("West A early 2026-03-10")
    assert west_shift.plans.get().made_at == _at(7), "from the start of the shift"


def test_as_of_plans_from_that_moment_read_as_uk_time_when_it_has_no_zone(
    areas: dict[str, Area], west_shift: Shift
) -> None:
    summer = Shift.objects.create(
        team=west_shift.team,
        on_date=dt.date(2026, 7, 1),
        pattern="late",
        starts_at=dt.datetime(2026, 7, 1, 13, tzinfo=dt.UTC),  # 14:00 BST
        ends_at=dt.datetime(2026, 7, 1, 21, tzinfo=dt.UTC),
    )
    args = ("--bcu", "West", "--date", "2026-07-01", "--shift", "late")
    plan(*args, "--as-of", "2026-07-01T15:30")
    assert summer.plans.get().made_at == dt.datetime(2026, 7, 1, 14, 30, tzinfo=dt.UTC)
    plan(*args, "--as-of", "2026-07-01T15:30+00:00")
    assert summer.plans.get(version=2).made_at == dt.datetime(2026, 7, 1, 15, 30, tzinfo=dt.UTC)
