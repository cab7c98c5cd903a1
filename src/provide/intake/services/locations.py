"""Where a case is: from what the police extract carries, and the one-click fix by postcode.

Precedence, recorded on the case as ``Investigation.location_source``: coordinates in the
row (``victim_lat``/``victim_lon``) > an Ordnance Survey grid reference
(``victim_easting``/``victim_northing``) > the centre of the victim's full postcode (from
``areas.PostcodeCentroid``) > none. A case with none is shown as "No location: the plan
cannot include her", with a form to enter or correct the postcode
(:func:`investigation_location_fix`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.areas.grid import GridConverter
from provide.areas.postcodes import (
    normalise_postcode,
    postcode_centroids,
    postcode_directory_loaded,
)
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, changed_fields
from provide.intake.models import Investigation
from provide.people.models import Person

Source = Investigation.LocationSource

NO_LOCATION = "No location: the plan cannot include her"
CANNOT_FIX = "Your role cannot change where a case is"
NOT_A_POSTCODE = "Enter a full postcode, like FY1 1AA"
UNKNOWN_POSTCODE = (
    "{postcode} is not in the postcode directory: check the postcode, or ask your "
    "administrator to load the latest directory (provide import-postcodes)"
)
BOTH_OR_NEITHER = "give both {first} and {second}, or neither"
FIX_PERMISSIONS = ("intake.change_investigation", "people.change_safe_contact")
"""Any one of these lets a user fix a case's location (those who may change the case or the
victim's contact details)."""


@dataclass(frozen=True, slots=True)
class Located:
    latitude: float | None
    longitude: float | None
    source: str


NOWHERE = Located(None, None, Source.NONE.value)


@dataclass(frozen=True)
class RowProblem:
    column: str
    reason: str


class RowLocator:
    """Place the rows of one import; built once per import (one grid transformation, one
    batch of postcode look-ups).

    ``rows`` are the parsed values of every row; only the postcodes of rows without
    coordinates or a grid reference are looked up.
    """

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        self._grid = GridConverter()
        self.directory_loaded = postcode_directory_loaded()
        wanted = {
            postcode
            for values in rows
            if _needs_postcode(values)
            and (postcode := normalise_postcode(values.get("victim_postcode")))
        }
        self._centroids = postcode_centroids(wanted) if self.directory_loaded else {}
        self.counts: Counter[str] = Counter()
        self.located: dict[int, Located] = {}
        """Each good row's location, by row number (filled in by the import)."""

    def locate(self, values: Mapping[str, Any]) -> Located | RowProblem:
        """The row's location by the precedence above, or the problem that stops it."""
        located = self._locate(values)
        if isinstance(located, Located):
            self.counts[located.source] += 1
        return located

    def _locate(self, values: Mapping[str, Any]) -> Located | RowProblem:
        for first, second in (("victim_lat", "victim_lon"), ("victim_easting", "victim_northing")):
            if (values.get(first) is None) != (values.get(second) is None):
                missing = second if values.get(second) is None else first
                return RowProblem(missing, BOTH_OR_NEITHER.format(first=first, second=second))
        if values.get("victim_lat") is not None:
            return Located(values["victim_lat"], values["victim_lon"], Source.COORDINATES.value)
        if values.get("victim_easting") is not None:
            try:
                lat, lon = self._grid.to_latlon(values["victim_easting"], values["victim_northing"])
            except ValueError as error:
                return RowProblem("victim_easting", str(error))
            return Located(lat, lon, Source.GRID_REFERENCE.value)
        return self._by_postcode(values.get("victim_postcode"))

    def _by_postcode(self, text: str | None) -> Located | RowProblem:
        if not text or not self.directory_loaded:
            return NOWHERE
        postcode = normalise_postcode(text)
        if postcode is None:
            return RowProblem(
                "victim_postcode",
                f"{text!r} is not a full postcode, and the row has no coordinates or grid "
                f"reference to place the case by",
            )
        centroid = self._centroids.get(postcode)
        if centroid is None:
            return RowProblem("victim_postcode", UNKNOWN_POSTCODE.format(postcode=postcode))
        return Located(centroid.latitude, centroid.longitude, Source.POSTCODE.value)

    def notes(self) -> list[str]:
        """Lines for the import's report: how the cases were placed."""
        labels = dict(Source.choices)
        placed = ", ".join(f"{self.counts[s]} by {labels[s].lower()}" for s in Source.values
                           if s != Source.NONE and self.counts[s])  # fmt: skip
        notes = [f"locations: {placed}"] if placed else []
        if self.counts[Source.NONE]:
            notes.append(
                f"{self.counts[Source.NONE]} case(s) have no location and are marked "
                f'"{NO_LOCATION}" until a postcode is entered'
            )
        if not self.directory_loaded:
            notes.append(
                "no postcode directory is loaded, so postcodes cannot place cases "
                "(provide import-postcodes)"
            )
        return notes


def _needs_postcode(values: Mapping[str, Any]) -> bool:
    return values.get("victim_lat") is None and values.get("victim_easting") is None


def can_fix_location(user: User) -> bool:
    return any(user.has_perm(permission) for permission in FIX_PERMISSIONS)


@transaction.atomic
def investigation_location_fix(
    *, user: User, investigation: Investigation, postcode: str
) -> Investigation:
    """Place the case at the centre of the victim's postcode ``postcode`` (as typed), and record
    it as her postcode. Raises ValidationError (:data:`NOT_A_POSTCODE`,
    :data:`UNKNOWN_POSTCODE`) with nothing changed; PermissionDenied without
    :data:`FIX_PERMISSIONS`."""
    if not (getattr(user, "is_authenticated", False) and can_fix_location(user)):
        raise PermissionDenied(CANNOT_FIX)
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise ValidationError(NOT_A_POSTCODE)
    centroid = postcode_centroids([normalised]).get(normalised)
    if centroid is None:
        raise ValidationError(UNKNOWN_POSTCODE.format(postcode=normalised))
    investigation = Investigation.objects.select_for_update().get(pk=investigation.pk)
    names = ("latitude", "longitude", "location_source")
    before = {name: getattr(investigation, name) for name in names}
    after = {"latitude": centroid.latitude, "longitude": centroid.longitude,
             "location_source": Source.POSTCODE.value}  # fmt: skip
    for name, value in after.items():
        setattr(investigation, name, value)
    investigation.save(update_fields=[*names, "updated_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, event="intake.location_fixed",
                 subject=investigation,
                 changes={**changed_fields(before, after), "postcode": normalised})  # fmt: skip
    _victim_postcode(user=user, victim=investigation.victim, postcode=normalised)
    return investigation


def _victim_postcode(*, user: User, victim: Person, postcode: str) -> None:
    if victim.postcode == postcode:
        return
    changes = changed_fields({"postcode": victim.postcode}, {"postcode": postcode})
    Person.objects.filter(pk=victim.pk).update(postcode=postcode, updated_at=timezone.now())
    victim.postcode = postcode
    audit_record(actor=user, action=AuditAction.UPDATE, event="people.postcode_changed",
                 subject=victim, changes=changes)  # fmt: skip
