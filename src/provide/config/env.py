"""Typed readers for settings that come from environment variables.

Every reader names the variable it read when it fails, so a missing or malformed setting
stops start-up with one line (``provide: DJANGO_SECRET_KEY is not set``), not a traceback.
A ``<NAME>_FILE`` variable, where allowed, names a file whose contents are the value (for
secrets mounted by an orchestrator).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingError(Exception):
    """A setting is missing or malformed; the message names it."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise SettingError(f"{name} is not set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise SettingError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingError(f"{name}_FILE cannot be read: {error.strerror}") from None
        if not value:
            raise SettingError(f"{name}_FILE names an empty file")
        return value
    from_environment = os.environ.get(name)
    if from_environment:
        return from_environment
    if default is None:
        raise SettingError(f"{name} is not set (nor {name}_FILE)")
    return default


def env_database_url(name: str, default: str, *, base_dir: Path) -> dict[str, Any]:
    """Parse a database URL; a relative SQLite path is relative to ``base_dir``."""
    import dj_database_url

    raw = env_str(name, default).strip()
    if raw.startswith("sqlite:///") and not raw.startswith("sqlite:////"):
        path = raw.removeprefix("sqlite:///")
        if path and path != ":memory:":
            raw = f"sqlite:///{(base_dir / path).resolve()}"
    try:
        config = dj_database_url.parse(raw, conn_max_age=0)
    except Exception as error:  # dj_database_url raises several types
        raise SettingError(f"{name} is not a usable database URL: {error}") from None
    engine = str(config.get("ENGINE", ""))
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise SettingError(f"{name} must be a sqlite:// or postgresql:// URL")
    return dict(config)


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Read ``Header-Name: value`` (what a TLS-ending proxy sets on HTTPS requests) as
    Django's ``SECURE_PROXY_SSL_HEADER``: ``("HTTP_HEADER_NAME", "value")``; unset or empty
    is None (no proxy)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    header, colon, value = raw.partition(":")
    header, value = header.strip(), value.strip()
    if not colon or not header or not value or not header.replace("-", "").isalnum():
        raise SettingError(f"{name} must look like 'X-Forwarded-Proto: https', not {raw!r}")
    return "HTTP_" + header.upper().replace("-", "_"), value
