"""User management in a real browser: the administrator adds a user and asks for a health role
for them, the IDVA manager approves it, and every page on the way passes axe-core at desktop
and phone width."""

from __future__ import annotations

from typing import Any

import pytest

from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.roles import ROLES_BY_SLUG
from provide.accounts.services import role_of
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")


@pytest.mark.django_db(transaction=True)
def test_administrator_adds_a_user_and_an_idva_manager_approves_their_health_role(
    page: Any, live_server: Any, make_user: Any, areas: dict[str, Any]
) -> None:
    make_user("administrator")
    make_user("idva_manager")
    # The administrator adds a West user and asks for the health IDVA role for them
    sign_in_by_keyboard(page, live_server.url, "administrator")
    page.get_by_role("link", name="Users", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
    assert_accessible(page, "user list")
    page.get_by_role("button", name="Add a user").click()
    assert_accessible(page, "new user form")
    page.get_by_role("button", name="Add the user").click()  # nothing filled in
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page, "new user form with errors")
    page.get_by_label("Username").fill("ida.vale")
    page.get_by_label("First name").fill("Ida")
    page.get_by_label("Last name").fill("Vale")
    page.get_by_label("BCU", exact=True).select_option(label="West")
    page.get_by_label("Or ask for a health role").select_option(label="Health IDVA")
    page.get_by_label("Why they need the health role").fill("Joins the West IDVA team on Monday")
    page.get_by_role("button", name="Add the user").click()
    assert page.get_by_text("An IDVA manager must approve the health role.").is_visible()
    assert page.get_by_role("cell", name="Waiting for an IDVA manager", exact=True).is_visible()
    assert_accessible(page, "the new user's page")
    user = User.objects.get(username="ida.vale")
    assert role_of(user) is None
    _sign_out(page)

    # The IDVA manager finds the request and approves it
    sign_in_by_keyboard(page, live_server.url, "idva.manager")
    page.get_by_role("link", name="Health role requests").click()
    assert_accessible(page, "health role requests")
    page.get_by_role("link", name="Ida Vale").click()
    assert page.get_by_text("Joins the West IDVA team on Monday").is_visible()
    assert_accessible(page, "a health role request")
    page.get_by_role("button", name="Record my decision").click()  # no decision chosen
    assert page.get_by_text("Choose whether to approve or refuse the request").first.is_visible()
    assert_accessible(page, "a health role request with errors")
    page.get_by_label("Approve: give them the role").check()
    page.get_by_role("button", name="Record my decision").click()
    assert page.get_by_text("Health IDVA for ida.vale approved.").is_visible()
    assert_accessible(page, "health role requests after a decision")

    assert role_of(User.objects.get(username="ida.vale")) == ROLES_BY_SLUG["health_idva"]
    assert HealthRoleGrantRequest.objects.get().status == "approved"
