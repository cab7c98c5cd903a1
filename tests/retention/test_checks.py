"""The retention system checks: the pseudonym key and the health retention period."""

from __future__ import annotations

from typing import Any

from provide.retention.checks import check_health_retention_period, check_pseudonym_key


def test_a_missing_pseudonym_key_is_a_warning(settings: Any) -> None:
    settings.PROVIDE_PSEUDONYM_KEY = ""
    [warning] = check_pseudonym_key(None)
    assert warning.id == "retention.W001"
    settings.PROVIDE_PSEUDONYM_KEY = "set-to-something-long-and-random"
    assert check_pseudonym_key(None) == []


def test_a_health_period_shorter_than_the_nhs_code_is_a_warning(settings: Any) -> None:
    settings.PROVIDE_RETENTION_HEALTH_YEARS = 6
    [warning] = check_health_retention_period(None)
    assert warning.id == "retention.W002"
    settings.PROVIDE_RETENTION_HEALTH_YEARS = 8
    assert check_health_retention_period(None) == []
