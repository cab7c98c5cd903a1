"""The retention schedule as data: one row per kind of record, built from the MoPI groups and the
trust's settings (``PROVIDE_RETENTION_HEALTH_YEARS``, ``PROVIDE_RETENTION_HEALTH_CHILD_AGE``).

The same rows are shown on the retention page, printed in docs/retention.md and applied by the
anonymiser (through :mod:`provide.retention.rules`), so what the page says is what runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from provide.retention.models import Side
from provide.retention.rules import (
    CLEAR_PERIOD_YEARS,
    GROUP_1_REVIEW_YEARS,
    GROUP_1_UNTIL_AGE,
)

MOPI = "Management of Police Information (College of Policing APP)"
NHS_CODE = "NHS Records Management Code of Practice (the trust's schedule)"


@dataclass(frozen=True)
class HealthSchedule:
    adult_years: int
    child_until_age: int


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the schedule, in words for the page."""

    key: str
    side: str
    records: str
    applies_to: str
    kept: str
    review: str
    basis: str


def ordinal(number: int) -> str:
    """25 -> "25th", 21 -> "21st", 22 -> "22nd", 13 -> "13th"."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def health_schedule() -> HealthSchedule:
    return HealthSchedule(
        adult_years=int(settings.PROVIDE_RETENTION_HEALTH_YEARS),
        child_until_age=int(settings.PROVIDE_RETENTION_HEALTH_CHILD_AGE),
    )


POLICE_RECORDS = (
    "Investigations, risk assessments, custody episodes, cases and their history, "
    "triage decisions, visits, consultations, referrals, MARAC cases and actions, "
    "protective measures and hand-over tasks"
)
HEALTH_RECORDS = "IDVA tracker records (with the IDVA's notes), NHS appointments and NHS numbers"


def retention_schedule() -> list[ScheduleRow]:
    """The whole schedule, police rows first."""
    health = health_schedule()
    return [
        ScheduleRow(
            "mopi-1",
            Side.POLICE,
            POLICE_RECORDS,
            "MoPI group 1, certain public protection matters: high risk, heard at MARAC, a DVPN or "
            "DVPO, honour-based abuse, or a serious offence (rape, GBH with intent, strangulation, "
            "kidnap, threats to kill and the like)",
            f"Until the youngest person in the records is {GROUP_1_UNTIL_AGE}",
            f"Every {GROUP_1_REVIEW_YEARS} years from the first record",
            MOPI,
        ),
        ScheduleRow(
            "mopi-2",
            Side.POLICE,
            POLICE_RECORDS,
            "MoPI group 2, other sexual, violent or serious offences: sexual or physical abuse, "
            "stalking or harassment, threats, injuries or a weapon",
            f"{CLEAR_PERIOD_YEARS[2]} years clear of any new police record about the people in them",
            f"After the {CLEAR_PERIOD_YEARS[2]}-year clear period",
            MOPI,
        ),
        ScheduleRow(
            "mopi-3",
            Side.POLICE,
            POLICE_RECORDS,
            "MoPI group 3, all other offences and incidents",
            f"{CLEAR_PERIOD_YEARS[3]} years clear of any new police record about the people in them",
            f"After the {CLEAR_PERIOD_YEARS[3]}-year clear period",
            MOPI,
        ),
        ScheduleRow(
            "health-adult",
            Side.HEALTH,
            HEALTH_RECORDS,
            "Adults",
            f"{health.adult_years} years after the last contact (the last tracker record or appointment)",
            "When the period ends",
            NHS_CODE,
        ),
        ScheduleRow(
            "health-child",
            Side.HEALTH,
            HEALTH_RECORDS,
            "Under 18 at the last contact",
            f"Until the {ordinal(health.child_until_age)} birthday ({ordinal(health.child_until_age + 1)} if 17 "
            f"at the last contact), or {health.adult_years} years after the last contact if that is later",
            "When the period ends",
            NHS_CODE,
        ),
    ]
