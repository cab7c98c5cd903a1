"""System checks of the retention settings (``provide check`` runs them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

from provide.retention.pseudonyms import pseudonym_key_is_set

NHS_CODE_ADULT_YEARS = 8


@register(Tags.security)
def check_pseudonym_key(app_configs: Any, **kwargs: Any) -> list[Any]:
    if pseudonym_key_is_set():
        return []
    return [
        Warning(
            "PROVIDE_PSEUDONYM_KEY is not set: the analysts' pseudonyms use a key derived from DJANGO_SECRET_KEY.",
            hint="Set PROVIDE_PSEUDONYM_KEY (or PROVIDE_PSEUDONYM_KEY_FILE) to a long random value of its own, "
            "kept as secret as the secret key: rotating the secret key would otherwise change every pseudonym.",
            id="retention.W001",
        )
    ]


@register()
def check_health_retention_period(app_configs: Any, **kwargs: Any) -> list[Any]:
    years = int(settings.PROVIDE_RETENTION_HEALTH_YEARS)
    if years >= NHS_CODE_ADULT_YEARS:
        return []
    return [
        Warning(
            f"PROVIDE_RETENTION_HEALTH_YEARS is {years}: shorter than the {NHS_CODE_ADULT_YEARS} years the NHS "
            "Records Management Code of Practice gives for adult records.",
            hint="Use the trust's own schedule; set a shorter period only if the trust's records manager agreed it.",
            id="retention.W002",
        )
    ]
