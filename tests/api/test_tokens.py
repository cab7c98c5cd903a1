"""API tokens are issued hashed with an expiry, replace earlier ones, and are revoked, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from provide.api.tokens import api_token_issue, api_tokens_revoke
from provide.audit.models import AuditAction, AuditEvent
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_issue_keeps_only_a_hash_with_the_configured_expiry(
    personas: dict[str, Any], settings: Any
) -> None:
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": dt.timedelta(hours=3)}
    officer = personas["response_officer"]
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        issued = api_token_issue(user=officer, issued_by="provide api-token")
    stored = AuthToken.objects.get(user=officer)
    assert issued.expires_at == stored.expiry == dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    assert issued.key not in stored.digest and issued.replaced == 0
    event = assert_audited(
        "api.token_issued",
        action=AuditAction.CREATE,
        actor_username="provide api-token",
        subject=officer,
    )
    assert event.changes == {
        "replaced_earlier_tokens": 0,
        "expires_at": "2026-03-02T12:00:00+00:00",
    }


def test_issue_replaces_every_earlier_token(personas: dict[str, Any]) -> None:
    officer = personas["response_officer"]
    AuthToken.objects.create(officer)
    AuthToken.objects.create(officer)
    issued = api_token_issue(user=officer, issued_by="provide api-token")
    assert issued.replaced == 2
    assert list(AuthToken.objects.filter(user=officer).values_list("token_key", flat=True)) == [
        issued.key[:15]
    ]


def test_issue_refuses_a_deactivated_user_and_writes_nothing(personas: dict[str, Any]) -> None:
    officer = personas["response_officer"]
    officer.is_active = False
    with pytest.raises(PermissionDenied, match=r"response\.officer is deactivated"):
        api_token_issue(user=officer, issued_by="provide api-token")
    assert not AuthToken.objects.filter(user=officer).exists()
    assert not AuditEvent.objects.filter(event="api.token_issued").exists()


def test_revoke_deletes_only_that_users_tokens_and_audits_it(personas: dict[str, Any]) -> None:
    officer, sergeant = personas["response_officer"], personas["triage_sergeant"]
    AuthToken.objects.create(officer)
    AuthToken.objects.create(officer)
    AuthToken.objects.create(sergeant)
    assert api_tokens_revoke(user=officer, reason="signed out", actor=officer) == 2
    assert not AuthToken.objects.filter(user=officer).exists()
    assert AuthToken.objects.filter(user=sergeant).count() == 1
    event = assert_audited(
        "api.tokens_revoked", action=AuditAction.DELETE, actor=officer, subject=officer
    )
    assert event.reason == "signed out" and event.changes == {"tokens": 2}


def test_revoke_with_nothing_to_revoke_writes_no_event(personas: dict[str, Any]) -> None:
    assert api_tokens_revoke(user=personas["response_officer"], reason="signed out") == 0
    assert not AuditEvent.objects.filter(event="api.tokens_revoked").exists()


def test_an_expired_token_is_refused_and_cleared(personas: dict[str, Any]) -> None:
    officer = personas["response_officer"]
    issued = api_token_issue(user=officer, issued_by="provide api-token")
    assert issued.expires_at is not None
    with time_machine.travel(issued.expires_at + dt.timedelta(seconds=1), tick=False):
        assert timezone.now() > issued.expires_at
        assert (
            Client(HTTP_AUTHORIZATION=f"Token {issued.key}").get("/api/cases/").status_code == 401
        )
    assert not AuthToken.objects.filter(user=officer).exists()


def test_the_schema_needs_sign_in_and_describes_the_hashed_token_scheme(
    personas: dict[str, Any],
) -> None:
    assert Client().get("/api/schema/", {"format": "json"}).status_code == 401
    issued = api_token_issue(user=personas["analyst"], issued_by="provide api-token")
    schema = (
        Client(HTTP_AUTHORIZATION=f"Token {issued.key}")
        .get("/api/schema/", {"format": "json"})
        .json()
    )
    scheme = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert 'prefix "Token"' in scheme["description"]
    assert {"knoxApiToken": []} in schema["paths"]["/api/cases/"]["get"]["security"]
