"""provide unlock-user: an administrator's unlock from the command line, audited."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from provide.accounts.models import User
from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def lock(username: str, address: str = "192.0.2.20") -> None:
    for _ in range(5):
        Client().post(
            "/sign-in/",
            {"username": username, "password": "wrong-wrong-wrong"},
            REMOTE_ADDR=address,
        )


def can_sign_in(username: str, address: str = "192.0.2.21") -> bool:
    return (
        Client()
        .post("/sign-in/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address)
        .status_code
        == 302
    )


def test_an_account_is_unlocked(make_user: Callable[..., User]) -> None:
    officer = make_user("response_officer")
    lock(officer.username)
    assert not can_sign_in(officer.username)
    out = StringIO()
    call_command("unlock_user", officer.username, stdout=out)
    assert (
        out.getvalue().strip()
        == "'response.officer' can sign in again (1 failed-sign-in records cleared)."
    )
    assert can_sign_in(officer.username)
    assert_audited(
        "accounts.sign_in_unlocked",
        action=AuditAction.UPDATE,
        actor_username="provide unlock-user",
        subject=officer,
    )


def test_an_address_is_unlocked(make_user: Callable[..., User]) -> None:
    officer = make_user("response_officer")
    for number in range(5):
        Client().post(
            "/sign-in/",
            {"username": f"guess{number}", "password": "x" * 12},
            REMOTE_ADDR="192.0.2.30",
        )
    assert not can_sign_in(officer.username, address="192.0.2.30")
    out = StringIO()
    call_command("unlock_user", "--address", "192.0.2.30", stdout=out)
    assert "192.0.2.30 can sign in again (5 failed-sign-in records cleared)." in out.getvalue()
    assert can_sign_in(officer.username, address="192.0.2.30")
    assert_audited(
        "accounts.sign_in_address_unlocked",
        action=AuditAction.UPDATE,
        actor_username="provide unlock-user",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a USERNAME, an --address, or both"),
        (["--address", "nowhere"], "'nowhere': That is not an IP address."),
    ],
)
def test_bad_input_is_refused_with_one_line(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("unlock_user", *args, stdout=StringIO())
