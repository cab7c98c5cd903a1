"""Synthetic domestic-abuse investigations: arrivals, parties, risk and circumstances.

Arrivals are Poisson per BCU per day (about 25 a day by default), higher at weekends, in
summer and on Christmas and New Year's Day, spread over the day with an evening peak. About
36% of investigations involve a victim already seen in the previous 12 months, usually with
the same suspect; a few suspects offend against several victims. Risk grades are drawn first
(about 12% high, 35% medium, the rest standard) and circumstances follow the grade.

Investigations are built as mutable drafts because later stages (joint-team visits, custody,
outcomes) fill in their fields; :func:`finalise` freezes them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from provide.core.synthetic.geography import Bcu, District, DistrictChooser, point_near
from provide.core.synthetic.people import PersonFactory, SyntheticPerson
from provide.core.synthetic.sampling import (
    LONDON,
    WeightedChoice,
    chance,
    local_to_utc,
    poisson,
    round_to_minutes,
)

HOURLY_WEIGHTS: tuple[float, ...] = (
    4.6, 3.9, 3.0, 2.3, 1.7, 1.3, 1.2, 1.5, 2.2, 2.8, 3.2, 3.5,
    3.8, 4.0, 4.2, 4.4, 4.7, 5.0, 5.4, 5.8, 6.2, 6.4, 6.0, 5.3,
)  # fmt: skip
"""Relative share of calls by local hour of day: quiet early morning, peak 20:00-22:00."""

WEEKEND_NIGHT_BOOST = 1.5
"""Extra weight for 00:00-04:59 on Saturdays and Sundays (Friday and Saturday nights)."""

WEEKDAY_FACTORS: tuple[float, ...] = (1.03, 0.93, 0.92, 0.93, 1.0, 1.12, 1.15)
"""Relative daily volume, Monday first; scaled to average 1 in :func:`daily_mean`."""

HOLIDAY_FACTOR = 1.35
"""Christmas Day, Boxing Day and New Year's Day see more calls."""

RISK_GRADES = WeightedChoice([("high", 12.0), ("medium", 35.0), ("standard", 53.0)])
CRIME_SHARE_BY_GRADE = {"high": 0.8, "medium": 0.65, "standard": 0.52}
"""Share recorded as crimes (about 60% overall) rather than non-crime incidents."""

RELATIONSHIPS = WeightedChoice(
    [("partner", 45.0), ("ex_partner", 33.0), ("family", 18.0), ("other", 4.0)]
)

PRIMARY_ABUSE_CRIME = WeightedChoice(
    [
        ("physical", 42.0),
        ("emotional", 14.0),
        ("coercive_control", 12.0),
        ("threats", 12.0),
        ("stalking_harassment", 11.0),
        ("sexual", 6.0),
        ("economic", 2.0),
        ("honour_based", 1.0),
    ]
)
PRIMARY_ABUSE_NON_CRIME = WeightedChoice(
    [("emotional", 60.0), ("physical", 12.0), ("coercive_control", 14.0), ("economic", 6.0),
     ("stalking_harassment", 8.0)]
)  # fmt: skip
SECONDARY_ABUSE_RATES = {
    "emotional": 0.35,
    "coercive_control": 0.18,
    "threats": 0.14,
    "stalking_harassment": 0.06,
    "economic": 0.05,
}

OFFENCES: dict[str, WeightedChoice[str]] = {
    "physical": WeightedChoice(
        [
            ("Common assault and battery", 45.0),
            ("Assault occasioning actual bodily harm", 33.0),
            ("Intentional strangulation or suffocation", 8.0),
            ("Wounding or inflicting grievous bodily harm", 4.0),
            ("Criminal damage", 10.0),
        ]
    ),
    "sexual": WeightedChoice([("Rape", 40.0), ("Sexual assault", 60.0)]),
    "coercive_control": WeightedChoice(
        [("Controlling or coercive behaviour in an intimate or family relationship", 1.0)]
    ),
    "stalking_harassment": WeightedChoice(
        [("Harassment", 45.0), ("Stalking", 25.0), ("Malicious communications", 30.0)]
    ),
    "threats": WeightedChoice(
        [
            ("Threats to kill", 35.0),
            ("Affray", 15.0),
            ("Fear or provocation of violence", 50.0),
        ]
    ),
    "emotional": WeightedChoice(
        [
            ("Malicious communications", 50.0),
            ("Intentional harassment, alarm or distress", 50.0),
        ]
    ),
    "economic": WeightedChoice(
        [
            ("Controlling or coercive behaviour in an intimate or family relationship", 60.0),
            ("Theft", 25.0),
            ("Fraud by false representation", 15.0),
        ]
    ),
    "honour_based": WeightedChoice(
        [
            ("Controlling or coercive behaviour in an intimate or family relationship", 60.0),
            ("Threats to kill", 40.0),
        ]
    ),
}
NON_CRIME_OFFENCE = "Domestic incident (non-crime)"

INJURY_RATE = {"high": 0.55, "medium": 0.33, "standard": 0.14}
WEAPON_RATE = {"high": 0.2, "medium": 0.06, "standard": 0.02}
RESPONSE_MEDIAN_HOURS = {"high": 0.6, "medium": 1.5, "standard": 4.0}
"""Median time from the call to the first police visit, by risk grade (log-normal, sigma 1)."""

DASH_SHARE = 0.12
"""Share of investigations risk-assessed with the 27-question police DASH instead of DARA."""
DASH_QUESTIONS = 27
CHILDREN = WeightedChoice([(0, 50.0), (1, 22.0), (2, 16.0), (3, 8.0), (4, 3.0), (5, 1.0)])
PREGNANCY_RATE = 0.05
"""Share of female victims aged 16-44 who are pregnant at the time of the incident."""

REPEAT_VICTIM_RATE = 0.36
"""Chance that an investigation involves a victim of another investigation in the last year."""
SAME_SUSPECT_ON_REPEAT = 0.8
PROLIFIC_SUSPECT_RATE = 0.05
"""Chance that a new victim's suspect already offended against someone else this year."""
REPEAT_WINDOW_DAYS = 365


@dataclass(frozen=True)
class SyntheticInvestigation:
    """A police domestic-abuse investigation (crime or non-crime incident)."""

    investigation_ref: str
    incident_ref: str
    recorded_at: datetime
    first_police_visit_at: datetime
    bcu: str
    district: str
    crime_or_incident: str
    offence: str
    abuse_types: tuple[str, ...]
    relationship: str
    victim_ref: str
    suspect_ref: str
    risk_tool: str
    risk_grade: str
    dash_yes_count: int | None
    dash_answers: tuple[str, ...] | None
    children_in_household: int
    victim_pregnant: bool
    vulnerabilities: tuple[str, ...]
    injuries: bool
    weapons: bool
    outcome_code: str | None
    outcome_on: date | None
    lat: float
    lon: float


@dataclass(slots=True)
class DraftInvestigation:
    """An investigation still being filled in by the generator's later stages."""

    investigation_ref: str
    incident_ref: str
    recorded_at: datetime
    first_police_visit_at: datetime
    bcu: str
    district: str
    crime: bool
    offence: str
    abuse_types: tuple[str, ...]
    relationship: str
    victim: SyntheticPerson
    suspect: SyntheticPerson
    risk_tool: str
    risk_grade: str
    dash_answers: tuple[str, ...] | None
    children_in_household: int
    victim_pregnant: bool
    vulnerabilities: tuple[str, ...]
    injuries: bool
    weapons: bool
    lat: float
    lon: float
    repeat_victim: bool
    visited: bool = False
    prosecution_support: bool | None = None
    charged_on: date | None = None
    outcome_code: str | None = None
    outcome_on: date | None = None
    custody_refs: list[str] = field(default_factory=list)


def daily_mean(on: date, per_day: float) -> float:
    """Expected investigations on ``on`` for a BCU averaging ``per_day``."""
    weekday = WEEKDAY_FACTORS[on.weekday()] * 7 / sum(WEEKDAY_FACTORS)
    season = 1.0 + 0.07 * math.cos(2 * math.pi * (on.timetuple().tm_yday - 196) / 365.25)
    holiday = HOLIDAY_FACTOR if (on.month, on.day) in ((12, 25), (12, 26), (1, 1)) else 1.0
    return per_day * weekday * season * holiday


_WEEKDAY_HOURS = WeightedChoice(list(enumerate(HOURLY_WEIGHTS)))
_WEEKEND_HOURS = WeightedChoice(
    [(h, w * (WEEKEND_NIGHT_BOOST if h < 5 else 1.0)) for h, w in enumerate(HOURLY_WEIGHTS)]
)


def _dash_answers(rng: random.Random, grade: str) -> tuple[str, ...]:
    if grade == "high":
        yes = min(24, 14 + int(rng.gammavariate(1.5, 2.0)))
    elif grade == "medium":
        yes = rng.randint(8, 13)
    else:
        yes = rng.randint(0, 7)
    yes_items = set(rng.sample(range(DASH_QUESTIONS), yes))
    return tuple(
        "yes" if i in yes_items else ("dont_know" if chance(rng, 0.08) else "no")
        for i in range(DASH_QUESTIONS)
    )


def _abuse_types(rng: random.Random, crime: bool, relationship: str) -> tuple[str, str]:
    primary = (PRIMARY_ABUSE_CRIME if crime else PRIMARY_ABUSE_NON_CRIME)(rng)
    if primary == "honour_based" and relationship not in ("family", "partner"):
        primary = "threats"
    return primary, (OFFENCES[primary](rng) if crime else NON_CRIME_OFFENCE)


class _RepeatWindow:
    """The BCU's investigations of the last year, for drawing repeat victims and suspects."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, SyntheticPerson, SyntheticPerson, str, District]] = []
        self.start = 0

    def expire(self, day_index: int) -> None:
        while self.start < len(self.entries) and (
            day_index - self.entries[self.start][0] >= REPEAT_WINDOW_DAYS
        ):
            self.start += 1
        if self.start > 50_000:
            del self.entries[: self.start]
            self.start = 0

    def pick(
        self, rng: random.Random
    ) -> tuple[int, SyntheticPerson, SyntheticPerson, str, District] | None:
        if self.start >= len(self.entries):
            return None
        return self.entries[rng.randrange(self.start, len(self.entries))]


def draft_investigations(
    *,
    bcu: Bcu,
    start_on: date,
    days: int,
    per_day: float,
    rng: random.Random,
    people: PersonFactory,
) -> list[DraftInvestigation]:
    """Generate one BCU's investigations over ``days`` days from ``start_on``, in time order."""
    choose_district = DistrictChooser(bcu)
    window = _RepeatWindow()
    drafts: list[DraftInvestigation] = []
    year_counters: dict[int, int] = {}
    for day_index in range(days):
        on = start_on + timedelta(days=day_index)
        window.expire(day_index)
        hours = _WEEKEND_HOURS if on.weekday() >= 5 else _WEEKDAY_HOURS
        count = poisson(rng, daily_mean(on, per_day))
        seconds = sorted(hours(rng) * 3600 + rng.randrange(3600) for _ in range(count))
        for n, second in enumerate(seconds, start=1):
            recorded_at = local_to_utc(on, second)
            grade = RISK_GRADES(rng)
            crime = chance(rng, CRIME_SHARE_BY_GRADE[grade])
            repeat = window.pick(rng) if chance(rng, REPEAT_VICTIM_RATE) else None
            if repeat is not None:
                _, victim, suspect, relationship, district = repeat
                if not chance(rng, SAME_SUSPECT_ON_REPEAT):
                    relationship = "partner" if relationship == "ex_partner" else relationship
                    suspect = people.suspect(victim, district, relationship)
            else:
                relationship = RELATIONSHIPS(rng)
                district = choose_district(rng)
                victim = people.victim(district, relationship)
                prolific = window.pick(rng) if chance(rng, PROLIFIC_SUSPECT_RATE) else None
                if prolific is not None and prolific[3] in ("partner", "ex_partner"):
                    suspect = prolific[2]
                    relationship = "partner" if chance(rng, 0.6) else "ex_partner"
                else:
                    suspect = people.suspect(victim, district, relationship)
            window.entries.append((day_index, victim, suspect, relationship, district))
            primary, offence = _abuse_types(rng, crime, relationship)
            types = {primary} | {t for t, r in SECONDARY_ABUSE_RATES.items() if chance(rng, r)}
            if relationship not in ("partner", "ex_partner") and primary != "coercive_control":
                types.discard("coercive_control")
            victim_age = (on - victim.date_of_birth).days // 365
            pregnant = (
                victim.sex == "female" and 16 <= victim_age <= 44 and chance(rng, PREGNANCY_RATE)
            )
            tool = "DASH" if chance(rng, DASH_SHARE) else "DARA"
            delay_hours = min(
                120.0, rng.lognormvariate(math.log(RESPONSE_MEDIAN_HOURS[grade]), 1.0)
            )
            first_visit = round_to_minutes(recorded_at + timedelta(hours=max(0.1, delay_hours)))
            at_home = chance(rng, 0.85)
            lat, lon = (
                (victim.lat, victim.lon)
                if at_home
                else point_near(rng, district.lat, district.lon, district.radius_km)
            )
            local_year = recorded_at.astimezone(LONDON).year
            year_counters[local_year] = year_counters.get(local_year, 0) + 1
            drafts.append(
                DraftInvestigation(
                    investigation_ref=f"SYN-{bcu.code}/{local_year}/{year_counters[local_year]:06d}",
                    incident_ref=f"SYN-LC-{on:%Y%m%d}-{bcu.code}{n:04d}",
                    recorded_at=recorded_at,
                    first_police_visit_at=first_visit,
                    bcu=bcu.name,
                    district=district.name,
                    crime=crime,
                    offence=offence,
                    abuse_types=tuple(sorted(types)),
                    relationship=relationship,
                    victim=victim,
                    suspect=suspect,
                    risk_tool=tool,
                    risk_grade=grade,
                    dash_answers=_dash_answers(rng, grade) if tool == "DASH" else None,
                    children_in_household=CHILDREN(rng) if victim_age < 60 else 0,
                    victim_pregnant=pregnant,
                    vulnerabilities=tuple(
                        sorted(victim.vulnerabilities + (("pregnancy",) if pregnant else ()))
                    ),
                    injuries=chance(
                        rng, INJURY_RATE[grade] if primary in ("physical", "sexual") else 0.04
                    ),
                    weapons=chance(rng, WEAPON_RATE[grade]),
                    lat=lat,
                    lon=lon,
                    repeat_victim=repeat is not None,
                )
            )
    return drafts


def finalise(draft: DraftInvestigation) -> SyntheticInvestigation:
    """Freeze a draft into the public dataclass."""
    answers = draft.dash_answers
    return SyntheticInvestigation(
        investigation_ref=draft.investigation_ref,
        incident_ref=draft.incident_ref,
        recorded_at=draft.recorded_at,
        first_police_visit_at=draft.first_police_visit_at,
        bcu=draft.bcu,
        district=draft.district,
        crime_or_incident="crime" if draft.crime else "non-crime",
        offence=draft.offence,
        abuse_types=draft.abuse_types,
        relationship=draft.relationship,
        victim_ref=draft.victim.person_ref,
        suspect_ref=draft.suspect.person_ref,
        risk_tool=draft.risk_tool,
        risk_grade=draft.risk_grade,
        dash_yes_count=None if answers is None else answers.count("yes"),
        dash_answers=answers,
        children_in_household=draft.children_in_household,
        victim_pregnant=draft.victim_pregnant,
        vulnerabilities=draft.vulnerabilities,
        injuries=draft.injuries,
        weapons=draft.weapons,
        outcome_code=draft.outcome_code,
        outcome_on=draft.outcome_on,
        lat=draft.lat,
        lon=draft.lon,
    )
