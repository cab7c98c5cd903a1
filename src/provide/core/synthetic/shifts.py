"""Joint-team shifts: one police officer and one health IDVA in a dedicated vehicle.

Each BCU runs an early (07:00-15:00) and a late (14:00-22:00) shift every day from its
go-live date. West, with the largest IDVA resource, adds a second team on the late shift from
Thursday to Sunday, when demand peaks. Staff rotate through a small roster per BCU.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from provide.core.synthetic.geography import Bcu, Station
from provide.core.synthetic.names import NamePools
from provide.core.synthetic.sampling import local_to_utc

SHIFT_PATTERNS: dict[str, tuple[int, int]] = {"early": (7, 15), "late": (14, 22)}
"""Shift start and end hours, Europe/London local time."""

IDVAS_PER_BCU = {"West": 6, "South": 3, "East": 3}
OFFICERS_PER_BCU = 10


@dataclass(frozen=True)
class TeamPlan:
    """A joint team of a BCU: which patterns it works on which weekdays (Monday = 0)."""

    name: str
    station_index: int
    patterns: tuple[str, ...]
    weekdays: tuple[int, ...]


TEAMS: dict[str, tuple[TeamPlan, ...]] = {
    "West": (
        TeamPlan("West A", 0, ("early", "late"), tuple(range(7))),
        TeamPlan("West B", 1, ("late",), (3, 4, 5, 6)),
    ),
    "South": (TeamPlan("South A", 0, ("early", "late"), tuple(range(7))),),
    "East": (TeamPlan("East A", 0, ("early", "late"), tuple(range(7))),),
}


@dataclass(frozen=True)
class SyntheticShift:
    """One joint team's shift on one day."""

    bcu: str
    on_date: date
    pattern: str
    starts_at: datetime
    ends_at: datetime
    team_name: str
    officer_name: str
    idva_name: str
    vehicle: str
    base_name: str
    base_lat: float
    base_lon: float


@dataclass(frozen=True)
class Roster:
    """The officers and IDVAs a BCU's joint teams draw from."""

    officers: tuple[str, ...]
    idvas: tuple[str, ...]


def build_roster(rng: random.Random, names: NamePools, bcu: Bcu) -> Roster:
    """Made-up joint-team staff for ``bcu``: mostly female IDVAs, mixed officers."""
    officers = []
    for _ in range(OFFICERS_PER_BCU):
        sex = "female" if rng.random() < 0.45 else "male"
        officers.append(f"PC {names.given(rng, sex)} {names.surname(rng)}")
    idvas = []
    for _ in range(IDVAS_PER_BCU.get(bcu.name, 3)):
        sex = "female" if rng.random() < 0.9 else "male"
        idvas.append(f"{names.given(rng, sex)} {names.surname(rng)}")
    return Roster(officers=tuple(officers), idvas=tuple(idvas))


def generate_shifts(*, bcu: Bcu, start_on: date, days: int, roster: Roster) -> list[SyntheticShift]:
    """Every joint-team shift of ``bcu`` in the window, from its go-live date, in time order."""
    shifts: list[SyntheticShift] = []
    first = max(start_on, bcu.go_live_on)
    end = start_on + timedelta(days=days)
    slot = 0
    on = first
    while on < end:
        day_shifts: list[SyntheticShift] = []
        for team_number, team in enumerate(TEAMS.get(bcu.name, TEAMS["South"]), start=1):
            if on.weekday() not in team.weekdays:
                continue
            station: Station = bcu.stations[team.station_index % len(bcu.stations)]
            for pattern in team.patterns:
                start_hour, end_hour = SHIFT_PATTERNS[pattern]
                day_shifts.append(
                    SyntheticShift(
                        bcu=bcu.name,
                        on_date=on,
                        pattern=pattern,
                        starts_at=local_to_utc(on, start_hour * 3600),
                        ends_at=local_to_utc(on, end_hour * 3600),
                        team_name=team.name,
                        officer_name=roster.officers[slot % len(roster.officers)],
                        idva_name=roster.idvas[(slot * 5 + on.toordinal()) % len(roster.idvas)],
                        vehicle=f"{bcu.code} Provide car {team_number}",
                        base_name=station.name,
                        base_lat=station.lat,
                        base_lon=station.lon,
                    )
                )
                slot += 1
        shifts.extend(sorted(day_shifts, key=lambda s: (s.starts_at, s.team_name)))
        on += timedelta(days=1)
    return shifts
