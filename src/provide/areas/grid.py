"""British National Grid (OSGB36, EPSG:27700) easting/northing to latitude/longitude (WGS84).

Police extracts locate an incident by an Ordnance Survey grid reference in metres. pyproj
converts it; a :class:`GridConverter` builds the transformation once, so an import of a
hundred thousand rows pays for it once.
"""

from __future__ import annotations

import math

from pyproj import Transformer

MAX_EASTING = 700_000.0
"""Metres; the grid's extent covering Great Britain (0-700,000 E)."""
MAX_NORTHING = 1_300_000.0
"""Metres; the grid's extent covering Great Britain (0-1,300,000 N)."""


def grid_problem(easting: float, northing: float) -> str | None:
    """Why ``(easting, northing)`` (metres) is not a grid reference in Great Britain, or None."""
    if not 0 <= easting <= MAX_EASTING:
        return f"easting {easting:g} is outside Great Britain's grid (0 to 700000 metres)"
    if not 0 <= northing <= MAX_NORTHING:
        return f"northing {northing:g} is outside Great Britain's grid (0 to 1300000 metres)"
    return None


class GridConverter:
    """Convert grid references; create one per import, not one per row."""

    def __init__(self) -> None:
        self._transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

    def to_latlon(self, easting: float, northing: float) -> tuple[float, float]:
        """Latitude and longitude in degrees (6 places, about 0.1 m) of a grid reference in metres.

        Raises ValueError, with the reason, for a reference outside Great Britain's grid.

        >>> GridConverter().to_latlon(330000, 436000)
        (53.815549, -3.064669)
        """
        problem = grid_problem(easting, northing)
        if problem:
            raise ValueError(problem)
        lon, lat = self._transformer.transform(easting, northing)
        if not (math.isfinite(lat) and math.isfinite(lon)):
            raise ValueError(f"grid reference {easting:g}, {northing:g} could not be converted")
        return round(lat, 6), round(lon, 6)
