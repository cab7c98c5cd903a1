"""Loading the ONS Postcode Directory: streamed in batches, all or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provide.areas.models import PostcodeCentroid
from provide.areas.postcode_import import PostcodeFileError, postcodes_import
from provide.audit.models import AuditEvent

SAMPLE = Path(__file__).parent / "data" / "onspd_sample.csv"
HEADER = "pcd,pcds,doterm,lat,long\n"


def upserts(queries: CaptureQueriesContext) -> int:
    return sum("INSERT INTO" in q["sql"] and "areas_postcodecentroid" in q["sql"] for q in queries)


def write_rows(path: Path, count: int, *, bad_row: int | None = None) -> Path:
    """``count`` synthetic Blackpool postcodes (FY1 0AA, FY1 0AB ...); row ``bad_row`` (as a
    spreadsheet counts, header = 1) has a latitude that is not a number."""
    lines = [HEADER]
    for n in range(count):
        postcode = f"FY{1 + n // 676 % 8} {n // 26 % 10}{chr(65 + n % 26)}{chr(65 + n // 260 % 26)}"
        lat = "north" if bad_row == n + 2 else f"{53.80 + n * 1e-5:.6f}"
        lines.append(f"{postcode},{postcode},,{lat},-3.050000\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_sample_loads_with_terminated_flagged_and_no_coordinate_rows_skipped() -> None:
    result = postcodes_import(path=SAMPLE)
    assert result.json_summary() == {
        "rows": 17, "loaded": 16, "new": 16, "terminated": 2, "skipped": 1,
        "skipped_by_reason": {"no coordinates": 1}, "problems": 0, "written": True,
        "dry_run": False,
    }  # fmt: skip
    centroid = PostcodeCentroid.objects.get(postcode="BB10 9XA")
    assert (centroid.latitude, centroid.longitude, centroid.terminated_on) == (
        53.8003,
        -2.2152,
        None,
    )
    assert PostcodeCentroid.objects.get(postcode="FY1 9XD").terminated_on == dt.date(2019, 3, 1)
    assert not PostcodeCentroid.objects.filter(postcode="FY8 9XB").exists()
    event = AuditEvent.objects.get(event="areas.postcodes_imported")
    assert event.changes["loaded"] == 16


@pytest.mark.django_db
def test_terminated_postcodes_can_be_left_out() -> None:
    result = postcodes_import(path=SAMPLE, skip_terminated=True)
    assert (result.loaded, dict(result.skipped)) == (14, {"no coordinates": 1, "terminated": 2})
    assert not PostcodeCentroid.objects.filter(postcode="FY1 9XD").exists()


@pytest.mark.django_db
def test_loading_the_same_file_again_changes_nothing() -> None:
    postcodes_import(path=SAMPLE)
    before = list(
        PostcodeCentroid.objects.values_list("postcode", "latitude", "longitude", "terminated_on")
    )
    again = postcodes_import(path=SAMPLE)
    assert (again.loaded, again.new) == (16, 0)
    after = list(
        PostcodeCentroid.objects.values_list("postcode", "latitude", "longitude", "terminated_on")
    )
    assert after == before


@pytest.mark.django_db
def test_a_newer_directory_moves_a_centroid_and_terminates_a_postcode(tmp_path: Path) -> None:
    postcodes_import(path=SAMPLE)
    newer = tmp_path / "newer.csv"
    newer.write_text(HEADER + "FY1 9XA,FY1 9XA,202401,53.8170,-3.0540\n", encoding="utf-8")
    result = postcodes_import(path=newer)
    assert (result.loaded, result.new) == (1, 0)
    moved = PostcodeCentroid.objects.get(postcode="FY1 9XA")
    assert (moved.latitude, moved.terminated_on) == (53.817, dt.date(2024, 1, 1))


@pytest.mark.django_db
def test_a_file_larger_than_a_batch_is_written_one_batch_at_a_time(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "big.csv", 23)
    with CaptureQueriesContext(connection) as queries:
        result = postcodes_import(path=path, batch_size=5)
    assert (result.loaded, result.batches) == (23, 5)
    assert upserts(queries) == 5, "one upsert per batch of 5, never the whole file at once"
    assert PostcodeCentroid.objects.count() == 23


@pytest.mark.django_db
def test_a_bad_row_after_the_first_batches_writes_nothing(tmp_path: Path) -> None:
    postcodes_import(path=SAMPLE)
    path = write_rows(tmp_path / "bad.csv", 23, bad_row=19)
    result = postcodes_import(path=path, batch_size=5)
    assert result.problems == ["row 19, column lat/long: 'north' is not a number"]
    assert (result.rows, result.loaded, result.written) == (23, 0, False)
    assert PostcodeCentroid.objects.count() == 16, "the batches before the bad row are undone"
    assert AuditEvent.objects.filter(event="areas.postcodes_imported").count() == 1, (
        "the first load only"
    )
    assert "REJECTED, nothing written" in result.summary_line()


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_row_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "FY1 9XA,FY1 9XA,,53.8,-3.05\n"
                    "nonsense,nonsense,,53.8,-3.05\n"
                    "FY1 9XB,FY1 9XB,2019-03,53.8,-3.05\n"
                    "FY1 9XC,FY1 9XC,,40.1,-3.05\n", encoding="utf-8")  # fmt: skip
    result = postcodes_import(path=path)
    assert result.problems == [
        "row 3, column pcds: 'nonsense' is not a full UK postcode",
        "row 4, column doterm: '2019-03' is not a month (YYYYMM)",
        "row 5, column lat/long: 40.1 is not a UK latitude",
    ]
    assert PostcodeCentroid.objects.count() == 0


@pytest.mark.django_db
def test_a_dry_run_counts_what_a_load_would_do_and_writes_nothing() -> None:
    result = postcodes_import(path=SAMPLE, dry_run=True)
    assert (result.loaded, result.new, result.written) == (16, 16, False)
    assert PostcodeCentroid.objects.count() == 0
    assert "dry run, nothing written" in result.summary_line()


@pytest.mark.django_db
def test_the_onspd_zip_is_read_from_its_data_folder(tmp_path: Path) -> None:
    archive = tmp_path / "ONSPD_MAY_2025.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("Documents/readme.csv", "a,b\n1,2\n")
        zipped.writestr(
            "Data/multi_csv/ONSPD_MAY_2025_UK_FY.csv", HEADER + "FY9 9XX,FY9 9XX,,53.8,-3.0\n"
        )
        zipped.write(SAMPLE, "Data/ONSPD_MAY_2025_UK.csv")
    result = postcodes_import(path=archive)
    assert result.loaded == 16
    assert not PostcodeCentroid.objects.filter(postcode="FY9 9XX").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_the_directory_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text("investigation_ref,victim_postcode\nWB/1,FY1 1AA\n", encoding="utf-8")
    with pytest.raises(PostcodeFileError, match="no pcds column"):
        postcodes_import(path=path)
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "x")
    with pytest.raises(PostcodeFileError, match="no ONSPD CSV"):
        postcodes_import(path=archive)
