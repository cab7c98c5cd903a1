"""The retention rules as pure functions: MoPI groups, review dates, and how values are made
coarse. No Django, no database and no clock: ``today`` is always a parameter.

Police records follow the Management of Police Information (MoPI) groups:

* **Group 1, certain public protection matters** (here: a high risk grade, a MARAC hearing or a
  DVPN/DVPO for the victim, honour-based abuse, or a serious specified offence such as rape,
  grievous bodily harm with intent, strangulation, kidnap or threats to kill): kept until the
  youngest person in the record is 100, reviewed every 10 years.
* **Group 2, other sexual, violent or serious offences** (sexual or physical abuse,
  stalking or harassment, threats, injuries or a weapon): reviewed after a 10-year clear period.
* **Group 3, all other offences and incidents**: reviewed after a 6-year clear period.

The clear period runs from the last police record about anyone in the record's linked group
(see :mod:`provide.retention.components`); a linked group takes its highest (lowest-numbered)
group. Health-side records follow the trust's schedule (default: 8 years after the last
contact for adults; a child's record until the 25th birthday, the 26th when 17 at the last
contact, if that is later), as in the NHS Records Management Code of Practice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

GROUP_1_UNTIL_AGE = 100
"""Group 1 records are kept until the subject is this old."""
GROUP_1_REVIEW_YEARS = 10
"""Group 1 records are reviewed this often (from the first record)."""
CLEAR_PERIOD_YEARS: Mapping[int, int] = {2: 10, 3: 6}
"""The clear period before a group 2 or 3 record is reviewed, in years."""

GROUP_1_ABUSE_TYPES = frozenset({"honour_based"})
GROUP_2_ABUSE_TYPES = frozenset({"physical", "sexual", "stalking_harassment", "threats"})
SERIOUS_OFFENCE = re.compile(
    r"\b(murder|manslaughter|rape|grievous bodily harm|gbh|s\.?\s?18|section 18|wounding with intent|"
    r"strangulation|strangle|suffocation|kidnap\w*|false imprisonment|threats? to kill)\b",
    re.IGNORECASE,
)
"""Offences that make a record a public protection matter (serious specified offences)."""

ADULT_AGE = 18
REPEAT_WINDOW = dt.timedelta(days=365)
"""The evaluation's repeat window (inclusive): the anonymiser keeps which records fall in it."""


@dataclass(frozen=True)
class InvestigationFacts:
    """What decides an investigation's MoPI group.

    ``public_protection`` is true when the victim was heard at MARAC or a DVPN or DVPO was made
    for them.
    """

    risk_grade: str = ""
    abuse_types: tuple[str, ...] = ()
    offence: str = ""
    injuries: bool | None = None
    weapons: bool | None = None
    public_protection: bool = False


def mopi_group(facts: InvestigationFacts) -> int:
    """The MoPI group (1, 2 or 3) of one investigation.

    >>> mopi_group(InvestigationFacts(risk_grade="high"))
    1
    >>> mopi_group(InvestigationFacts(abuse_types=("physical",)))
    2
    >>> mopi_group(InvestigationFacts(abuse_types=("coercive_control",)))
    3
    """
    kinds = set(facts.abuse_types)
    if (
        facts.risk_grade == "high"
        or facts.public_protection
        or kinds & GROUP_1_ABUSE_TYPES
        or SERIOUS_OFFENCE.search(facts.offence or "")
    ):
        return 1
    if kinds & GROUP_2_ABUSE_TYPES or facts.injuries or facts.weapons:
        return 2
    return 3


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Review:
    """When a linked group of records is looked at, and when it may be anonymised.

    ``dispose_on`` is the first day the records may be anonymised (if nothing holds them);
    ``review_on`` the next day someone should look at them: for groups 2 and 3 the same day,
    for group 1 the next ten-yearly review (never after ``dispose_on``).
    """

    group: int
    dispose_on: dt.date
    review_on: dt.date


def police_review(
    *,
    group: int,
    first_activity: dt.date,
    last_activity: dt.date,
    birth_dates: Sequence[dt.date | None],
    today: dt.date,
) -> Review:
    """The review of a linked group of police records.

    Parameters
    ----------
    group : int
        Its MoPI group (1, 2 or 3).
    first_activity, last_activity : date
        The first and last police record about anyone in it (London dates).
    birth_dates : sequence of date or None
        The people in it. For group 1, a person without a date of birth counts as born on
        ``first_activity`` (kept at least 100 years from then).
    today : date

    Raises
    ------
    ValueError
        ``group`` is not 1, 2 or 3.
    """
    if group == 1:
        births = [born or first_activity for born in birth_dates] or [first_activity]
        dispose_on = max(add_years(born, GROUP_1_UNTIL_AGE) for born in births)
        step = 1
        while add_years(first_activity, step * GROUP_1_REVIEW_YEARS) < today:
            step += 1
        return Review(
            1, dispose_on, min(dispose_on, add_years(first_activity, step * GROUP_1_REVIEW_YEARS))
        )
    if group not in CLEAR_PERIOD_YEARS:
        raise ValueError(f"MoPI group must be 1, 2 or 3, not {group!r}")
    dispose_on = add_years(last_activity, CLEAR_PERIOD_YEARS[group])
    return Review(group, dispose_on, dispose_on)


def health_dispose_on(
    *, last_contact: dt.date, date_of_birth: dt.date | None, adult_years: int, child_until_age: int
) -> dt.date:
    """The first day a person's health-side record may be anonymised.

    ``adult_years`` after the last contact; for someone under 18 at the last contact, not before
    their ``child_until_age`` birthday (a year later if they were 17), whichever is later.

    >>> health_dispose_on(last_contact=dt.date(2020, 5, 1), date_of_birth=None, adult_years=8,
    ...                   child_until_age=25)
    datetime.date(2028, 5, 1)
    """
    dispose_on = add_years(last_contact, adult_years)
    if date_of_birth is not None:
        age = age_on(date_of_birth, last_contact)
        if age < ADULT_AGE:
            until = child_until_age + (1 if age == ADULT_AGE - 1 else 0)
            dispose_on = max(dispose_on, add_years(date_of_birth, until))
    return dispose_on


# --------------------------------------------------------------------------- coarsening


def london_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def month_start(moment: dt.datetime) -> dt.datetime:
    """Midnight (London) on the first day of ``moment``'s London month, in UTC."""
    local = moment.astimezone(LONDON)
    return dt.datetime(local.year, local.month, 1, tzinfo=LONDON).astimezone(UTC)


def day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight (London) at the start of ``moment``'s London day, in UTC."""
    local = moment.astimezone(LONDON)
    return dt.datetime(local.year, local.month, local.day, tzinfo=LONDON).astimezone(UTC)


def to_month(value: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    """A date or a moment made coarse to its month (the first day; midnight, London)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return month_start(value)
    return value.replace(day=1)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def postcode_district(postcode: str) -> str:
    """The postcode district (the outward code: ``"FY1 1AA"`` gives ``"FY1"``); ``""`` when the
    text is not a postcode."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", compact):
        return ""
    return compact[:-3]


def tracker_times(
    police_visit_at: dt.datetime | None, idva_visit_at: dt.datetime | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The two times of a tracker row made coarse, keeping what the evaluation measures.

    The IDVA visit moves to the first day of its London month at the same London hour (minutes
    dropped); the police visit keeps its exact distance before it. So the month (and financial
    quarter), the hour of day and the delay between the visits are unchanged, and the day is
    gone. Without an IDVA time, the police visit is treated the same way.
    """
    anchor = idva_visit_at or police_visit_at
    if anchor is None:
        return None, None
    local = anchor.astimezone(LONDON)
    moved = dt.datetime(local.year, local.month, 1, local.hour, tzinfo=LONDON).astimezone(UTC)
    if idva_visit_at is None:
        return moved, None
    police = None if police_visit_at is None else moved - (idva_visit_at - police_visit_at)
    return police, moved


def appointment_times(
    starts_at: dt.datetime, ends_at: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """An appointment moved to the start of its month, keeping its length."""
    start = month_start(starts_at)
    return start, start + (ends_at - starts_at)


# --------------------------------------------------------------------------- repeat windows

PRECISIONS = ("month", "day", "exact")
"""How coarse an investigation's time is made, in the order tried."""

Keys = tuple[str | None, ...]


def _coarse(moment: dt.datetime, precision: str) -> dt.datetime:
    if precision == "month":
        return month_start(moment)
    if precision == "day":
        return day_start(moment)
    return moment


def repeat_flags(
    rows: Sequence[tuple[dt.datetime, Keys]], window: dt.timedelta = REPEAT_WINDOW
) -> list[tuple[bool, ...]]:
    """For each row and key position, whether another row with the same key lies within
    ``window`` before it and after it (the evaluation's repeat-victim and re-victimisation
    flags: inclusive, and another row at the same instant is neither before nor after).

    Returns one tuple per row: ``(before, after)`` for the first key, then for the second ...
    """
    width = len(rows[0][1]) if rows else 0
    flags: list[list[bool]] = [[False] * (2 * width) for _ in rows]
    for position in range(width):
        times: dict[str, set[dt.datetime]] = {}
        for moment, keys in rows:
            key = keys[position]
            if key is not None:
                times.setdefault(key, set()).add(moment)
        hits: dict[tuple[str, dt.datetime], tuple[bool, bool]] = {}
        for key, moments in times.items():
            ordered = sorted(moments)
            for index, moment in enumerate(ordered):
                before = index > 0 and moment - ordered[index - 1] <= window
                after = index + 1 < len(ordered) and ordered[index + 1] - moment <= window
                hits[(key, moment)] = (before, after)
        for row, (moment, keys) in zip(flags, rows, strict=True):
            found = keys[position]
            if found is not None:
                row[2 * position], row[2 * position + 1] = hits[(found, moment)]
    return [tuple(row) for row in flags]


def _follow_up(rows: Sequence[tuple[dt.datetime, Keys]], horizon: dt.datetime | None) -> list[bool]:
    """Whether each row's 365-day follow-up ends by ``horizon`` (the evaluation's "complete follow-up")."""
    return [horizon is not None and moment + REPEAT_WINDOW <= horizon for moment, _keys in rows]


def recorded_precision(
    rows: Sequence[tuple[dt.datetime, Keys]], horizon: dt.datetime | None = None
) -> str:
    """The coarsest precision (month, then day) that leaves every repeat flag of ``rows`` as it
    is, and whether each row's 365-day follow-up ends by ``horizon``; ``"exact"`` when even the
    day would change one.

    ``rows`` are every investigation of a linked group (their time, and their victim's and
    suspect's keys): all the investigations a repeat flag compares. ``horizon`` is the latest
    investigation of all (the evaluation's end of follow-up); a row at the horizon is never
    moved (see :func:`coarsen_recorded`).
    """
    original = (repeat_flags(rows), _follow_up(rows, horizon))
    for precision in PRECISIONS[:-1]:
        moved = [
            (coarsen_recorded(moment, precision, horizon=horizon), keys) for moment, keys in rows
        ]
        if (repeat_flags(moved), _follow_up(moved, horizon)) == original:
            return precision
    return "exact"


def coarsen_recorded(
    moment: dt.datetime, precision: str, *, horizon: dt.datetime | None = None
) -> dt.datetime:
    """An investigation's time at ``precision`` (see :func:`recorded_precision`). The latest
    investigation of all (``horizon``) keeps its time: the evaluation's follow-up ends there."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    return moment if moment == horizon else _coarse(moment, precision)


def latest(values: Iterable[dt.date | None]) -> dt.date | None:
    present = [value for value in values if value is not None]
    return max(present) if present else None


def earliest(values: Iterable[dt.date | None]) -> dt.date | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None
