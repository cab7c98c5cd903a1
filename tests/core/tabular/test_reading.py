"""Reading CSV/XLSX, headers, mappings, per-cell problems and safe export."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    TabularError,
    load_mapping,
    normalise_header,
    parse_bool,
    parse_datetime,
    parse_text,
    read_csv,
    read_records,
    read_table,
    read_xlsx,
    safe_cell,
    safe_row,
)

SCHEMA = [
    ColumnSpec("tracker_id", parse_text, required=True),
    ColumnSpec("idva_visit_at", parse_datetime),
    ColumnSpec("accepted", parse_bool),
]


def test_csv_with_and_without_bom_read_the_same() -> None:
    plain = read_csv(b"tracker_id,bcu\r\nT1,West\r\n")
    with_bom = read_csv(b"\xef\xbb\xbftracker_id,bcu\r\nT1,West\r\n")
    assert plain.headers == with_bom.headers == ("tracker_id", "bcu")
    assert plain.rows == with_bom.rows == ((2, ("T1", "West")),)


def test_windows_1252_csv_is_rejected_with_row_and_byte_position() -> None:
    raw = "tracker_id,name\nT1,Ann\nT2,Zo\u00eb\n".encode("cp1252")
    with pytest.raises(TabularError) as caught:
        read_csv(raw, name="t.csv")
    (line,) = caught.value.lines()
    offset = raw.index(b"\xeb")
    assert line.startswith(f"t.csv: row 3: byte 0xEB at byte offset {offset}")
    assert "CSV UTF-8" in line


def test_encoding_error_row_counts_records_not_lines() -> None:
    raw = 'id,notes\nT1,"two\nlines"\nT2,caf\xe9\n'.encode("latin-1")
    with pytest.raises(TabularError, match="row 3: byte 0xE9"):
        read_csv(raw)


def test_utf16_csv_is_rejected() -> None:
    with pytest.raises(TabularError, match="UTF-16"):
        read_csv("id\nT1\n".encode("utf-16"))


def test_semicolon_csv_is_read_and_blank_rows_keep_spreadsheet_numbering() -> None:
    sheet = read_csv(b"tracker_id;bcu\n\nT1;West\n;\nT2;East\n")
    assert sheet.rows == ((3, ("T1", "West")), (5, ("T2", "East")))


def test_row_wider_than_the_header_is_an_error() -> None:
    with pytest.raises(TabularError, match="row 2"):
        read_csv(b"a,b\n1,2,3\n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [(" Tracker ID ", "tracker_id"), ("tracker-id", "tracker_id"), ("TRACKER_ID", "tracker_id"),
     ("IDVA  support - accepted", "idva_support_accepted")],
)
def test_headers_are_case_space_underscore_hyphen_insensitive(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


def test_read_records_reports_every_bad_value_as_row_and_column() -> None:
    sheet = read_csv(
        b"Tracker-ID,IDVA visit at,Accepted,Officer\n"
        b"T1,01/06/2022 14:05,Y,PC 1\n"
        b"T2,31/02/2023 10:00,maybe,\n"
        b",01/06/2022,N,\n"
    )
    result = read_records(sheet, SCHEMA)
    assert [r.values["tracker_id"] for r in result.records] == ["T1"]
    assert result.records[0].values["idva_visit_at"] == datetime(2022, 6, 1, 13, 5, tzinfo=UTC)
    assert result.records[0].extras == {"Officer": "PC 1"}
    assert result.extra_columns == ["Officer"]
    assert [str(p) for p in result.problems] == [
        "row 3, column IDVA visit at: '31/02/2023 10:00' is not a real date (day first: day 31, month 2)",
        "row 3, column Accepted: 'maybe' is not yes/no (expected Y/N, Yes/No, TRUE/FALSE, 1/0)",
        "row 4, column Tracker-ID: required value is blank",
    ]
    assert result.rejected_rows == [3, 4]


def test_missing_required_column_is_a_file_error() -> None:
    with pytest.raises(TabularError, match="required column 'tracker_id' is missing"):
        read_records(read_csv(b"accepted\nY\n", name="x.csv"), SCHEMA)


def test_two_headers_for_one_column_is_a_file_error() -> None:
    with pytest.raises(TabularError, match="both read as 'tracker_id'"):
        read_records(read_csv(b"tracker id,Tracker_ID\nT1,T1\n"), SCHEMA)


def test_mapping_renames_file_headers(tmp_path: Path) -> None:
    sheet = read_csv(b"Ref,When seen,Took support\nT1,01/06/2022,yes\n")
    mapping = {"ref": "tracker_id", "When Seen": "idva_visit_at", "took-support": "accepted"}
    result = read_records(sheet, SCHEMA, mapping=mapping)
    assert result.problems == []
    assert result.records[0].values["accepted"] is True

    json_file = tmp_path / "map.json"
    json_file.write_text(json.dumps(mapping))
    csv_file = tmp_path / "map.csv"
    csv_file.write_text("source,target\nRef,tracker_id\nWhen seen,idva_visit_at\nTook support,accepted\n")
    assert load_mapping(json_file) == load_mapping(csv_file) == {
        "ref": "tracker_id", "when_seen": "idva_visit_at", "took_support": "accepted"
    }


def test_bad_mapping_files_are_reported(tmp_path: Path) -> None:
    bad = tmp_path / "map.json"
    bad.write_text("[1, 2]")
    with pytest.raises(TabularError, match="one JSON object"):
        load_mapping(bad)
    short = tmp_path / "map.csv"
    short.write_text("Ref\n")
    with pytest.raises(TabularError, match="row 1: expected two cells"):
        load_mapping(short)


def _workbook(path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Tracker"
    first.append(["Tracker ID", "IDVA visit at", "Accepted"])
    first.append(["T1", datetime(2022, 6, 1, 14, 5), True])  # noqa: DTZ001 - Excel cells are naive
    first.append([None, None, None])
    first.append([1234.0, "01/06/2022 14:05", "n"])
    other = book.create_sheet("Other")
    other.append(["tracker_id"])
    other.append(["X9"])
    book.save(path)


def test_xlsx_first_sheet_native_cells_and_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _workbook(path)
    result = read_records(read_xlsx(path), SCHEMA)
    assert [(r.row, r.values["tracker_id"], r.values["accepted"]) for r in result.records] == [
        (2, "T1", True),
        (4, "1234", False),
    ]
    assert all(r.values["idva_visit_at"] == datetime(2022, 6, 1, 13, 5, tzinfo=UTC) for r in result.records)


def test_xlsx_named_sheet_and_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _workbook(path)
    assert read_table(path, sheet="Other").rows == ((2, ("X9",)),)
    with pytest.raises(TabularError, match="no sheet named 'Nope'"):
        read_table(path, sheet="Nope")


def test_read_table_chooses_by_content_not_name(tmp_path: Path) -> None:
    disguised = tmp_path / "really-a-workbook.csv"
    _workbook(disguised)
    assert read_table(disguised).headers == ("Tracker ID", "IDVA visit at", "Accepted")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("a,b\n")
    with pytest.raises(TabularError, match="not an XLSX workbook"):
        read_table(fake)


def test_cell_problem_formats() -> None:
    assert str(CellProblem(4, "bcu", "blank")) == "row 4, column bcu: blank"
    assert str(CellProblem(None, None, "empty", "f.csv")) == "f.csv: empty"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+44 1234", "'+44 1234"), ("-5", "'-5"), ("@cmd", "'@cmd"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("West", "West"), ("a=b", "a=b"), (-5, -5), (None, None)],
)
def test_safe_cell_prefixes_formula_triggers(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_safe_row() -> None:
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]
