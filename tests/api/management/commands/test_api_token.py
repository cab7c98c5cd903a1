"""provide api-token: a new token, printed once, that works, expires and replaces the old one."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_api_token_prints_a_new_token_once_that_works_and_replaces_the_old(
    personas: dict[str, Any],
) -> None:
    sergeant = personas["triage_sergeant"]
    first = _run("api_token", "triage.sergeant")[0].strip()
    second, note = _run("api_token", "triage.sergeant")
    second = second.strip()
    assert first != second and AuthToken.objects.filter(user=sergeant).count() == 1
    assert Client(HTTP_AUTHORIZATION=f"Token {first}").get("/api/cases/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {second}").get("/api/cases/").status_code == 200
    assert "expires" in note and "revokes it" in note
    event = assert_audited(
        "api.token_issued",
        action=AuditAction.CREATE,
        actor_username="provide api-token",
        subject=sergeant,
        count=2,
    )
    assert event.changes["replaced_earlier_tokens"] == 1
    assert first not in json.dumps(event.changes) and second not in json.dumps(event.changes)


def test_api_token_is_stored_only_as_a_hash(personas: dict[str, Any]) -> None:
    key = _run("api_token", "triage.sergeant")[0].strip()
    stored = AuthToken.objects.get(user=personas["triage_sergeant"])
    assert (
        key not in stored.digest
        and len(key) > len(stored.token_key)
        and key.startswith(stored.token_key)
    )


def test_api_token_stops_working_after_its_lifetime(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=12)}
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        key = _run("api_token", "triage.sergeant")[0].strip()
        stored = AuthToken.objects.get(user=personas["triage_sergeant"])
        assert stored.expiry == timezone.now() + dt.timedelta(hours=12)
        traveller.shift(dt.timedelta(hours=11, minutes=59))
        assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/cases/").status_code == 200
        traveller.shift(dt.timedelta(minutes=2))
        assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/cases/").status_code == 401
    assert not AuthToken.objects.filter(user=personas["triage_sergeant"]).exists()


def test_api_token_refuses_unknown_and_deactivated_users(personas: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        _run("api_token", "nobody")
    sergeant = personas["triage_sergeant"]
    sergeant.is_active = False
    sergeant.save()
    with pytest.raises(
        CommandError, match=r"triage\.sergeant is deactivated: reactivate them first"
    ):
        _run("api_token", "triage.sergeant")
    assert not AuthToken.objects.filter(user=sergeant).exists()
