import math

import pytest

from provide.core.planning.problem import Location
from provide.core.planning.travel import (
    EARTH_RADIUS_KM,
    _matrix_from_osrm_payload,
    estimate_matrix,
    estimate_minutes,
    haversine_km,
    osrm_matrix,
)

MANCHESTER = Location(53.4808, -2.2426)
LONDON = Location(51.5074, -0.1278)


def test_haversine_london_manchester_is_about_262_km():
    assert haversine_km(LONDON, MANCHESTER) == pytest.approx(262.0, abs=1.0)


def test_estimate_is_zero_for_the_same_place():
    assert estimate_minutes(MANCHESTER, MANCHESTER) == 0


def test_estimate_uses_road_factor_and_speed_and_rounds_up():
    # 10.0 km straight, x1.3 = 13 km at 40 km/h = 19.5 min -> 20.
    north = Location(53.4808 + math.degrees(10.0 / EARTH_RADIUS_KM), -2.2426)
    assert estimate_minutes(MANCHESTER, north) == 20
    assert estimate_minutes(MANCHESTER, north, road_factor=1.0, speed_kmh=60) == 10


def test_estimate_rejects_non_positive_speed():
    with pytest.raises(ValueError):
        estimate_minutes(MANCHESTER, LONDON, speed_kmh=0)


def test_estimate_matrix_is_square_with_zero_diagonal():
    matrix = estimate_matrix([MANCHESTER, LONDON])
    assert matrix.minutes[0][0] == 0 and matrix.minutes[1][1] == 0
    assert matrix.minutes[0][1] == matrix.minutes[1][0] > 300


def test_osrm_payload_seconds_become_whole_minutes_rounded_up():
    payload = {"code": "Ok", "durations": [[0, 61], [None, 0]]}
    matrix = _matrix_from_osrm_payload((MANCHESTER, LONDON), payload)
    assert matrix.minutes[0][1] == 2
    assert matrix.minutes[1][0] == estimate_minutes(LONDON, MANCHESTER)


def test_osrm_error_code_raises():
    with pytest.raises(ValueError, match="NoTable"):
        _matrix_from_osrm_payload((MANCHESTER,), {"code": "NoTable"})


def test_osrm_url_must_be_http():
    with pytest.raises(ValueError):
        osrm_matrix([MANCHESTER], osrm_url="file:///etc/passwd")
