"""System checks with stable ids, and an admin the administrator can work in."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.urls import reverse


def _ids() -> set[str]:
    return {message.id for message in run_checks()}


@override_settings(SESSION_COOKIE_AGE=3 * 24 * 60 * 60)
def test_overlong_sessions_fail_the_check() -> None:
    assert "provide.E001" in _ids()


@override_settings(
    PROVIDE_SHOW_SYNTHETIC_BANNER=False,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
def test_live_system_on_sqlite_is_warned() -> None:
    assert "provide.W002" in _ids()


@override_settings(DEBUG=False, SECRET_KEY="short")
def test_short_secret_key_is_warned() -> None:
    assert "provide.W001" in _ids()


@pytest.mark.django_db
def test_administrator_works_in_the_admin(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["administrator"])
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    html = index.content.decode()
    for section in ("Users", "Areas", "Teams", "Shifts", "Triage policies", "Audit events"):
        assert section in html, section
    assert "Support records" not in html  # health side: not for administrators
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:areas_area_add")).status_code == 200
    assert client.get(reverse("admin:health_supportrecord_changelist")).status_code == 403
