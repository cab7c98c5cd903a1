"""Signing out of the web pages and being deactivated revoke every API token of the user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken

from provide.audit.models import AuditAction
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def _api_works(key: str) -> bool:
    return Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/cases/").status_code == 200


def test_signing_out_of_the_web_pages_revokes_the_users_api_tokens(
    personas: dict[str, Any],
) -> None:
    sergeant, officer = personas["triage_sergeant"], personas["response_officer"]
    _, key = AuthToken.objects.create(sergeant)
    _, other_key = AuthToken.objects.create(officer)
    browser = Client()
    assert (
        browser.post("/sign-in/", {"username": "triage.sergeant", "password": PASSWORD}).status_code
        == 302
    )
    assert _api_works(key)
    # When the sergeant signs out of the web pages
    assert browser.post("/sign-out/").status_code == 302
    # Then their API token no longer works, and another user's still does
    assert not _api_works(key) and not AuthToken.objects.filter(user=sergeant).exists()
    assert _api_works(other_key)
    event = assert_audited(
        "api.tokens_revoked", action=AuditAction.DELETE, actor=sergeant, subject=sergeant
    )
    assert event.reason == "signed out"


def test_deactivating_a_user_revokes_their_api_tokens(personas: dict[str, Any]) -> None:
    officer = personas["response_officer"]
    _, key = AuthToken.objects.create(officer)
    assert _api_works(key)
    officer.first_name = "Renamed"
    officer.save()
    assert _api_works(key), "an ordinary change to an active user keeps their token"
    officer.is_active = False
    officer.save()
    assert not AuthToken.objects.filter(user=officer).exists()
    event = assert_audited(
        "api.tokens_revoked", action=AuditAction.DELETE, actor_username="provide", subject=officer
    )
    assert event.reason == "account deactivated" and event.actor is None
