"""Recording a visit on a phone (390 px): start, arrive, fill in, autosave a draft, finish.
Every page on the way — and the IDVA's, the consultation log's and the tracker's — passes
axe-core at desktop and phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import get_resolver

from provide.health.models import SupportRecord
from provide.safeguarding.models import HandoverTask, Referral
from provide.visits.models import PoliceVisitRecord, Visit
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.visits.management.commands.test_import_tracker import HEADER, ROW_1, ROW_2


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    """Import the URLconf before the browser's first request: loading it pulls in the planner
    and evaluation stacks (tens of seconds on a busy machine), longer than a page load may take."""
    get_resolver().url_patterns  # noqa: B018


def _at_phone_width(page: Any) -> None:
    page.set_viewport_size(PHONE)


@pytest.mark.django_db(transaction=True)
def test_officer_records_a_visit_on_a_phone(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("joint_team_officer")
    _at_phone_width(page)
    sign_in_by_keyboard(page, live_server.url, "joint.team.officer")
    page.get_by_role("button", name="Start a visit").click()
    assert_accessible(page, "start a visit")
    _at_phone_width(page)
    page.get_by_role("button", name="Start the visit").click()
    assert page.get_by_text("Enter the investigation reference").first.is_visible()
    assert_accessible(page, "start a visit with errors")
    _at_phone_width(page)
    page.get_by_label("Investigation reference").fill("WB/2026/000001")
    page.get_by_role("button", name="Start the visit").click()
    page.wait_for_url("**/visits/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Visit to Alice Westby"
    assert_accessible(page, "planned visit form")
    _at_phone_width(page)

    page.get_by_role("button", name="Finish and record the visit").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "visit form with errors")
    _at_phone_width(page)

    page.get_by_role("button", name="Record arrival now").click()
    assert page.get_by_text("Arrival recorded").is_visible()
    page.get_by_role("group", name="Contact result").get_by_label("Engaged").check()
    page.get_by_role("group", name="Where did the visit take place?").get_by_label("Home").check()
    page.get_by_role("group", name="Was the suspect present?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name="Evidence gathered").get_by_label("Yes", exact=True).check()
    page.get_by_label("Safety actions").fill("Alarm fitted; bail conditions explained")
    page.get_by_label("Safety actions").blur()
    page.get_by_text("Draft saved at").wait_for(timeout=10_000)  # HTMX autosave kept the draft
    visit = Visit.objects.get(record_status="draft")
    assert visit.contact_result == "engaged"
    assert (
        PoliceVisitRecord.objects.get(visit=visit).safety_actions
        == "Alarm fitted; bail conditions explained"
    )
    assert_accessible(page, "visit form after autosave")
    _at_phone_width(page)

    referrals = page.get_by_role("group", name="Referrals made")
    referrals.get_by_label("MARAC").check()
    referrals.get_by_label("Refuge or hostel").check()
    page.get_by_role("button", name="Finish and record the visit").click()
    assert page.get_by_text("Visit recorded").is_visible()
    visit.refresh_from_db()
    assert visit.record_status == "complete" and visit.suspect_present is False
    # the ticks became draft referrals and one hand-over task, listed on the visit page
    follow_ups = page.locator("#follow-up-list")
    assert follow_ups.get_by_role("link", name="MARAC referral").is_visible()
    assert follow_ups.get_by_text("Hand-over to the West safeguarding team").is_visible()
    assert sorted(Referral.objects.filter(visit=visit).values_list("target", flat=True)) == [
        "marac",
        "refuge",
    ]
    assert HandoverTask.objects.filter(visit=visit).count() == 1
    assert_accessible(page, "recorded visit")
    _at_phone_width(page)

    # a finished visit reads back; amending it and saving again adds no second follow-up
    assert page.get_by_role("button", name="Finish and record the visit").count() == 0
    page.get_by_role("link", name="Amend this visit").click()
    page.get_by_role("button", name="Save the amendment").click()
    page.get_by_text("Amendment saved").wait_for()
    assert (
        Referral.objects.filter(visit=visit).count() == 2
        and HandoverTask.objects.filter(visit=visit).count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_idva_records_the_health_side_on_a_phone(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("health_idva")
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        record_status="planned",
    )
    _at_phone_width(page)
    sign_in_by_keyboard(page, live_server.url, "health.idva")
    page.goto(f"{live_server.url}/visits/{visit.public_id}/")
    assert page.get_by_role("heading", name="Health record (IDVA)").is_visible()
    assert page.get_by_text("Police record").count() == 0
    page.get_by_role("group", name="IDVA support offered").get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name="IDVA support accepted").get_by_label("Yes", exact=True).check()
    page.get_by_label("Safety planning").check()
    page.get_by_label("IDVA notes").fill("Discussed a safety plan")
    page.get_by_label("IDVA notes").blur()
    page.get_by_text("Draft saved at").wait_for(timeout=10_000)
    assert_accessible(page, "IDVA visit form")
    record = SupportRecord.objects.get(visit=visit)
    assert record.notes == "Discussed a safety plan" and record.services == ["safety_planning"]

    page.goto(f"{live_server.url}/health/tracker/")
    assert_accessible(page, "tracker page")
    page.goto(f"{live_server.url}/visits/consultations/")
    assert_accessible(page, "consultations for the IDVA")


@pytest.mark.django_db(transaction=True)
def test_the_conflict_screen_is_accessible(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    from provide.visits import services

    officer = make_user("joint_team_officer")
    make_user("health_idva")
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        record_status="planned",
    )
    sign_in_by_keyboard(page, live_server.url, "health.idva")
    page.goto(f"{live_server.url}/visits/{visit.public_id}/")
    services.visit_record(
        user=officer,
        visit_id=visit.public_id,
        lock_version=1,
        values={"shared": {"contact_result": "engaged"}},
    )
    page.get_by_role("group", name="Contact result").get_by_label("Declined").check()
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_text("changed this visit while you were editing it").is_visible()
    assert_accessible(page, "conflict screen")
    page.get_by_label("Keep Joint-team Persona’s: Engaged").check()
    page.get_by_role("button", name="Save with these choices").click()
    assert page.get_by_text("Draft saved").first.is_visible()
    visit.refresh_from_db()
    assert visit.contact_result == "engaged"


@pytest.mark.django_db(transaction=True)
def test_consultation_log_and_tracker_upload_pages_are_accessible(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any], tmp_path: Path
) -> None:
    make_user("response_officer")
    make_user("health_idva")
    sign_in_by_keyboard(page, live_server.url, "response.officer")
    page.goto(f"{live_server.url}/visits/consultations/new/")
    assert_accessible(page, "log a consultation")
    page.get_by_role("button", name="Log it").click()
    assert_accessible(page, "log a consultation with errors")
    page.get_by_label("Risk and safety").check()
    page.get_by_label("IDVA asked").select_option(label="Health Persona")
    page.get_by_label("Advice given").fill("Refer to MARAC")
    page.get_by_role("button", name="Log it").click()
    assert page.get_by_text("Consultation logged").is_visible()
    assert_accessible(page, "consultation list")
    page.get_by_role("link", name="Risk and safety").click()
    assert_accessible(page, "consultation detail")
    page.get_by_role("button", name="Sign out").click()

    make_user("idva_manager")
    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.get_by_role("button", name="Upload a tracker spreadsheet").click()
    assert_accessible(page, "tracker upload")
    page.get_by_role("button", name="Check the file").click()
    assert_accessible(page, "tracker upload with errors")
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "\n".join([HEADER, ROW_1, ROW_2.replace("y ,No", "y ,perhaps")]) + "\n", encoding="utf-8"
    )
    page.get_by_label("Tracker spreadsheet").set_input_files(str(tracker))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text("row 3, column idva_support_accepted").is_visible()
    assert_accessible(page, "tracker validation report")
    page.get_by_role("button", name="Import the 1 readable row only").click()
    assert page.get_by_text("Tracker imported: 1 created").is_visible()
    assert_accessible(page, "tracker after import")
