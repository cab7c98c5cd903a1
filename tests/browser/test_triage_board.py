"""The triage sergeant works the morning queue by keyboard, at desktop and tablet width; the
administrator previews and saves a policy change. axe-core runs on every page state."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import get_resolver
from django.utils import timezone

from provide.areas.models import Area
from provide.intake.models import CustodyEpisode, Investigation
from provide.people.models import Person
from provide.triage.models import TriageDecision, TriagePolicy
from provide.triage.services import triage_decision_record
from tests.browser.conftest import DESKTOP, assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard

TABLET = {"width": 768, "height": 1024}


@pytest.fixture(autouse=True)
def _urls_imported() -> None:
    """Import every app's views before the browser's first request: some (the evaluation
    pages) import the statistics stack, which can take longer than a page-load timeout on a
    busy machine. The live server runs in this process, so it starts warm."""
    get_resolver().url_patterns  # noqa: B018


@pytest.fixture
def morning(areas: dict[str, Area]) -> dict[str, Investigation]:
    """Three West cases from the last few hours: high risk with the suspect in custody,
    medium risk with a health need, standard risk with no need."""
    now = timezone.now()

    def case(ref: str, name: str, grade: str, hours: float, **person: Any) -> Investigation:
        given, family = name.split()
        victim = Person.objects.create(
            given_name=given, family_name=family, synthetic=True, **person
        )
        return Investigation.objects.create(
            investigation_ref=ref,
            recorded_at=now - dt.timedelta(hours=hours),
            first_police_visit_at=now - dt.timedelta(hours=hours - 0.5),
            bcu=areas["west"],
            district=areas["blackpool"],
            victim=victim,
            risk_grade=grade,
        )

    high = case("WB/26/0001", "Hana High", "high", 5)
    suspect = Person.objects.create(given_name="Sid", family_name="Custody", synthetic=True)
    high.suspect = suspect
    high.save()
    CustodyEpisode.objects.create(
        custody_ref="C-1",
        suspect=suspect,
        arrested_at=now - dt.timedelta(hours=4),
        expected_release_at=now + dt.timedelta(hours=6),
    )
    need = case("WB/26/0002", "Mia Medium", "medium", 4, vulnerabilities=["mental_health"])
    plain = case("WB/26/0003", "Sam Standard", "standard", 3)
    return {"high": high, "need": need, "plain": plain}


def _refs(titles: Any) -> list[str]:
    """The investigation references of the cards shown, in order."""
    return [re.search(r"WB/\d+/\d+", title).group(0) for title in titles.all_inner_texts()]  # type: ignore[union-attr]


def _open_details(page: Any, summary_text: str) -> None:
    summary = page.locator("summary", has_text=summary_text)
    summary.focus()
    page.keyboard.press("Enter")


def _choose_and_submit(page: Any, card: Any, arrow_presses: int, reason: str = "") -> None:
    """From the open decision form: Tab into the radios, arrow to the choice, Tab to the reason,
    type it, Tab to the button and press Enter."""
    card.locator("summary", has_text="decision").focus()
    page.keyboard.press("Tab")  # the first radio
    page.keyboard.press("Space")
    for _ in range(arrow_presses):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    if reason:
        page.keyboard.type(reason)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_sergeant_works_the_morning_queue_by_keyboard(
    viewport: dict[str, int],
    page: Any,
    live_server: Any,
    make_user: Any,
    morning: dict[str, Investigation],
) -> None:
    make_user("triage_sergeant")
    page.set_viewport_size(viewport)
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.get_by_role("link", name="Open the triage board").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/triage/")
    assert page.get_by_role("heading", level=1).inner_text() == "Triage board"
    assert_accessible(page, "triage board")
    page.set_viewport_size(viewport)

    # The high-risk case with the suspect in custody ranks first; read why.
    first = page.locator("section.provide-triage-case").first
    assert "1. WB/26/0001" in first.locator("h3").inner_text()
    _open_details(page, "points for WB/26/0001")
    reasons = first.locator(".provide-triage-reasons table")
    assert reasons.is_visible()
    assert "Suspect in police custody now; expected release in" in reasons.inner_text()
    assert "High risk on the latest assessment" in reasons.inner_text()
    assert_accessible(page, "triage board with reasons open")
    page.set_viewport_size(viewport)

    # Accept it for a post-incident joint visit: the row is swapped in place (no reload).
    page.evaluate("window.__noReload = true")
    _open_details(page, "Record a decision for WB/26/0001")
    _choose_and_submit(page, first, arrow_presses=1)
    status = page.locator(f"#case-{morning['high'].public_id} [role=status]")
    status.wait_for()
    assert (
        status.inner_text() == "Decision recorded: Joint visit (post-incident) (policy version 1)."
    )
    assert page.evaluate("document.activeElement.getAttribute('role')") == "status"
    assert page.evaluate("window.__noReload") is True

    # Decline the eligible medium-risk case: first without a reason (the problem is shown and
    # focused), then with one.
    need = page.locator(f"#case-{morning['need'].public_id}")
    _open_details(page, "Record a decision for WB/26/0002")
    _choose_and_submit(page, need, arrow_presses=3)
    need = page.locator(f"#case-{morning['need'].public_id}")
    need.locator(".govuk-error-summary").wait_for()
    assert (
        "this decision differs from the policy" in need.locator(".govuk-error-summary").inner_text()
    )
    assert need.locator("input[value=not_eligible]").is_checked()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert_accessible(page, "triage board with a decision error")
    page.set_viewport_size(viewport)
    need.locator("textarea").focus()
    page.keyboard.type("Victim has moved out of the force area")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f"#case-{morning['need'].public_id} [role=status]").wait_for()
    assert page.evaluate("window.__noReload") is True

    decisions = {
        d.investigation.investigation_ref: d
        for d in TriageDecision.objects.select_related("investigation")
    }
    assert (
        decisions["WB/26/0001"].decision == "joint_visit_post"
        and decisions["WB/26/0001"].status == "open"
    )
    assert (
        decisions["WB/26/0002"].decision == "not_eligible"
        and decisions["WB/26/0002"].eligibility_overridden
    )
    assert decisions["WB/26/0002"].reasons == "Victim has moved out of the force area"
    # The refresh holds off while a form is open, and runs when nothing is in use.
    assert page.evaluate("window.provideTriageCanRefresh()") is False
    page.evaluate(
        "document.querySelectorAll('#triage-queue details').forEach(d => d.open = false);"
        "document.activeElement.blur()"
    )
    assert page.evaluate("window.provideTriageCanRefresh()") is True
    assert_accessible(page, "triage board after two decisions")


@pytest.mark.django_db(transaction=True)
def test_decided_cases_fold_away_and_come_back_by_keyboard(
    page: Any, live_server: Any, make_user: Any, morning: dict[str, Investigation]
) -> None:
    # Given the high-risk case already accepted, the board opens on the two still to decide
    sergeant = make_user("triage_sergeant")
    triage_decision_record(
        user=sergeant, investigation_id=morning["high"].public_id, decision="joint_visit_post"
    )
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/triage/")
    cards = page.locator("section.provide-triage-case h3")
    assert _refs(cards) == ["WB/26/0002", "WB/26/0003"]
    assert "1 decided case is folded away." in page.locator("main").inner_text()
    assert page.locator(".provide-board-filter [aria-current=page]").inner_text() == "To decide (2)"
    assert_accessible(page, "triage board with decided cases folded")

    # When the sergeant follows "Show decided cases" by keyboard, HTMX swaps the queue in place
    page.evaluate("window.__noReload = true")
    page.get_by_role("link", name="Show decided cases (1)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/triage/?show=decided")
    page.locator("#case-" + str(morning["high"].public_id)).wait_for()
    assert page.evaluate("window.__noReload") is True
    assert page.evaluate("document.activeElement.getAttribute('aria-current')") == "page"
    assert page.evaluate("document.activeElement.textContent") == "Decided (1)"
    assert "WB/26/0002" not in page.locator("#triage-queue").inner_text()
    assert_accessible(page, "triage board showing decided cases")

    # And back to the cases to decide, one Shift+Tab away
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/triage/?show=undecided")
    page.locator(f"#case-{morning['need'].public_id}").wait_for()

    # Without JavaScript's help the same filter is a plain link: all cases, undecided first
    page.goto(f"{live_server.url}/triage/?show=all")
    assert _refs(cards) == ["WB/26/0002", "WB/26/0003", "WB/26/0001"]


@pytest.mark.django_db(transaction=True)
def test_stale_list_and_handover_are_accessible(
    page: Any, live_server: Any, make_user: Any, morning: dict[str, Investigation]
) -> None:
    make_user("triage_sergeant")
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.get_by_role("link", name="Not yet visited").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Accepted but not visited"
    assert_accessible(page, "stale list")
    page.goto(f"{live_server.url}/triage/handover/")
    assert "WB/26/0001: In police custody" in page.locator("main").inner_text()
    assert_accessible(page, "hand-over")


@pytest.mark.django_db(transaction=True)
def test_administrator_previews_then_saves_a_policy(
    page: Any, live_server: Any, make_user: Any, morning: dict[str, Investigation]
) -> None:
    make_user("administrator")
    sign_in_by_keyboard(page, live_server.url, "administrator")
    page.get_by_role("link", name="Triage policy").first.click()
    assert_accessible(page, "policy versions")
    page.get_by_role("link", name="Change the policy").click()
    assert_accessible(page, "policy editor")

    page.get_by_label("What changed and why").fill("Custody window matters more")
    page.get_by_label("Suspect in custody now", exact=True).fill("5")
    page.get_by_label("Pregnancy", exact=True).fill("40")
    page.get_by_label("Preview on today's board for").select_option("West")
    page.get_by_role("button", name="Preview the ranking").click()
    preview = page.locator("#policy-preview")
    preview.wait_for()
    assert "Preview: West BCU today, 3 cases" in preview.inner_text()
    assert "WB/26/0001" in preview.inner_text()
    assert page.get_by_label("Pregnancy", exact=True).input_value() == "40"
    assert_accessible(page, "policy editor with preview")

    page.get_by_label("Medium risk", exact=True).fill("90")
    page.get_by_role("button", name="Save as version 2").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert page.get_by_text("Medium risk cannot score more than high risk").first.is_visible()
    assert page.get_by_label("Medium risk", exact=True).input_value() == "90"
    assert_accessible(page, "policy editor with errors")
    assert TriagePolicy.objects.count() == 1

    page.get_by_label("Medium risk", exact=True).fill("25")
    page.get_by_role("button", name="Save as version 2").click()
    page.wait_for_url("**/triage/policy/")
    assert page.get_by_text("Triage policy version 2 saved and now in use").is_visible()
    assert TriagePolicy.objects.get(is_active=True).weights["suspect_in_custody"] == 5
    assert_accessible(page, "policy versions after saving")
