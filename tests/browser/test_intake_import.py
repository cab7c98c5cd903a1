"""Intake pages in a real browser: an administrator uploads a CSV, sees the report, confirms;
the risk, safe-contact and duplicate-review pages pass axe-core at desktop and phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provide.intake.models import Investigation
from provide.people.models import Person, PersonMatch
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.intake.builders import investigation_row, write_investigations


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> None:
    settings.PROVIDE_IMPORT_DIR = tmp_path / "imports"


@pytest.mark.django_db(transaction=True)
def test_administrator_uploads_a_csv_sees_the_report_and_confirms(
    page: Any, live_server: Any, make_user: Any, tmp_path: Path
) -> None:
    make_user("administrator")
    bad = write_investigations(
        tmp_path / "bad.csv", [investigation_row("WB/1", recorded_at="31/02/2023")]
    )
    good = write_investigations(
        tmp_path / "extract.csv", [investigation_row("WB/1"), investigation_row("WB/2")]
    )
    sign_in_by_keyboard(page, live_server.url, "administrator")
    page.get_by_role("link", name="Import").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import a file"
    assert_accessible(page, "import upload page")
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "import upload page with errors")
    page.get_by_label("Police investigations").check()
    page.get_by_label("Upload a file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_text(
        "row 2, column recorded_at: '31/02/2023' is not a real date"
    ).is_visible()
    assert_accessible(page, "import report with problems")
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Police investigations").check()
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    assert page.get_by_role("heading", name="What the import would do").is_visible()
    assert_accessible(page, "import report")
    assert Investigation.objects.count() == 0
    page.get_by_role("button", name="Confirm and import").click()
    assert page.get_by_role("heading", name="Imported").is_visible()
    assert_accessible(page, "import done")
    assert Investigation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_risk_assessment_form_is_accessible_and_reshows_errors(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("response_officer")
    sign_in_by_keyboard(page, live_server.url, "response.officer")
    url = f"{live_server.url}/intake/investigations/{west_case['investigation'].public_id}/risk/"
    page.goto(url)
    assert_accessible(page, "risk tool choice")
    page.get_by_role("link", name="SafeLives Dash RIC (24 questions)").click()
    assert_accessible(page, "RIC form")
    page.get_by_role("button", name="Save the assessment").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "RIC form with errors")
    page.goto(url + "?tool=DARA")
    page.get_by_label("High").check()
    page.get_by_label("Your rationale for the grade").fill("Threats to kill, separation last month")
    page.get_by_role("button", name="Save the assessment").click()
    assert page.get_by_text("Risk assessment recorded").is_visible()


@pytest.mark.django_db(transaction=True)
def test_safe_contact_and_duplicate_review_pages_are_accessible(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("triage_sergeant")
    victim = west_case["victim"]
    twin = Person.objects.create(force_person_ref="P-W-9", given_name="Alice", family_name="Westby")
    match = PersonMatch.objects.create(
        person=twin, candidate=victim, score=0.85, reasons=["name 1.00"]
    )
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/people/{victim.public_id}/safe-contact/")
    assert_accessible(page, "safe-contact form")
    page.get_by_label("Safe phone number").fill("call me")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Enter a phone number").first.is_visible()
    assert_accessible(page, "safe-contact form with errors")
    page.get_by_role("link", name="Duplicate people").first.click()
    assert_accessible(page, "duplicate review queue")
    page.goto(f"{live_server.url}/people/matches/{match.public_id}/")
    assert_accessible(page, "duplicate decision")
    page.get_by_label("Yes, the same person").check()
    page.get_by_role("button", name="Save decision").click()
    page.goto(f"{live_server.url}/people/{victim.public_id}/merges/")
    assert_accessible(page, "merge history")
