"""The analysts' extract: no direct identifier, keyed pseudonyms that join, coarse dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.db import models

from provide.health.models import SupportRecord
from provide.people.models import Person
from provide.retention.extract import (
    TABLES,
    Options,
    any_of,
    by_deadline,
    extract_tables,
    extract_zip,
    hours,
    present,
)
from provide.retention.pseudonyms import pseudonym
from tests.cast import HEALTH_SECRETS
from tests.retention.conftest import HEALTH_MARKERS, POLICE_MARKERS

pytestmark = pytest.mark.django_db
KEY = b"test-key-" * 4
TODAY = dt.date(2030, 6, 1)
IDENTIFIERS = (
    "14/03/1980",
    "1980-03-14",
    "14-03-1980",
    "1978-07-02",
    "FY1",
    "4XZ",
    "900777",
    "Markerfield",
)


def _files(coarsen: str = "week", key: bytes = KEY) -> dict[str, list[dict[str, str]]]:
    data = extract_zip(
        extract_tables(key=key, coarsen=coarsen, today=TODAY), coarsen=coarsen, today=TODAY
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {
        name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def _raw(coarsen: str = "week") -> str:
    data = extract_zip(
        extract_tables(key=KEY, coarsen=coarsen, today=TODAY), coarsen=coarsen, today=TODAY
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


def test_no_planted_identifier_or_free_text_reaches_the_extract(
    old_records: dict[str, Any], west_case: dict[str, Any]
) -> None:
    text = _raw() + _raw("month")
    planted = [
        *POLICE_MARKERS.values(),
        *HEALTH_MARKERS.values(),
        *HEALTH_SECRETS.values(),
        *IDENTIFIERS,
        "Alice",
        "Westby",
        "07700 900123",
        "P-W-1",
        "WB/2026/000001",
        "T-1",
        "FY1 1AA",
    ]
    assert [marker for marker in planted if marker in text] == []
    assert str(old_records["victim"].public_id) not in text


def test_pseudonyms_join_the_tables_and_are_the_same_in_the_next_extract(
    old_records: dict[str, Any],
) -> None:
    files = _files()
    victim = pseudonym("person", old_records["victim"].public_id, key=KEY)
    suspect = pseudonym("person", old_records["suspect"].public_id, key=KEY)
    assert {row["person"] for row in files["people"]} == {victim, suspect}
    assert {(row["victim"], row["suspect"]) for row in files["investigations"]} == {
        (victim, suspect)
    }
    investigation = pseudonym("investigation", old_records["first"].public_id, key=KEY)
    assert [row["investigation"] for row in files["risk_assessments"]] == [investigation]
    assert [row["investigation"] for row in files["visits"]] == [investigation]
    assert _files() == files
    other = _files(key=b"another-key-" * 3)
    assert {row["person"] for row in other["people"]}.isdisjoint({victim, suspect})


def test_dates_are_weeks_or_months_and_ages_are_bands(old_records: dict[str, Any]) -> None:
    weekly, monthly = _files("week"), _files("month")
    first = next(row for row in weekly["investigations"] if row["abuse_types"] == "physical")
    assert first["recorded"] == "2012-05-14"  # the Monday of 17 May 2012
    assert first["hours_to_first_police_visit"] == "1.4"
    assert first["outcome"] == "2012-09-03" and first["risk_grade"] == "medium"
    assert {row["recorded"] for row in monthly["investigations"]} == {"2012-05", "2012-11"}
    assert {row["age_band"] for row in weekly["people"]} == {"45-54"}
    assert weekly["custody"][0]["hours_in_custody"] == "14.0"


def test_the_health_side_never_leaves_through_the_extract(old_records: dict[str, Any]) -> None:
    only_health = Person.objects.create(given_name="Tracker", family_name="Only", synthetic=True)
    SupportRecord.objects.create(tracker_id="T-HEALTH-ONLY", victim=only_health, notes="x")
    files = _files()
    assert pseudonym("person", only_health.public_id, key=KEY) not in {
        row["person"] for row in files["people"]
    }
    assert not any("tracker" in name or "health" in name or "appointment" in name for name in files)


def test_an_unknown_coarsening_is_refused() -> None:
    with pytest.raises(ValueError, match="coarsen must be week or month"):
        extract_tables(key=KEY, coarsen="day", today=TODAY)


TEXT_OR_IDENTIFIER = {
    "given_name",
    "family_name",
    "date_of_birth",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "safe_phone",
    "safe_contact_times",
    "force_person_ref",
    "investigation_ref",
    "incident_ref",
    "custody_ref",
    "offence",
    "language",
    "gender",
    "pseudonym",
}


def test_no_column_reads_free_text_or_a_direct_identifier() -> None:
    for spec in TABLES:
        for column, cell in spec.columns:
            for source in cell.fields:
                if source in spec.annotate:
                    continue
                model: Any = spec.model
                *path, last = source.split("__")
                for step in path:
                    model = model._meta.get_field(step).related_model
                names = {f.name for f in model._meta.get_fields()}
                found = model._meta.get_field(last if last in names else last.removesuffix("_id"))
                assert not isinstance(found, models.TextField), (spec.name, column)
                if last in TEXT_OR_IDENTIFIER:
                    assert column == "age_band" and last == "date_of_birth", (spec.name, column)


def test_cells_write_intervals_deadlines_and_flags() -> None:
    options = Options(key=KEY, coarsen="week", today=TODAY)
    start = dt.datetime(2024, 1, 1, 10, tzinfo=dt.UTC)
    assert hours("a", "b").write(options, [start, start + dt.timedelta(minutes=90)]) == "1.5"
    assert hours("a", "b").write(options, [start, None]) == ""
    assert by_deadline("a", "b").write(options, [start, start]) == "yes"
    assert by_deadline("a", "b").write(options, [start + dt.timedelta(seconds=1), start]) == "no"
    assert any_of("a", "b").write(options, [False, True]) == "yes"
    assert present("a").write(options, [None]) == "no"
