"""UK postcodes: the one written form Provide keeps ("FY1 1AA"), and the centroid look-up."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from provide.areas.models import PostcodeCentroid

_FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
LOOKUP_CHUNK = 900
"""Largest ``__in`` list sent in one query (SQLite's historical variable limit is 999)."""


def normalise_postcode(text: str | None) -> str | None:
    """Return a full UK postcode in "FY1 1AA" form, or None when ``text`` is not one.

    Case and spaces do not matter (``"fy11aa"``, ``" FY1  1AA "``). A partial postcode
    (``"FY1"``, ``"FY1 1"``) is not a full postcode.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    if not _FULL_POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


@dataclass(frozen=True)
class Centroid:
    postcode: str
    latitude: float
    longitude: float
    terminated: bool


def postcode_centroids(postcodes: Iterable[str]) -> dict[str, Centroid]:
    """The stored centroid of each of ``postcodes`` (already normalised) that the directory has."""
    wanted = sorted(set(postcodes))
    found: dict[str, Centroid] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = PostcodeCentroid.objects.filter(postcode__in=wanted[start : start + LOOKUP_CHUNK])
        for postcode, lat, lon, terminated_on in rows.values_list(
            "postcode", "latitude", "longitude", "terminated_on"
        ):
            found[postcode] = Centroid(postcode, lat, lon, terminated_on is not None)
    return found


def postcode_directory_loaded() -> bool:
    """True once any postcode has been loaded: until then a postcode cannot place a case."""
    return PostcodeCentroid.objects.exists()
