"""Each role's first journey in a real browser: sign in by keyboard, land on the home page,
pass axe-core at desktop and phone width, open a record, sign out."""

from __future__ import annotations

from typing import Any

import pytest

from provide.accounts.roles import ALL_ROLES
from tests.browser.conftest import assert_accessible
from tests.cast import PASSWORD
from tests.web.test_pages import HOME_HEADINGS


def sign_in_by_keyboard(page: Any, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/")
    assert "/sign-in/" in page.url
    page.keyboard.press("Tab")  # the skip link comes first
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)


@pytest.mark.django_db(transaction=True)
def test_sign_in_page_is_accessible(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page, "sign-in page")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "sign-in page with errors")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda r: r.slug)
def test_role_signs_in_and_home_page_passes_axe(
    role: Any, page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    username = role.slug.replace("_", ".")
    make_user(role.slug)
    sign_in_by_keyboard(page, live_server.url, username)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == HOME_HEADINGS[role.slug]
    assert page.get_by_text(role.name, exact=False).first.is_visible()
    assert_accessible(page, f"{role.name} home")
    link = page.get_by_role("link", name="Alice Westby")
    if link.count():
        link.first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Alice Westby"
        assert_accessible(page, f"{role.name}: person page")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


@pytest.mark.django_db(transaction=True)
def test_administrator_searches_the_audit_log(page: Any, live_server: Any, make_user: Any) -> None:
    make_user("administrator")
    sign_in_by_keyboard(page, live_server.url, "administrator")
    page.get_by_role("link", name="Audit log").first.click()
    assert_accessible(page, "audit log")
    page.get_by_label("User name").fill("administrator")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("accounts.signed_in").first.is_visible()
    page.get_by_label("To (YYYY-MM-DD)").fill("2000-01-01")
    page.get_by_label("From (YYYY-MM-DD)").fill("2001-01-01")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_text("The end date must be on or after the start date").first.is_visible()
    assert_accessible(page, "audit log with errors")


@pytest.mark.django_db(transaction=True)
def test_break_glass_page_is_accessible(
    page: Any, live_server: Any, make_user: Any, east_case: dict[str, Any]
) -> None:
    make_user("triage_sergeant")
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    page.goto(f"{live_server.url}/people/{east_case['victim'].public_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == "This record is outside your area"
    assert_accessible(page, "break-glass page")


@pytest.mark.django_db(transaction=True)
def test_investigation_page_is_accessible(
    page: Any, live_server: Any, make_user: Any, west_case: dict[str, Any]
) -> None:
    make_user("response_officer")
    sign_in_by_keyboard(page, live_server.url, "response.officer")
    page.get_by_role("link", name="WB/2026/000001").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "WB/2026/000001"
    assert_accessible(page, "investigation page")
