"""The idle timeout and the end of a shift-long session (provide.accounts.idle)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from knox.models import AuthToken

from provide.accounts.idle import IDLE, SESSION_ENDED, signed_out_message, timeout_reason
from provide.accounts.models import User
from provide.audit.models import AuditAction, AuditEvent
from tests.audit_assertions import assert_audited
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
IDLE_NOTICE = "You were signed out because you had not used Provide for 30 minutes"


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user("response_officer")


def sign_in(client: Client, user: User) -> None:
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_a_user_idle_for_thirty_minutes_is_signed_out_and_told_why(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get("/audit/?page=2")
        assert response.status_code == 302
        assert response["Location"] == "/sign-in/?next=%2Faudit%2F%3Fpage%3D2"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert IDLE_NOTICE in page
        # Said once: the notice is gone on the next visit.
        assert IDLE_NOTICE not in client.get("/sign-in/").content.decode()
    event = assert_audited("accounts.signed_out_idle", action=AuditAction.SIGN_OUT, actor=officer)
    assert event.changes == {"idle_minutes": 30}


def test_using_provide_keeps_the_session(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        for _ in range(6):  # two hours, a page every twenty minutes
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_the_idle_limit_comes_from_the_settings(officer: User, settings: Any) -> None:
    settings.PROVIDE_IDLE_MINUTES = 10
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        assert client.get("/").status_code == 302
        assert "had not used Provide for 10 minutes" in client.get("/sign-in/").content.decode()


def test_the_session_ends_after_a_shift_however_busy(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        for _ in range(24):  # eight hours of pages every twenty minutes
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=1))
        assert client.get("/").status_code == 302
        assert "you had been signed in for 8 hours" in client.get("/sign-in/").content.decode()
    assert_audited("accounts.signed_out_session_ended", action=AuditAction.SIGN_OUT, actor=officer)


def test_a_page_refreshing_itself_does_not_count_as_use(officer: User) -> None:
    """A board polling every two minutes on an unattended screen still signs out."""
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        for _ in range(15):  # thirty minutes of refreshes, two minutes apart
            traveller.shift(dt.timedelta(minutes=2))
            polled = client.get("/", HTTP_HX_REQUEST="true", HTTP_X_PROVIDE_BACKGROUND="true")
            assert polled.status_code == 200
        traveller.shift(dt.timedelta(seconds=1))
        polled = client.get("/", HTTP_HX_REQUEST="true", HTTP_X_PROVIDE_BACKGROUND="true")
    assert polled.status_code == 204 and polled["HX-Redirect"] == "/sign-in/"
    assert_audited("accounts.signed_out_idle", action=AuditAction.SIGN_OUT, actor=officer)


def test_api_requests_with_a_token_are_not_affected(officer: User) -> None:
    _, key = AuthToken.objects.create(officer)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    with time_machine.travel(START, tick=False) as traveller:
        assert api.get("/api/investigations/").status_code == 200
        traveller.shift(dt.timedelta(hours=2))
        assert api.get("/api/investigations/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_htmx_is_told_to_load_the_sign_in_page_whole(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/sign-in/"


def test_a_form_posted_after_the_timeout_is_not_acted_on(officer: User) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, officer)
        traveller.shift(dt.timedelta(minutes=31))
        response = client.post("/sign-out/")
    # Signed out by the timeout (audited as such), not by the form: no "signed_out" event.
    assert response.status_code == 302
    assert_audited("accounts.signed_out_idle", action=AuditAction.SIGN_OUT, actor=officer)
    assert not AuditEvent.objects.filter(event="accounts.signed_out").exists()


def test_timeout_reason() -> None:
    started, now = 1_000_000.0, 1_000_000.0 + 8 * 3600 + 1
    assert timeout_reason(started=started, last_seen=now - 60, now=now) == SESSION_ENDED
    assert timeout_reason(started=now - 3600, last_seen=now - 30 * 60 - 1, now=now) == IDLE
    assert timeout_reason(started=now - 3600, last_seen=now - 30 * 60, now=now) is None
    assert timeout_reason(started=None, last_seen=None, now=now) is None


def test_signed_out_message() -> None:
    assert signed_out_message(IDLE) == (
        "You were signed out because you had not used Provide for 30 minutes. Sign in again to carry on."
    )
    assert signed_out_message(SESSION_ENDED) == (
        "You were signed out because you had been signed in for 8 hours. Sign in again to carry on."
    )
    assert signed_out_message(None) == ""
