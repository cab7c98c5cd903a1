"""Travel times between places: a built-in estimate, and an optional OSRM client.

The built-in estimate needs nothing but coordinates: great-circle (haversine) distance,
multiplied by a road factor for the detour that roads make, driven at a constant speed,
rounded **up** to whole minutes (a plan should not promise an arrival it cannot make).

The OSRM client (:func:`osrm_matrix`) is the only input/output in the planning core. It is
called only when a caller passes an ``osrm_url``; everything else takes a ready
:class:`~provide.core.planning.problem.TravelMatrix`, so callers and tests can inject one.

References
----------
.. [1] Sinnott, R.W. (1984). Virtues of the haversine. *Sky and Telescope* 68(2), 159.
.. [2] OSRM HTTP API, table service: ``/table/v1/{profile}/{coordinates}``,
   http://project-osrm.org/docs/v5.24.0/api/#table-service
"""

from __future__ import annotations

import json
import math
import urllib.request
from collections.abc import Sequence

from provide.core.planning.problem import Location, TravelMatrix

__all__ = [
    "DEFAULT_ROAD_FACTOR",
    "DEFAULT_SPEED_KMH",
    "EARTH_RADIUS_KM",
    "estimate_matrix",
    "estimate_minutes",
    "haversine_km",
    "osrm_matrix",
]

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""

DEFAULT_ROAD_FACTOR = 1.3
"""Road distance / straight-line distance; 1.3 is a common figure for urban UK roads."""

DEFAULT_SPEED_KMH = 40.0
"""Average driving speed in km/h for the built-in estimate."""


def haversine_km(origin: Location, destination: Location) -> float:
    """Great-circle distance between two points.

    Parameters
    ----------
    origin, destination : Location
        Points in decimal degrees.

    Returns
    -------
    float
        Distance in km, >= 0.

    Examples
    --------
    >>> round(haversine_km(Location(51.5074, -0.1278), Location(53.4808, -2.2426)))
    262
    """
    lat1, lon1 = math.radians(origin.lat), math.radians(origin.lon)
    lat2, lon2 = math.radians(destination.lat), math.radians(destination.lon)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def estimate_minutes(
    origin: Location,
    destination: Location,
    *,
    road_factor: float = DEFAULT_ROAD_FACTOR,
    speed_kmh: float = DEFAULT_SPEED_KMH,
) -> int:
    """Estimated driving time between two points, in whole minutes.

    ``ceil(haversine_km * road_factor / speed_kmh * 60)``; 0 for the same point.

    Parameters
    ----------
    origin, destination : Location
        Points in decimal degrees.
    road_factor : float, default 1.3
        Multiplier from straight-line to road distance, >= 1.
    speed_kmh : float, default 40
        Average speed in km/h, > 0.

    Returns
    -------
    int
        Minutes, >= 0.

    Raises
    ------
    ValueError
        If ``speed_kmh <= 0`` or ``road_factor <= 0``.

    Examples
    --------
    >>> estimate_minutes(Location(53.48, -2.24), Location(53.48, -2.24))
    0
    >>> estimate_minutes(Location(53.48, -2.24), Location(53.57, -2.24))
    20
    """
    if speed_kmh <= 0 or road_factor <= 0:
        raise ValueError("speed_kmh and road_factor must be > 0")
    km = haversine_km(origin, destination) * road_factor
    # A tiny tolerance keeps exact multiples from rounding up because of float noise.
    return max(0, math.ceil(km / speed_kmh * 60.0 - 1e-9))


def estimate_matrix(
    locations: Sequence[Location],
    *,
    road_factor: float = DEFAULT_ROAD_FACTOR,
    speed_kmh: float = DEFAULT_SPEED_KMH,
) -> TravelMatrix:
    """Build a :class:`TravelMatrix` with :func:`estimate_minutes` for every pair.

    Parameters
    ----------
    locations : sequence of Location
        The places to cover.
    road_factor, speed_kmh : float
        As for :func:`estimate_minutes`.

    Returns
    -------
    TravelMatrix
        Square matrix of whole minutes.
    """
    points = tuple(locations)
    rows = tuple(
        tuple(estimate_minutes(a, b, road_factor=road_factor, speed_kmh=speed_kmh) for b in points)
        for a in points
    )
    return TravelMatrix(locations=points, minutes=rows)


def osrm_matrix(
    locations: Sequence[Location],
    *,
    osrm_url: str,
    profile: str = "driving",
    timeout_seconds: float = 10.0,
) -> TravelMatrix:
    """Ask an OSRM server's table service for driving times between all locations.

    Parameters
    ----------
    locations : sequence of Location
        The places to cover (at least one).
    osrm_url : str
        Base address of the server, e.g. ``"http://osrm.internal:5000"`` (http or https).
    profile : str, default "driving"
        OSRM routing profile.
    timeout_seconds : float, default 10
        Network timeout.

    Returns
    -------
    TravelMatrix
        Durations rounded up to whole minutes. Pairs OSRM cannot route fall back to
        :func:`estimate_minutes`.

    Raises
    ------
    ValueError
        If the address is not http(s) or OSRM answers with an error code.
    OSError
        If the server cannot be reached.
    """
    points = tuple(locations)
    if not osrm_url.startswith(("http://", "https://")):
        raise ValueError("osrm_url must start with http:// or https://")
    coordinates = ";".join(f"{p.lon:.6f},{p.lat:.6f}" for p in points)
    url = f"{osrm_url.rstrip('/')}/table/v1/{profile}/{coordinates}?annotations=duration"
    with urllib.request.urlopen(url, timeout=timeout_seconds) as response:  # noqa: S310
        payload = json.loads(response.read().decode("utf-8"))
    return _matrix_from_osrm_payload(points, payload)


def _matrix_from_osrm_payload(points: tuple[Location, ...], payload: object) -> TravelMatrix:
    """Turn an OSRM table answer (``{"code": "Ok", "durations": seconds}``) into a matrix."""
    if not isinstance(payload, dict) or payload.get("code") != "Ok":
        code = payload.get("code") if isinstance(payload, dict) else None
        raise ValueError(f"OSRM table service answered {code!r}")
    durations = payload["durations"]
    rows = []
    for i, a in enumerate(points):
        row = []
        for j, b in enumerate(points):
            seconds = durations[i][j]
            if seconds is None:
                row.append(estimate_minutes(a, b))
            else:
                row.append(max(0, math.ceil(float(seconds) / 60.0 - 1e-9)))
        rows.append(tuple(row))
    return TravelMatrix(locations=points, minutes=tuple(rows))
