"""Start-up system checks (config/checks.py): each warns or fails on its own condition only,
with its stable id and a hint, and ``provide check`` runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import checks as django_checks
from django.test import override_settings

from provide.config import checks
from provide.core.planning import native

LONG_KEY = "k" * 50


def _ids(messages: list[django_checks.CheckMessage]) -> list[str]:
    return [message.id or "" for message in messages]


@pytest.fixture
def native_reloaded(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Let a test change what the compiled pricing's loader sees; reload it after."""
    native._load.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    native._load.cache_clear()


def test_every_check_is_registered() -> None:
    registered = django_checks.registry.registry.get_checks(include_deployment_checks=True)
    for check in (
        checks.check_secret_key,
        checks.check_live_system_uses_postgresql,
        checks.check_sessions_are_bounded,
        checks.check_planner_pricing_is_compiled,
    ):
        assert check in registered


# provide.W001 ---------------------------------------------------------------------------


@override_settings(DEBUG=False, SECRET_KEY="too-short")
def test_short_secret_key_warns_when_not_debugging() -> None:
    (message,) = checks.check_secret_key(None)
    assert message.id == "provide.W001"
    assert message.level == django_checks.WARNING
    assert "token_urlsafe" in message.hint


@override_settings(DEBUG=True, SECRET_KEY="too-short")
def test_short_secret_key_is_allowed_while_debugging() -> None:
    assert checks.check_secret_key(None) == []


@override_settings(DEBUG=False, SECRET_KEY=LONG_KEY)
def test_long_secret_key_passes() -> None:
    assert checks.check_secret_key(None) == []


# provide.W002 ---------------------------------------------------------------------------


def _engine(name: str) -> dict[str, dict[str, object]]:
    return {**settings.DATABASES, "default": {**settings.DATABASES["default"], "ENGINE": name}}


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_live_system_on_sqlite_warns() -> None:
    with override_settings(
        PROVIDE_SHOW_SYNTHETIC_BANNER=False, DATABASES=_engine("django.db.backends.sqlite3")
    ):
        (message,) = checks.check_live_system_uses_postgresql(None)
    assert message.id == "provide.W002"
    assert "DATABASE_URL=postgresql://" in message.hint


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_live_system_on_postgresql_passes() -> None:
    with override_settings(
        PROVIDE_SHOW_SYNTHETIC_BANNER=False, DATABASES=_engine("django.db.backends.postgresql")
    ):
        assert checks.check_live_system_uses_postgresql(None) == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_synthetic_system_may_run_on_sqlite() -> None:
    with override_settings(
        PROVIDE_SHOW_SYNTHETIC_BANNER=True, DATABASES=_engine("django.db.backends.sqlite3")
    ):
        assert checks.check_live_system_uses_postgresql(None) == []


# provide.E001 ---------------------------------------------------------------------------


@override_settings(SESSION_COOKIE_AGE=24 * 60 * 60 + 1)
def test_session_longer_than_a_day_is_an_error() -> None:
    (message,) = checks.check_sessions_are_bounded(None)
    assert message.id == "provide.E001"
    assert message.level == django_checks.ERROR
    assert message.is_serious()


@override_settings(SESSION_COOKIE_AGE=24 * 60 * 60)
def test_session_of_a_day_passes() -> None:
    assert checks.check_sessions_are_bounded(None) == []


# provide.W003 ---------------------------------------------------------------------------


def test_compiled_pricing_passes_when_it_is_in_use() -> None:
    if not native.available():
        pytest.skip(f"compiled pricing unavailable here: {native.unavailable_reason()}")
    assert checks.check_planner_pricing_is_compiled(None) == []


def test_pricing_in_python_warns_with_how_to_build_it(native_reloaded: pytest.MonkeyPatch) -> None:
    native_reloaded.setattr(native, "EXTENSION", "provide.core.planning._not_built")
    (message,) = checks.check_planner_pricing_is_compiled(None)
    assert message.id == "provide.W003"
    assert message.level == django_checks.WARNING
    assert "was not built" in message.msg
    assert "gcc" in message.hint and "Python headers" in message.hint
    assert "make install" in message.hint


def test_pricing_turned_off_warns_with_how_to_turn_it_on(
    native_reloaded: pytest.MonkeyPatch,
) -> None:
    native_reloaded.setenv("PROVIDE_NATIVE_PRICING", "0")
    (message,) = checks.check_planner_pricing_is_compiled(None)
    assert message.id == "provide.W003"
    assert native.TURNED_OFF in message.msg
    assert "Unset PROVIDE_NATIVE_PRICING" in message.hint
    assert "gcc" not in message.hint


def test_provide_check_reports_pricing_in_python(tmp_path: object) -> None:
    env = {
        **os.environ,
        "PROVIDE_NATIVE_PRICING": "0",
        "DJANGO_SECRET_KEY": LONG_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite3",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "provide", "check"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr  # a warning does not stop the system
    assert "provide.W003" in done.stderr + done.stdout
    assert "PROVIDE_NATIVE_PRICING=0" in done.stderr + done.stdout
