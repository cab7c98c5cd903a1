"""The schedule is data from the settings: what the page shows is what the anonymiser applies."""

from __future__ import annotations

from typing import Any

from provide.retention.schedule import health_schedule, ordinal, retention_schedule


def test_the_schedule_names_the_three_mopi_groups_and_the_trusts_periods() -> None:
    rows = retention_schedule()
    assert [row.key for row in rows] == [
        "mopi-1",
        "mopi-2",
        "mopi-3",
        "health-adult",
        "health-child",
    ]
    assert "100" in rows[0].kept and "10 years" in rows[0].review
    assert rows[1].kept.startswith("10 years") and rows[2].kept.startswith("6 years")
    assert rows[3].kept.startswith("8 years after the last contact")
    assert {row.side for row in rows} == {"police", "health"}


def test_the_trusts_periods_come_from_the_settings(settings: Any) -> None:
    settings.PROVIDE_RETENTION_HEALTH_YEARS = 10
    settings.PROVIDE_RETENTION_HEALTH_CHILD_AGE = 21
    assert health_schedule().adult_years == 10
    rows = {row.key: row for row in retention_schedule()}
    assert rows["health-adult"].kept.startswith("10 years")
    assert rows["health-child"].kept.startswith(
        "Until the 21st birthday (22nd if 17 at the last contact), or 10 years"
    )


def test_ordinals_read_as_english() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 11, 13, 21, 22, 25, 26, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "11th",
        "13th",
        "21st",
        "22nd",
        "25th",
        "26th",
        "101st",
    ]
