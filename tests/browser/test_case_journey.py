"""The case journey by hand at phone width (390 px): a response officer raises a high-risk live
incident, the sergeant accepts it, the joint team finds nobody in, the case comes back to the
queue, the victim is seen, safeguarding takes it over and the sergeant closes it. Every page on
the way passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import get_resolver

from provide.cases.models import Case
from tests.browser.conftest import PHONE, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard


@pytest.fixture(autouse=True)
def _urls_loaded() -> None:
    get_resolver().url_patterns  # noqa: B018


def _as(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    sign_in_by_keyboard(page, base, username)


def _record_visit(page: Any, base: str, reference: str, result: str) -> None:
    page.goto(f"{base}/visits/start/")
    page.get_by_label("Investigation reference").fill(reference)
    page.get_by_role("button", name="Start the visit").click()
    page.wait_for_url("**/visits/*/")
    page.get_by_role("button", name="Record arrival now").click()
    page.get_by_text("Arrival recorded").wait_for()
    page.get_by_role("group", name="Contact result").get_by_label(result, exact=True).check()
    page.get_by_role("button", name="Finish and record the visit").click()
    page.get_by_text("Visit recorded").wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_live_incident_from_no_contact_to_closed_on_a_phone(
    page: Any, live_server: Any, make_user: Any, areas: Any
) -> None:
    for slug in (
        "response_officer",
        "triage_sergeant",
        "joint_team_officer",
        "safeguarding_officer",
    ):
        make_user(slug)
    base = live_server.url

    _as(page, base, "response.officer")
    page.goto(f"{base}/cases/incidents/new/")
    assert_accessible(page, "raise a live incident")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Raise the incident").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "live incident with errors")
    page.set_viewport_size(PHONE)
    page.get_by_label("Victim's first name").fill("Ann")
    page.get_by_label("Victim's last name").fill("Example")
    page.get_by_role("group", name="Risk grade").get_by_label("High").check()
    page.get_by_role("button", name="Raise the incident").click()
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(investigation__victim__family_name="Example")
    reference = case.investigation.investigation_ref
    assert page.get_by_text("New: awaiting triage").first.is_visible()
    assert_accessible(page, "the new case")

    _as(page, base, "triage.sergeant")
    page.goto(f"{base}/triage/")
    first = page.locator("section.provide-triage-case").first
    assert reference in first.inner_text()
    first.locator("summary").filter(has_text="Record a decision").click()
    first.get_by_label("Joint visit (live)").check()
    first.get_by_role("button", name="Record decision").click()
    first.locator("[role=status]").wait_for()
    case.refresh_from_db()
    assert case.state == "accepted"

    _as(page, base, "joint.team.officer")
    _record_visit(page, base, reference, "No contact")
    case.refresh_from_db()
    assert case.state == "attempted" and case.attempts == 1 and case.escalated_at is not None

    _as(page, base, "triage.sergeant")
    page.goto(f"{base}/cases/?state=awaiting_visit")
    assert page.get_by_role("link", name=reference).is_visible()
    assert page.get_by_text("Escalated").first.is_visible()
    assert_accessible(page, "cases awaiting a visit")
    page.goto(f"{base}/triage/handover/")
    assert reference in page.locator("main").inner_text()

    _as(page, base, "joint.team.officer")
    _record_visit(page, base, reference, "Engaged")
    case.refresh_from_db()
    assert case.state == "seen" and case.clock_stopped_at is not None

    _as(page, base, "safeguarding.officer")
    page.goto(f"{base}/cases/{case.public_id}/")
    page.get_by_role("link", name="Hand over to safeguarding").click()
    page.get_by_label("What the safeguarding team needs to do", exact=False).first.fill(
        "Safety plan follow-up"
    )
    page.get_by_role("button", name="Hand over").click()
    case.refresh_from_db()
    assert case.state == "handed_over"

    _as(page, base, "triage.sergeant")
    page.goto(f"{base}/cases/{case.public_id}/")
    page.get_by_role("button", name="Close the case").click()
    assert page.get_by_text("Give a reason for closing the case").first.is_visible()
    assert_accessible(page, "closing without a reason")
    page.set_viewport_size(PHONE)
    page.get_by_label("Why are you closing this case?").fill("Support in place; heard at MARAC")
    page.get_by_role("button", name="Close the case").click()
    page.get_by_text("Case closed").wait_for()
    case.refresh_from_db()
    assert case.state == "closed"
    history = page.locator("main ol").inner_text()
    for step in (
        "Opened",
        "Triage decision",
        "Visit recorded",
        "Handed over to safeguarding",
        "Closed",
    ):
        assert step in history
    assert_accessible(page, "the closed case")
