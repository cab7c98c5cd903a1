"""provide create-admin: an administrator from PROVIDE_ADMIN_PASSWORD, never a weak password."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from provide.accounts.models import User
from provide.accounts.roles import ADMINISTRATOR
from provide.accounts.services import role_of
from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
STRONG = "correct horse battery staple 42"


def test_an_administrator_is_created_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVIDE_ADMIN_PASSWORD", STRONG)
    out = StringIO()
    call_command("create_admin", "--username", " chief ", "--no-input", stdout=out)
    user = User.objects.get(username="chief")
    assert role_of(user) == ADMINISTRATOR and user.is_staff and user.check_password(STRONG)
    assert out.getvalue().strip() == "Administrator 'chief' created."


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (["--username", "  "], STRONG, "--username must not be empty"),
        (["--no-input"], "", "PROVIDE_ADMIN_PASSWORD is not set"),
        (["--no-input"], "admin", "too short"),
    ],
)
def test_bad_input_is_refused_with_one_line(
    monkeypatch: pytest.MonkeyPatch, args: list[str], password: str, message: str
) -> None:
    monkeypatch.setenv("PROVIDE_ADMIN_PASSWORD", password)
    with pytest.raises(CommandError, match=message):
        call_command("create_admin", *args, stdout=StringIO())
    assert not User.objects.exists()


def test_an_existing_user_is_not_overwritten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVIDE_ADMIN_PASSWORD", STRONG)
    call_command("create_admin", "--no-input", stdout=StringIO())
    monkeypatch.setenv("PROVIDE_ADMIN_PASSWORD", STRONG + " changed")
    with pytest.raises(CommandError, match="a user called 'admin' already exists"):
        call_command("create_admin", "--no-input", stdout=StringIO())
    assert User.objects.get(username="admin").check_password(STRONG)


def test_creating_an_administrator_is_audited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROVIDE_ADMIN_PASSWORD", STRONG)
    call_command("create_admin", "--no-input", stdout=StringIO())
    user = User.objects.get(username="admin")
    event = assert_audited(
        "accounts.user_created",
        action=AuditAction.CREATE,
        actor_username="provide create-admin",
        subject=user,
    )
    assert event.actor is None
    assert (
        event.changes["role"] == [None, "Administrator"] and event.changes["password_set"] is True
    )
    assert STRONG not in str(event.changes)
