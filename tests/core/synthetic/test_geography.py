"""Lancashire's BCUs, their districts and stations, and plausible points and postcodes."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date

import pytest

from provide.core.linking.names import outward_code
from provide.core.synthetic.geography import (
    KM_PER_DEGREE_LAT,
    DistrictChooser,
    lancashire_bcus,
    point_near,
    postcode_in,
    select_bcus,
)
from provide.core.synthetic.sampling import stream

POSTCODE = re.compile(r"^[A-Z]{1,2}\d{1,2} \d[ABDEFGHJLNPQRSTUWXYZ]{2}$")


def test_three_bcus_with_codes_districts_stations_and_the_pilot_first() -> None:
    bcus = lancashire_bcus()
    assert [bcu.name for bcu in bcus] == ["West", "South", "East"]
    assert len({bcu.code for bcu in bcus}) == 3 and all(len(bcu.code) == 2 for bcu in bcus)
    assert all(bcu.districts and bcu.stations for bcu in bcus)
    assert bcus[0].go_live_on == date(2020, 4, 1)
    assert all(bcu.go_live_on > bcus[0].go_live_on for bcu in bcus[1:])
    assert all(district.bcu == bcu.name for bcu in bcus for district in bcu.districts)


def test_select_bcus_is_case_insensitive_and_keeps_force_order() -> None:
    assert [bcu.name for bcu in select_bcus((" east", "WEST"))] == ["West", "East"]
    assert select_bcus(None) == lancashire_bcus()


def test_select_bcus_names_the_unknown_ones() -> None:
    with pytest.raises(
        ValueError, match="unknown BCU\\(s\\): north, wset; known: West, South, East"
    ):
        select_bcus(("West", "wset", "North"))


def test_districts_are_drawn_by_their_demand_weight() -> None:
    west = lancashire_bcus()[0]
    choose = DistrictChooser(west)
    rng = stream(2, "districts")
    counts = Counter(choose(rng).name for _ in range(20_000))
    total_weight = sum(district.weight for district in west.districts)
    for district in west.districts:
        assert counts[district.name] / 20_000 == pytest.approx(
            district.weight / total_weight, abs=0.015
        )


def test_points_fall_inside_the_disc_and_spread_over_it() -> None:
    rng = stream(4, "points")
    lat, lon, radius = 53.8, -3.0, 5.0
    distances = []
    for _ in range(5000):
        plat, plon = point_near(rng, lat, lon, radius)
        north = (plat - lat) * KM_PER_DEGREE_LAT
        east = (plon - lon) * KM_PER_DEGREE_LAT * math.cos(math.radians(lat))
        distances.append(math.hypot(north, east))
    assert max(distances) <= radius + 0.01
    # Uniform over the disc: half the points lie within radius / sqrt(2) of the centre.
    inner = sum(distance <= radius / math.sqrt(2) for distance in distances) / len(distances)
    assert inner == pytest.approx(0.5, abs=0.03)


def test_postcodes_are_well_formed_and_in_the_district() -> None:
    rng = stream(6, "postcodes")
    for bcu in lancashire_bcus():
        for district in bcu.districts:
            for _ in range(20):
                postcode = postcode_in(rng, district)
                assert POSTCODE.match(postcode), postcode
                assert outward_code(postcode) in district.postcode_prefixes
