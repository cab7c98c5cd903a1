"""Where a case is: coordinates > grid reference > postcode centre > none, and the fix by postcode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from provide.accounts.roles import ALL_ROLES
from provide.areas.models import PostcodeCentroid
from provide.intake.models import Investigation
from provide.intake.services import investigations_import
from provide.intake.services.locations import (
    CANNOT_FIX,
    NOT_A_POSTCODE,
    can_fix_location,
    investigation_location_fix,
)
from tests.audit_assertions import assert_audited
from tests.intake.builders import investigation_row, write_csv

pytestmark = pytest.mark.django_db
FIXERS = {"response_officer", "triage_sergeant", "joint_team_officer", "health_idva",
          "idva_manager", "safeguarding_officer"}  # fmt: skip
"""Roles that may change a victim's safe contact: they may place her case too."""


@pytest.fixture
def directory() -> None:
    now = timezone.now()
    for postcode, lat, lon in (("FY1 9XA", 53.8162, -3.0531), ("BB10 9XA", 53.8003, -2.2152)):
        PostcodeCentroid.objects.create(
            postcode=postcode, latitude=lat, longitude=lon, loaded_at=now
        )


def row(ref: str, **fields: str) -> dict[str, str]:
    base = investigation_row(ref, victim_id=f"V-{ref}", victim_lat="", victim_lon="",
                             victim_postcode="", victim_easting="", victim_northing="")  # fmt: skip
    return {**base, **fields}


def import_rows(tmp_path: Path, rows: list[dict[str, str]]) -> Any:
    return investigations_import(actor=None, path=write_csv(tmp_path / "x.csv", rows))


def placed(ref: str) -> tuple[float | None, float | None, str]:
    case = Investigation.objects.get(investigation_ref=ref)
    return case.latitude, case.longitude, case.location_source


def test_each_case_is_placed_by_the_best_location_its_row_gives(
    areas: Any, directory: None, tmp_path: Path
) -> None:
    result = import_rows(tmp_path, [
        row("WB/1", victim_lat="53.81", victim_lon="-3.05", victim_easting="384000",
            victim_northing="433000", victim_postcode="BB10 9XA"),
        row("WB/2", victim_easting="330000", victim_northing="436000", victim_postcode="BB10 9XA"),
        row("WB/3", victim_postcode="fy1 9xa"),
        row("WB/4"),
    ])  # fmt: skip
    assert result.problems == []
    assert placed("WB/1") == (53.81, -3.05, "coordinates")
    lat, lon, source = placed("WB/2")
    assert (lat, lon, source) == (pytest.approx(53.8155, abs=1e-4), pytest.approx(-3.0647, abs=1e-4),
                                  "grid_reference")  # fmt: skip
    assert placed("WB/3") == (53.8162, -3.0531, "postcode")
    assert placed("WB/4") == (None, None, "none")
    assert Investigation.objects.get(investigation_ref="WB/4").has_location is False
    assert "locations: 1 by coordinates in the extract, 1 by grid reference in the extract, " \
           "1 by centre of the victim's postcode" in result.notes  # fmt: skip
    assert any("1 case(s) have no location" in note for note in result.notes)


def test_a_grid_reference_is_the_victims_position_but_a_postcode_centre_is_not(
    areas: Any, directory: None, tmp_path: Path
) -> None:
    import_rows(tmp_path, [row("WB/1", victim_easting="330000", victim_northing="436000"),
                           row("WB/2", victim_postcode="FY1 9XA")])  # fmt: skip
    by_grid = Investigation.objects.get(investigation_ref="WB/1").victim
    by_postcode = Investigation.objects.get(investigation_ref="WB/2").victim
    assert by_grid.latitude == pytest.approx(53.8155, abs=1e-4)
    assert (by_postcode.latitude, by_postcode.postcode) == (None, "FY1 9XA")


def test_bad_grid_references_are_refused_with_their_row_and_nothing_is_written(
    areas: Any, tmp_path: Path
) -> None:
    result = import_rows(tmp_path, [
        row("WB/1", victim_easting="330000", victim_northing="436000"),
        row("WB/2", victim_easting="800000", victim_northing="436000"),
        row("WB/3", victim_easting="330000"),
        row("WB/4", victim_easting="330000", victim_northing="-10"),
        row("WB/5", victim_lat="53.8"),
    ])  # fmt: skip
    assert result.problem_lines() == [
        "row 3, column victim_easting: easting 800000 is outside Great Britain's grid (0 to 700000 metres)",
        "row 4, column victim_northing: give both victim_easting and victim_northing, or neither",
        "row 5, column victim_easting: northing -10 is outside Great Britain's grid (0 to 1300000 metres)",
        "row 6, column victim_lon: give both victim_lat and victim_lon, or neither",
    ]
    assert not Investigation.objects.exists()


def test_a_postcode_not_in_the_directory_is_a_row_problem(
    areas: Any, directory: None, tmp_path: Path
) -> None:
    result = import_rows(tmp_path, [row("WB/1", victim_postcode="FY9 9ZZ"),
                                    row("WB/2", victim_postcode="FY9"),
                                    row("WB/3", victim_postcode="FY9", victim_lat="53.8", victim_lon="-3")])  # fmt: skip
    lines = result.problem_lines()
    assert lines[0].startswith(
        "row 2, column victim_postcode: FY9 9ZZ is not in the postcode directory"
    )
    assert lines[1].startswith("row 3, column victim_postcode: 'FY9' is not a full postcode")
    assert len(lines) == 2, "a postcode is not needed when the row gives coordinates"
    assert not Investigation.objects.exists()


def test_without_a_directory_a_postcode_leaves_the_case_unplaced_and_says_why(
    areas: Any, tmp_path: Path
) -> None:
    result = import_rows(tmp_path, [row("WB/1", victim_postcode="FY9 9ZZ")])
    assert result.problems == []
    assert placed("WB/1") == (None, None, "none")
    assert any("no postcode directory is loaded" in note for note in result.notes)


def test_a_newer_row_without_a_location_keeps_the_one_held(
    areas: Any, directory: None, tmp_path: Path, personas: dict[str, Any]
) -> None:
    import_rows(tmp_path, [row("WB/1")])
    case = Investigation.objects.get(investigation_ref="WB/1")
    investigation_location_fix(
        user=personas["triage_sergeant"], investigation=case, postcode="FY1 9XA"
    )
    again = import_rows(tmp_path, [row("WB/1", offence="Harassment")])
    assert again.updated == 1
    assert placed("WB/1") == (53.8162, -3.0531, "postcode")


def test_the_fix_places_the_case_at_the_postcode_centre_and_records_her_postcode(
    west_case: dict[str, Any], directory: None, personas: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    case = investigation_location_fix(user=sergeant, investigation=west_case["investigation"],
                                      postcode=" bb10 9xa ")  # fmt: skip
    assert (case.latitude, case.longitude, case.location_source) == (53.8003, -2.2152, "postcode")
    assert case.has_location is True
    west_case["victim"].refresh_from_db()
    assert west_case["victim"].postcode == "BB10 9XA"
    event = assert_audited("intake.location_fixed", action="update", actor=sergeant, subject=case)
    assert event.changes["location_source"] == ["none", "postcode"]
    assert event.changes["postcode"] == "BB10 9XA"
    assert_audited("people.postcode_changed", action="update", actor=sergeant,
                   subject=west_case["victim"])  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "message"),
    [("FY9 9ZZ", "FY9 9ZZ is not in the postcode directory"), ("FY1", NOT_A_POSTCODE)],
)
def test_an_unknown_or_partial_postcode_changes_nothing(
    west_case: dict[str, Any], directory: None, personas: dict[str, Any], typed: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        investigation_location_fix(user=personas["triage_sergeant"],
                                   investigation=west_case["investigation"], postcode=typed)  # fmt: skip
    assert placed("WB/2026/000001") == (None, None, "none")
    west_case["victim"].refresh_from_db()
    assert west_case["victim"].postcode == "FY1 1AA"


@pytest.mark.parametrize("role", [role.slug for role in ALL_ROLES])
def test_only_roles_that_may_change_her_contact_details_may_place_her_case(
    role: str, west_case: dict[str, Any], directory: None, personas: dict[str, Any]
) -> None:
    user = personas[role]
    assert can_fix_location(user) is (role in FIXERS)
    if role in FIXERS:
        investigation_location_fix(
            user=user, investigation=west_case["investigation"], postcode="FY1 9XA"
        )
        assert placed("WB/2026/000001")[2] == "postcode"
    else:
        with pytest.raises(PermissionDenied, match=CANNOT_FIX):
            investigation_location_fix(user=user, investigation=west_case["investigation"],
                                       postcode="FY1 9XA")  # fmt: skip
        assert placed("WB/2026/000001")[2] == "none"
