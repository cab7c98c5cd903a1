"""Typed environment readers: a bad setting names itself in one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from provide.config import env


def test_env_bool_reads_true_and_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.env_bool("X_FLAG", default=False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env.env_bool("X_FLAG", default=True) is False


def test_env_bool_rejects_unknown_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(env.SettingError, match="X_FLAG must be true or false"):
        env.env_bool("X_FLAG", default=False)


def test_env_int_rejects_text_and_small_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(env.SettingError, match="X_NUM must be a whole number"):
        env.env_int("X_NUM", default=1)
    monkeypatch.setenv("X_NUM", "5")
    with pytest.raises(env.SettingError, match="at least 60"):
        env.env_int("X_NUM", default=60, minimum=60)


def test_env_secret_reads_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("X_KEY", raising=False)
    monkeypatch.setenv("X_KEY_FILE", str(secret))
    assert env.env_secret("X_KEY") == "s3cret"


def test_env_secret_missing_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_KEY", raising=False)
    monkeypatch.delenv("X_KEY_FILE", raising=False)
    with pytest.raises(env.SettingError, match="X_KEY is not set"):
        env.env_secret("X_KEY")


def test_database_url_relative_sqlite_is_under_the_repository(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("X_DB", "sqlite:///var/x.sqlite3")
    config = env.env_database_url("X_DB", "sqlite:///default.sqlite3", base_dir=tmp_path)
    assert config["NAME"] == str(tmp_path / "var" / "x.sqlite3")


def test_database_url_rejects_other_engines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("X_DB", "mysql://root@localhost/provide")
    with pytest.raises(env.SettingError, match="X_DB must be a sqlite"):
        env.env_database_url("X_DB", "sqlite:///d.sqlite3", base_dir=tmp_path)


def test_proxy_ssl_header_reads_a_header_and_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X_PROXY", raising=False)
    assert env.env_proxy_ssl_header("X_PROXY") is None
    monkeypatch.setenv("X_PROXY", " X-Forwarded-Proto: https ")
    assert env.env_proxy_ssl_header("X_PROXY") == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize(
    "raw", ["X-Forwarded-Proto", "X-Forwarded-Proto:", ": https", "X Forwarded: https"]
)
def test_proxy_ssl_header_rejects_a_malformed_header(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("X_PROXY", raw)
    with pytest.raises(env.SettingError, match="X_PROXY must look like 'X-Forwarded-Proto: https'"):
        env.env_proxy_ssl_header("X_PROXY")


def _run_provide(*args: str, env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "provide", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_missing_secret_key_stops_start_up_with_one_line() -> None:
    result = _run_provide(
        "check", env_overrides={"DJANGO_SETTINGS_MODULE": "provide.config.settings"}
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "provide: DJANGO_SECRET_KEY is not set (nor DJANGO_SECRET_KEY_FILE)"
    )


def test_malformed_debug_flag_stops_start_up_with_one_line() -> None:
    result = _run_provide(
        "check", env_overrides={"DJANGO_SECRET_KEY": "k", "DJANGO_DEBUG": "perhaps"}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "provide: DJANGO_DEBUG must be true or false, not 'perhaps'"
    assert "Traceback" not in result.stderr


def test_debug_is_off_unless_set() -> None:
    result = _run_provide(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env_overrides={"DJANGO_SECRET_KEY": "k", "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
