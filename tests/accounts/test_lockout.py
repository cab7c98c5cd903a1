"""Throttling and lockout of password sign-in (django-axes through provide.accounts.lockout)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from provide.accounts.lockout import (
    ACCOUNT,
    ADDRESS,
    BAD_ADDRESS,
    LOCKED_BY_THIS_FAILURE,
    REFUSED_WHILE_LOCKED,
    UNLOCK_FORBIDDEN,
    client_address,
    is_exempt_from_lockout,
    sign_in_lockouts,
    sign_in_unlock,
    sign_in_unlock_address,
)
from provide.accounts.models import User
from provide.accounts.services import CommandLineOperator
from provide.audit.models import AuditAction, AuditEvent
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_IN = "/sign-in/"
WRONG = "not-the-password-at-all"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def attempt(client: Client, username: str, password: str, address: str = "192.0.2.10") -> Any:
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("response_officer")


@pytest.fixture
def administrator(make_user: Callable[..., User]) -> User:
    return make_user("administrator")


def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
    officer: User,
) -> None:
    client = Client()
    statuses = [attempt(client, officer.username, WRONG).status_code for _ in range(30)]
    # Four ordinary failures, then the fifth locks: that one and every later one get the lockout page.
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 26
    right = attempt(client, officer.username, PASSWORD)
    assert right.status_code == 429
    assert not signed_in(client)
    assert "You cannot sign in at the moment" in right.content.decode()
    # The lock is recorded once, against the account, with what locked it.
    event = assert_audited(
        "accounts.locked_out",
        action=AuditAction.SIGN_IN_FAILED,
        actor_username=officer.username,
        subject=officer,
    )
    assert event.flagged and event.ip_address == "192.0.2.10"
    assert event.changes == {"locked": [ACCOUNT, ADDRESS], "failures": 5, "cool_off_minutes": 30}
    # Every one of the 31 attempts is in the audit log as a failed sign-in, the refused ones marked.
    failures = AuditEvent.objects.filter(
        event="accounts.sign_in_failed", actor_username=officer.username
    )
    assert failures.count() == 31
    assert failures.filter(reason=LOCKED_BY_THIS_FAILURE).count() == 1
    assert failures.filter(reason=REFUSED_WHILE_LOCKED).count() == 26


def test_the_limit_and_cool_off_come_from_the_settings(officer: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=10)
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        assert [attempt(client, officer.username, WRONG).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        traveller.shift(dt.timedelta(minutes=9))
        assert attempt(client, officer.username, PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=1, seconds=1))
        response = attempt(client, officer.username, PASSWORD)
        assert response.status_code == 302 and signed_in(client)


def test_the_lock_ends_after_the_cool_off_and_refusals_do_not_extend_it(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(client, officer.username, WRONG)
        traveller.shift(dt.timedelta(minutes=20))
        assert attempt(client, officer.username, WRONG).status_code == 429  # refused, not counted
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        response = attempt(client, officer.username, PASSWORD)
        assert response.status_code == 302 and signed_in(client)


def test_a_success_clears_the_count(officer: User) -> None:
    client = Client()
    for _ in range(4):
        attempt(client, officer.username, WRONG)
    assert attempt(client, officer.username, PASSWORD).status_code == 302
    client.post(reverse("web:sign-out"))
    for _ in range(4):
        assert attempt(client, officer.username, WRONG).status_code == 200
    assert attempt(client, officer.username, PASSWORD).status_code == 302


def test_the_account_is_locked_from_every_address(officer: User) -> None:
    """Per account: failures from five addresses lock the account for a sixth."""
    for number in range(5):
        attempt(Client(), officer.username, WRONG, address=f"198.51.100.{number + 1}")
    client = Client()
    assert attempt(client, officer.username, PASSWORD, address="203.0.113.9").status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_for_every_account(
    officer: User, make_user: Callable[..., User]
) -> None:
    """Per address: five failures on five usernames lock the address, not those accounts elsewhere."""
    sergeant = make_user("triage_sergeant")
    for number in range(5):
        attempt(Client(), f"guess{number}", WRONG, address="192.0.2.66")
    assert attempt(Client(), officer.username, PASSWORD, address="192.0.2.66").status_code == 429
    elsewhere = Client()
    assert attempt(elsewhere, sergeant.username, PASSWORD, address="192.0.2.67").status_code == 302
    assert signed_in(elsewhere)
    event = assert_audited(
        "accounts.locked_out", action=AuditAction.SIGN_IN_FAILED, actor_username="guess4"
    )
    assert event.changes["locked"] == [ADDRESS] and event.object_id == ""


def test_the_lockout_page_says_what_to_do(officer: User) -> None:
    client = Client()
    with time_machine.travel(dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            response = attempt(client, officer.username, WRONG)
    page = response.content.decode()
    assert response.status_code == 429
    assert '<h1 class="govuk-heading-l">You cannot sign in at the moment</h1>' in page
    assert "contact your Provide administrator. They can unlock your account" in page
    assert "You can try again after <strong>2:35pm</strong>" in page  # 14:05 UTC is 14:05 GMT
    assert "30 minutes" in page
    assert PASSWORD not in page and WRONG not in page


def test_the_lockout_page_without_a_cool_off_says_only_an_administrator_can_unlock(
    officer: User, settings: Any
) -> None:
    settings.AXES_COOLOFF_TIME = None
    client = Client()
    for _ in range(5):
        response = attempt(client, officer.username, WRONG)
    assert "Signing in stays paused until an administrator unlocks it." in response.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
        assert attempt(client, officer.username, PASSWORD).status_code == 429


def test_the_administrator_unlocks_the_account_audited_with_actor_and_subject(
    officer: User, administrator: User
) -> None:
    client = Client()
    for _ in range(6):
        attempt(client, officer.username, WRONG)
    assert [(lock.kind, lock.value) for lock in sign_in_lockouts(user=administrator)] == [
        (ACCOUNT, officer.username),
        (ADDRESS, "192.0.2.10"),
    ]
    cleared = sign_in_unlock(actor=administrator, username=officer.username)
    assert cleared == 1  # one record: this account from this address and browser
    event = assert_audited(
        "accounts.sign_in_unlocked", action=AuditAction.UPDATE, actor=administrator, subject=officer
    )
    assert event.changes == {"username": officer.username, "records_cleared": 1}
    assert sign_in_lockouts(user=administrator) == []
    response = attempt(client, officer.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_administrator_unlocks_an_address(officer: User, administrator: User) -> None:
    for number in range(5):
        attempt(Client(), f"guess{number}", WRONG, address="192.0.2.66")
    assert sign_in_unlock_address(actor=administrator, ip_address="192.0.2.66") == 5
    assert_audited(
        "accounts.sign_in_address_unlocked",
        action=AuditAction.UPDATE,
        actor=administrator,
        changes={"ip_address": "192.0.2.66", "records_cleared": 5},
    )
    assert attempt(Client(), officer.username, PASSWORD, address="192.0.2.66").status_code == 302
    with pytest.raises(ValueError, match=re.escape(BAD_ADDRESS)):
        sign_in_unlock_address(actor=administrator, ip_address="not-an-address")


def test_only_an_administrator_may_unlock_or_list_locks(
    officer: User, make_user: Callable[..., User]
) -> None:
    sergeant = make_user("triage_sergeant")
    with pytest.raises(PermissionDenied, match=re.escape(UNLOCK_FORBIDDEN)):
        sign_in_unlock(actor=sergeant, username=officer.username)
    with pytest.raises(PermissionDenied):
        sign_in_unlock_address(actor=sergeant, ip_address="192.0.2.1")
    with pytest.raises(PermissionDenied):
        sign_in_lockouts(user=sergeant)
    assert (
        not AuditEvent.objects.filter(event__startswith="accounts.sign_in_")
        .exclude(event="accounts.sign_in_failed")
        .exists()
    )


def test_the_command_operator_may_unlock(officer: User) -> None:
    for _ in range(5):
        attempt(Client(), officer.username, WRONG)
    assert sign_in_unlock(actor=CommandLineOperator("unlock-user"), username=officer.username) == 1
    assert_audited(
        "accounts.sign_in_unlocked",
        action=AuditAction.UPDATE,
        actor_username="provide unlock-user",
        subject=officer,
    )


def test_the_api_token_is_not_affected_by_a_lock(officer: User) -> None:
    for _ in range(6):
        attempt(Client(), officer.username, WRONG, address="127.0.0.1")
    _, key = AuthToken.objects.create(officer)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(
        "/api/investigations/", REMOTE_ADDR="127.0.0.1"
    )
    assert response.status_code == 200
    assert attempt(Client(), officer.username, PASSWORD, address="127.0.0.1").status_code == 429


def test_the_admin_sign_in_is_throttled_too(officer: User, administrator: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": administrator.username, "password": WRONG},
            REMOTE_ADDR="192.0.2.50",
        )
    response = client.post(
        "/admin/login/",
        {"username": administrator.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.50",
    )
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_address_is_the_one_that_connected_unless_proxies_are_declared(
    rf: Any, settings: Any
) -> None:
    request = rf.post(
        SIGN_IN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1"
    )
    settings.PROVIDE_PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.2"  # the header is anyone's to write
    settings.PROVIDE_PROXY_COUNT = 2
    assert (
        client_address(request) == "198.51.100.7"
    )  # what the outer proxy saw; 6.6.6.6 is the client's claim
    settings.PROVIDE_PROXY_COUNT = 4
    assert client_address(request) == "10.0.0.2"
    assert (
        client_address(
            rf.post(SIGN_IN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk, 10.0.0.1")
        )
        == "10.0.0.2"
    )


def test_behind_proxies_each_person_is_counted_at_their_own_address(
    officer: User, settings: Any, make_user: Callable[..., User]
) -> None:
    settings.PROVIDE_PROXY_COUNT = 1
    for number in range(5):
        Client().post(
            SIGN_IN,
            {"username": f"guess{number}", "password": WRONG},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    blocked = Client().post(
        SIGN_IN,
        {"username": officer.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    colleague = Client().post(
        SIGN_IN,
        {"username": officer.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.67",
    )
    assert (blocked.status_code, colleague.status_code) == (429, 302)


def test_single_sign_on_callbacks_are_exempt(rf: Any) -> None:
    assert is_exempt_from_lockout(rf.get("/oidc/callback/?code=x&state=y"))
    assert not is_exempt_from_lockout(rf.post(SIGN_IN))
