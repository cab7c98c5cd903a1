"""The safeguarding journey in a browser: from a recorded visit, refer to MARAC, find the case
on the next meeting's list, record an action and mark it done. Every page passes axe-core at
desktop and phone width."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from django.utils import timezone

from provide.core.safeguarding.marac import next_meeting_on
from provide.visits.models import Visit
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard


@pytest.mark.django_db(transaction=True)
def test_refer_a_visit_to_marac_and_work_the_case(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    # Given a recorded visit and the MARAC coordinator
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        arrived_at=timezone.now(),
        contact_result="engaged",
        support_accepted=True,
    )
    make_user("safeguarding_officer")
    # The live server imports every app on its first request, which can outlast Playwright's
    # 15 s navigation timeout on a loaded machine: warm it up first.
    urllib.request.urlopen(f"{live_server.url}/sign-in/", timeout=120).read()  # noqa: S310 (http test server)
    sign_in_by_keyboard(page, live_server.url, "safeguarding.officer")
    assert_accessible(page, "safeguarding home")

    # When they refer the victim to MARAC from the visit (first leaving out the reasons)
    page.goto(f"{live_server.url}/safeguarding/referrals/new/?visit={visit.public_id}")
    assert_accessible(page, "referral form")
    page.get_by_label("Refer to").select_option("marac")
    page.get_by_role("group", name="Has the victim consented to this referral?").get_by_label(
        "Consent refused"
    ).check()
    page.get_by_role("group", name="Is the victim aware of the referral?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("What the victim wants from the referral").fill("To feel safe at home")
    page.get_by_role("button", name="Save draft referral").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert (
        page.get_by_label("What the victim wants from the referral").input_value()
        == "To feel safe at home"
    )
    assert_accessible(page, "referral form with errors")
    page.get_by_label("Lawful basis for sharing without consent").fill(
        "Meets the MARAC threshold; DPA 2018 Schedule 1 paragraph 18 safeguarding"
    )
    page.get_by_label("Reasons for the referral").fill("Non-fatal strangulation; threats to kill")
    page.get_by_role("button", name="Save draft referral").click()
    assert page.get_by_role("heading", level=1).inner_text() == "MARAC referral"
    assert_accessible(page, "referral (draft)")
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("button", name="Accept referral").click()
    assert page.get_by_text("Accepted", exact=True).first.is_visible()
    assert_accessible(page, "referral (accepted)")

    # Then the case is on the next meeting's list
    meeting = next_meeting_on(timezone.localdate())
    page.get_by_role("link", name="MARAC", exact=True).click()
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == f"Meeting on {meeting:%A} {meeting.day} {meeting:%B %Y}"
    )
    assert_accessible(page, "MARAC day")
    page.get_by_role("link", name="Alice Westby").first.click()
    assert page.get_by_text("Non-fatal strangulation; threats to kill").is_visible()
    assert_accessible(page, "MARAC case")

    # When they record an action (first without the agency) and mark it done
    page.get_by_label("Action", exact=True).fill("Fit a panic alarm at the victim's home")
    page.get_by_role("button", name="Record action").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "MARAC case with errors")
    page.get_by_label("Agency").fill("Police")
    page.get_by_label("Owner").fill("PC Hale")
    page.get_by_role("button", name="Record action").click()
    assert page.get_by_role(
        "cell", name="Fit a panic alarm at the victim's home", exact=True
    ).is_visible()
    page.get_by_role("button", name="Mark done").click()
    assert page.get_by_text("Action marked done.").is_visible()
    assert page.locator("strong.govuk-tag--green", has_text="Done").is_visible()
    assert page.get_by_role("button", name="Mark done").count() == 0
    assert_accessible(page, "MARAC case with a done action")
