"""A production configuration passes ``provide check --deploy`` with no warning, and the local
HTTP demo switch is what turns HTTPS-only off. Each run is a fresh ``provide`` process with
only the environment given here."""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

PROVIDE = str(Path(sys.executable).parent / "provide")
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "provide.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://provide.example.org",
    "DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "DATABASE_URL": "postgresql://provide@db.example.org:5432/provide",
    "PROVIDE_SYNTHETIC_BANNER": "false",
    "PROVIDE_PSEUDONYM_KEY": secrets.token_urlsafe(50),
}
SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DEBUG",
)


def provide(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PROVIDE_", "DATABASE_URL"))
    }
    return subprocess.run(
        [PROVIDE, *args],
        capture_output=True,
        text=True,
        env={**inherited, **env},
        cwd=cwd,
        timeout=300,
        check=False,
    )


def settings_under(env: dict[str, str]) -> dict[str, object]:
    code = f"from django.conf import settings; import json; print(json.dumps({{n: getattr(settings, n) for n in {SETTINGS!r}}}))"
    result = provide("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_production_settings_pass_the_deploy_checks_with_no_warning() -> None:
    result = provide("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_https_only_with_hsts_behind_the_proxy() -> None:
    assert settings_under(PRODUCTION) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
    }


def test_the_local_http_demo_switch_turns_https_only_off_and_the_deploy_check_says_so() -> None:
    local = {**PRODUCTION, "PROVIDE_INSECURE_COOKIES": "true"}
    del local["DJANGO_SECURE_PROXY_SSL_HEADER"]
    assert settings_under(local) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "DEBUG": False,
    }
    result = provide("check", "--deploy", "--fail-level", "WARNING", env=local)
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_database_the_provide_command_creates_is_its_users_alone(tmp_path: Path) -> None:
    database = tmp_path / "var" / "provide.sqlite3"
    database.parent.mkdir()
    env = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{database}",
        "PROVIDE_INSECURE_COOKIES": "true",
    }
    code = "from django.db import connection; connection.ensure_connection(); print('connected')"
    result = provide("shell", "-c", code, env=env)
    assert result.returncode == 0 and "connected" in result.stdout, result.stderr
    created = sorted(path.name for path in database.parent.iterdir())
    assert "provide.sqlite3" in created
    modes = {name: oct(stat.S_IMODE((database.parent / name).stat().st_mode)) for name in created}
    assert modes == dict.fromkeys(created, "0o600")
