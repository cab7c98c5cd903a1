"""British National Grid references to latitude/longitude."""

from __future__ import annotations

import pytest

from provide.areas.grid import GridConverter, grid_problem


def test_a_known_blackpool_reference_converts_to_its_latitude_and_longitude() -> None:
    lat, lon = GridConverter().to_latlon(330000, 436000)
    assert lat == pytest.approx(53.8155, abs=0.0001)
    assert lon == pytest.approx(-3.0647, abs=0.0001)


def test_burnley_lies_east_of_blackpool() -> None:
    converter = GridConverter()
    blackpool = converter.to_latlon(330000, 436000)
    burnley = converter.to_latlon(384000, 433000)
    assert burnley[1] > blackpool[1] + 0.7
    assert burnley[0] == pytest.approx(53.793, abs=0.001)


@pytest.mark.parametrize(
    ("easting", "northing", "words"),
    [
        (-1, 436000, "easting -1 is outside Great Britain's grid"),
        (700001, 436000, "easting 700001 is outside"),
        (330000, -5, "northing -5 is outside Great Britain's grid"),
        (330000, 1300001, "northing 1.3e+06 is outside"),
    ],
)
def test_a_reference_outside_great_britain_is_refused_with_the_reason(
    easting: float, northing: float, words: str
) -> None:
    assert words in (grid_problem(easting, northing) or "")
    with pytest.raises(ValueError, match="outside Great Britain's grid"):
        GridConverter().to_latlon(easting, northing)


def test_the_corners_of_the_grid_are_inside() -> None:
    assert grid_problem(0, 0) is None
    assert grid_problem(700000, 1300000) is None
