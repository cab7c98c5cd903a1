"""Sign-in security in a real browser: the lockout journey, the idle timeout's notice, and
single sign-on end to end against a real OpenID Connect provider started for the test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache

from provide.accounts.idle import LAST_SEEN_KEY
from provide.accounts.models import User
from provide.accounts.roles import TRIAGE_SERGEANT
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from tests.accounts.oidc_idp.flow import IDP_PASSWORD, configure, directory_users
from tests.accounts.oidc_idp.process import IdentityProvider, running_identity_provider
from tests.audit_assertions import assert_audited
from tests.browser.conftest import assert_accessible
from tests.browser.test_role_homes import sign_in_by_keyboard
from tests.cast import PASSWORD
from tests.web.test_pages import HOME_HEADINGS


def type_sign_in(page: Any, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.django_db(transaction=True)
def test_the_lockout_journey(page: Any, live_server: Any, make_user: Any) -> None:
    officer = make_user("response_officer")
    page.goto(f"{live_server.url}/sign-in/")
    for _ in range(4):
        type_sign_in(page, officer.username, "not-my-password-at-all")
        assert page.get_by_text("There is a problem").is_visible()
    type_sign_in(page, officer.username, "not-my-password-at-all")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "You cannot sign in at the moment"
    assert page.get_by_text(
        "contact your Provide administrator. They can unlock your account."
    ).is_visible()
    assert_accessible(page, "lockout page")
    # Even the right password is refused while the account is locked.
    page.get_by_role("link", name="Back to sign in").click()
    type_sign_in(page, officer.username, PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "You cannot sign in at the moment"
    assert "/sign-in/" in page.url
    assert_audited(
        "accounts.locked_out",
        action=AuditAction.SIGN_IN_FAILED,
        subject=officer,
        actor_username=officer.username,
    )


@pytest.mark.django_db(transaction=True)
def test_the_idle_timeout_notice(page: Any, live_server: Any, make_user: Any) -> None:
    make_user("triage_sergeant")
    sign_in_by_keyboard(page, live_server.url, "triage.sergeant")
    # An hour without a request: move the session's last-used time back, as the clock would.
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=cookie["value"])
    session[LAST_SEEN_KEY] = session[LAST_SEEN_KEY] - 60 * 60
    session.save()
    page.reload()
    assert "/sign-in/" in page.url
    assert page.get_by_text(
        "You were signed out because you had not used Provide for 30 minutes"
    ).is_visible()
    assert_accessible(page, "sign-in page after the idle timeout")


@pytest.fixture
def sso(settings: Any, live_server: Any, tmp_path: Any, areas: Any) -> Iterator[IdentityProvider]:
    """A provider that sends the browser back to this live server, and Provide pointed at it."""
    with running_identity_provider(
        tmp_path,
        users=directory_users("sam.sergeant", "nia.noone"),
        redirect_uris=[f"{live_server.url}/oidc/callback/"],
    ) as provider:
        configure(settings, provider)
        cache.clear()
        yield provider


def sign_in_at_provider(page: Any, username: str) -> None:
    page.get_by_label("Directory username").fill(username)
    page.get_by_label("Directory password").fill(IDP_PASSWORD)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.django_db(transaction=True)
def test_single_sign_on_journey(page: Any, live_server: Any, sso: IdentityProvider) -> None:
    sso.set_claims("sam.sergeant", roles=["provide-sergeants"], bcu="West")
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    assert_accessible(page, "sign-in page with single sign-on")
    page.get_by_role("button", name="Sign in with Test Directory").click()
    page.wait_for_url(f"{sso.base_url}/**")
    sign_in_at_provider(page, "sam.sergeant")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == HOME_HEADINGS["triage_sergeant"]
    assert page.get_by_text("Signed in as Sam Sergeant · Triage sergeant · West BCU").is_visible()
    user = User.objects.get(username="sam.sergeant")
    assert role_of(user) == TRIAGE_SERGEANT
    assert_audited("accounts.signed_in_sso", action=AuditAction.SIGN_IN, actor=user)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


@pytest.mark.django_db(transaction=True)
def test_single_sign_on_without_a_role_is_refused_with_a_clear_page(
    page: Any, live_server: Any, sso: IdentityProvider
) -> None:
    sso.set_claims("nia.noone", roles=["payroll-users"])
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in with Test Directory").click()
    sign_in_at_provider(page, "nia.noone")
    page.wait_for_url(f"{live_server.url}/oidc/callback/**")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "You cannot sign in with Test Directory"
    )
    assert page.get_by_text(
        "Your Test Directory account does not give you a role in Provide."
    ).is_visible()
    assert_accessible(page, "single sign-on refused")
    assert not User.objects.filter(username="nia.noone").exists()
