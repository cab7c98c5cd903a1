"""Lancashire's three basic command units (BCUs), their districts and police stations.

Coordinates are approximate town centres and station sites, good enough for travel-time
estimates and maps; postcode prefixes are the real postcode districts of each area. Synthetic
addresses are points scattered around a district centre with a made-up inward code, so they
look local without being anyone's address.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date

from provide.core.synthetic.sampling import WeightedChoice

INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
"""Letters used in the inward part of a UK postcode (C, I, K, M, O, V are never used)."""

KM_PER_DEGREE_LAT = 111.2


@dataclass(frozen=True)
class Station:
    """A police station that can be a joint team's base."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class District:
    """A local-authority district inside a BCU, with its rough extent and postcode districts."""

    name: str
    bcu: str
    lat: float
    lon: float
    radius_km: float
    postcode_prefixes: tuple[str, ...]
    weight: float = 1.0
    """Relative share of the BCU's domestic-abuse demand that falls in this district."""


@dataclass(frozen=True)
class Bcu:
    """A basic command unit (division) and the date Operation Provide went live there."""

    name: str
    go_live_on: date
    districts: tuple[District, ...]
    stations: tuple[Station, ...]
    code: str = ""
    """Two-letter reference prefix, e.g. ``WB`` for West."""


def _district(
    name: str,
    bcu: str,
    lat: float,
    lon: float,
    radius_km: float,
    prefixes: str,
    weight: float,
) -> District:
    return District(name, bcu, lat, lon, radius_km, tuple(prefixes.split()), weight)


def lancashire_bcus() -> tuple[Bcu, ...]:
    """The West, South and East BCUs of Lancashire Constabulary with their go-live dates.

    West went live with the pilot on 1 April 2020; South and East followed in the
    2022/23 expansion (dates approximate, see DOMAIN.md §9).
    """
    west = Bcu(
        name="West",
        go_live_on=date(2020, 4, 1),
        code="WB",
        districts=(
            _district("Blackpool", "West", 53.815, -3.020, 3.5, "FY1 FY2 FY3 FY4", 3.2),
            _district("Fylde", "West", 53.770, -2.930, 6.0, "FY8 PR4", 1.0),
            _district("Wyre", "West", 53.880, -2.920, 7.0, "FY5 FY6 FY7 PR3", 1.6),
            _district("Lancaster", "West", 54.047, -2.801, 5.0, "LA1 LA2 LA5 LA6", 1.5),
            _district("Morecambe", "West", 54.060, -2.860, 2.5, "LA3 LA4", 1.2),
        ),
        stations=(
            Station("Blackpool Police Headquarters", 53.8063, -2.9975),
            Station("Lancaster Police Station", 54.0446, -2.7995),
            Station("Morecambe Police Station", 54.0718, -2.8636),
            Station("St Annes Police Station", 53.7527, -3.0297),
        ),
    )
    south = Bcu(
        name="South",
        go_live_on=date(2022, 10, 1),
        code="SB",
        districts=(
            _district("Preston", "South", 53.763, -2.703, 5.0, "PR1 PR2", 2.6),
            _district("Chorley", "South", 53.653, -2.632, 5.0, "PR6 PR7", 1.3),
            _district("South Ribble", "South", 53.700, -2.690, 5.0, "PR5 PR25 PR26", 1.2),
            _district("West Lancashire", "South", 53.566, -2.860, 7.0, "L39 L40 WN8", 1.3),
        ),
        stations=(
            Station("Preston Police Station", 53.7606, -2.6985),
            Station("Chorley Police Station", 53.6546, -2.6321),
            Station("Leyland Police Station", 53.6942, -2.6925),
            Station("Skelmersdale Police Station", 53.5497, -2.7755),
        ),
    )
    east = Bcu(
        name="East",
        go_live_on=date(2023, 1, 9),
        code="EB",
        districts=(
            _district("Burnley", "East", 53.789, -2.248, 4.0, "BB10 BB11 BB12", 1.5),
            _district("Pendle", "East", 53.840, -2.200, 5.0, "BB8 BB9 BB18", 1.2),
            _district("Hyndburn", "East", 53.753, -2.364, 4.0, "BB5", 1.1),
            _district("Rossendale", "East", 53.700, -2.290, 5.0, "BB4 OL13", 0.9),
            _district("Blackburn with Darwen", "East", 53.740, -2.480, 5.0, "BB1 BB2 BB3", 2.2),
            _district("Ribble Valley", "East", 53.871, -2.393, 8.0, "BB6 BB7", 0.5),
        ),
        stations=(
            Station("Blackburn Police Station", 53.7560, -2.4885),
            Station("Burnley Police Station", 53.7905, -2.2459),
            Station("Accrington Police Station", 53.7535, -2.3641),
            Station("Nelson Police Station", 53.8347, -2.2183),
        ),
    )
    return (west, south, east)


def select_bcus(names: tuple[str, ...] | None) -> tuple[Bcu, ...]:
    """The Lancashire BCUs named (case-insensitive), in force order; all when ``names`` is None."""
    every = lancashire_bcus()
    if names is None:
        return every
    wanted = {name.strip().lower() for name in names}
    known = {bcu.name.lower() for bcu in every}
    unknown = sorted(wanted - known)
    if unknown:
        raise ValueError(f"unknown BCU(s): {', '.join(unknown)}; known: West, South, East")
    return tuple(bcu for bcu in every if bcu.name.lower() in wanted)


class DistrictChooser:
    """Draws a district of a BCU in proportion to its demand weight."""

    def __init__(self, bcu: Bcu) -> None:
        self._choose = WeightedChoice([(d, d.weight) for d in bcu.districts])

    def __call__(self, rng: random.Random) -> District:
        return self._choose(rng)


def point_near(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    """A point uniformly spread over a disc of ``radius_km`` around (lat, lon), 5 decimals."""
    distance = radius_km * math.sqrt(rng.random())
    bearing = rng.random() * 2 * math.pi
    dlat = distance * math.cos(bearing) / KM_PER_DEGREE_LAT
    dlon = distance * math.sin(bearing) / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lat + dlat, 5), round(lon + dlon, 5)


def postcode_in(rng: random.Random, district: District) -> str:
    """A plausible full postcode in one of the district's postcode districts, e.g. ``FY1 4QT``."""
    outward = rng.choice(district.postcode_prefixes)
    digit = rng.randint(1, 9)
    letters = rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
    return f"{outward} {digit}{letters}"
