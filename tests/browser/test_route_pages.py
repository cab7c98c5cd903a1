"""The joint team works today's route on a phone (390 px) and follows "Record this visit";
the run sheet prints to A4 with the protective marking on every page and no link addresses."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import timezone

from provide.areas.models import Area, Station
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.planning.models import Plan, PlannedStop, Shift, Team
from provide.visits.models import Visit
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Import the URLconf before the browser's first request (it pulls in the planner)."""
    get_resolver().url_patterns  # noqa: B018


def _todays_plan(areas: dict[str, Area], stops: int) -> Shift:
    """A West shift on now with a current plan of ``stops`` visits, each with the planned
    visit the team records (as the planner leaves them), made directly: this tests the pages,
    not the planner."""
    now = timezone.now().replace(second=0, microsecond=0)
    base = Station.objects.get(name="Blackpool Police HQ")
    team = Team.objects.create(name="West A", bcu=areas["west"], base=base, vehicle="PV1")
    shift = Shift.objects.create(
        team=team, on_date=timezone.localdate(), pattern="early",
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=7),
        officer_name="PC Jones", idva_name="Sam IDVA",
    )  # fmt: skip
    plan = Plan.objects.create(
        shift=shift, version=1, status=Plan.Status.CURRENT, made_at=shift.starts_at
    )
    for n in range(1, stops + 1):
        victim = Person.objects.create(
            force_person_ref=f"PV{n}", given_name="Victim", family_name=f"Number{n}",
            address=f"{n} Example Street, Blackpool", postcode=f"FY1 {n}AA",
            latitude=53.81, longitude=-3.04 + n * 0.005, safe_phone="07700 900123",
            safe_contact_times="weekdays 09:00-17:00", suspect_may_answer=True, synthetic=True,
        )  # fmt: skip
        investigation = Investigation.objects.create(
            investigation_ref=f"WB/2026/{n:06d}", recorded_at=now - dt.timedelta(hours=20),
            bcu=areas["west"], victim=victim, risk_grade="high",
        )  # fmt: skip
        arrival = now + dt.timedelta(minutes=20 * n)
        PlannedStop.objects.create(
            plan=plan, sequence=n, investigation=investigation, planned_arrival_at=arrival,
            planned_start_at=arrival, planned_departure_at=arrival + dt.timedelta(minutes=15),
            travel_minutes_from_previous=5,
            windows=[{"start": (arrival - dt.timedelta(hours=1)).isoformat(),
                      "end": (arrival + dt.timedelta(hours=2)).isoformat(),
                      "source": "safe_contact"}],
        )  # fmt: skip
        Visit.objects.create(
            mode=Visit.Mode.POST_INCIDENT, investigation=investigation, victim=victim,
            shift=shift, planned_at=arrival, record_status=Visit.RecordStatus.PLANNED,
        )  # fmt: skip
    return shift


@pytest.mark.django_db(transaction=True)
def test_the_team_opens_todays_route_on_a_phone_and_records_a_visit(
    page: Any, live_server: Any, make_user: Any, areas: dict[str, Area]
) -> None:
    _todays_plan(areas, 3)
    make_user("joint_team_officer")
    page.set_viewport_size(PHONE)
    sign_in_by_keyboard(page, live_server.url, "joint.team.officer")
    page.goto(f"{live_server.url}/planning/today/")
    assert page.get_by_text("Plan version 1, made").is_visible()
    assert page.get_by_text("0 done").is_visible()
    assert page.locator('a[href="tel:07700900123"]').count() == 3
    assert_accessible(page, "today's route")
    page.set_viewport_size(PHONE)
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Record this visit – Victim Number1").click()
    page.wait_for_url(re.compile(r"/visits/[0-9a-f-]{36}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Visit to Victim Number1"
    assert page.get_by_role("button", name="Finish and record the visit").is_visible()
    assert_accessible(page, "the visit form opened from the route")


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(  # a fixed program on a file this test wrote
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.django_db(transaction=True)
def test_the_run_sheet_prints_to_a4_marked_on_every_page_without_link_addresses(
    page: Any, live_server: Any, make_user: Any, areas: dict[str, Area], tmp_path: Path
) -> None:
    if not Path("/usr/bin/pdftotext").exists():
        pytest.skip("pdftotext (poppler-utils) is not installed")
    shift = _todays_plan(areas, 16)
    make_user("joint_team_officer")
    sign_in_by_keyboard(page, live_server.url, "joint.team.officer")
    page.goto(f"{live_server.url}/planning/shifts/{shift.public_id}/run-sheet/")
    assert page.get_by_text(MARKING).count() == 2, "head and foot on screen too"
    assert_accessible(page, "run sheet")
    pdf = tmp_path / "run-sheet.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = _pdf_pages(pdf)
    assert len(pages) >= 2, "sixteen visits run over more than one page"
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        assert lines[0] == MARKING, f"page {number} is not headed {MARKING}: {lines[:2]}"
        assert lines[-1] == MARKING, f"page {number} is not footed {MARKING}: {lines[-2:]}"
    everything = "\n".join(pages)
    assert "http" not in everything and "/planning/" not in everything
    assert "16 Example Street, Blackpool, FY1 16AA" in everything
    assert "Safe-contact time" in everything
