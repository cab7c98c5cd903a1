"""Start-up invariants as Django system checks with stable ids (``provide check`` runs them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from provide.core.planning import native


@register(Tags.security, deploy=False)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[Any]:
    if not settings.DEBUG and len(settings.SECRET_KEY) < 32:
        return [
            Warning(
                "DJANGO_SECRET_KEY is shorter than 32 characters.",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="provide.W001",
            )
        ]
    return []


@register(Tags.database)
def check_live_system_uses_postgresql(app_configs: Any, **kwargs: Any) -> list[Any]:
    engine = str(settings.DATABASES["default"]["ENGINE"])
    if not settings.PROVIDE_SHOW_SYNTHETIC_BANNER and engine.endswith("sqlite3"):
        return [
            Warning(
                "A live system (PROVIDE_SYNTHETIC_BANNER=false) is running on SQLite.",
                hint="Production configuration is PostgreSQL: set DATABASE_URL=postgresql://...",
                id="provide.W002",
            )
        ]
    return []


@register()
def check_sessions_are_bounded(app_configs: Any, **kwargs: Any) -> list[Any]:
    if settings.SESSION_COOKIE_AGE > 24 * 60 * 60:
        return [
            Error(
                "PROVIDE_SESSION_SECONDS is longer than a day.",
                hint="Sessions on shared police and NHS devices must end within a day.",
                id="provide.E001",
            )
        ]
    return []


@register()
def check_planner_pricing_is_compiled(app_configs: Any, **kwargs: Any) -> list[Any]:
    reason = native.unavailable_reason()
    if reason is None:
        return []
    if reason == native.TURNED_OFF:
        hint = "Unset PROVIDE_NATIVE_PRICING (or set it to 1) to use the compiled pricing."
    else:
        hint = (
            "Install gcc and the Python headers (Debian: apt-get install gcc python3-dev), "
            "then reinstall Provide (make install): the install builds the compiled pricing."
        )
    return [
        Warning(
            f"The planner prices routes in Python, slower than compiled: {reason}.",
            hint=hint + " Plans are the same, but fewer are proven within the time limit.",
            id="provide.W003",
        )
    ]
