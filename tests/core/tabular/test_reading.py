"""Reading CSV/XLSX, headers, mappings, per-cell problems and safe export."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    TabularError,
    load_mapping,
    normalise_header,
    open_table,
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
    [
        (" Tracker ID ", "tracker_id"),
        ("tracker-id", "tracker_id"),
        ("TRACKER_ID", "tracker_id"),
        ("IDVA  support - accepted", "idva_support_accepted"),
    ],
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
    csv_file.write_text(
        "source,target\nRef,tracker_id\nWhen seen,idva_visit_at\nTook support,accepted\n"
    )
    assert (
        load_mapping(json_file)
        == load_mapping(csv_file)
        == {"ref": "tracker_id", "when_seen": "idva_visit_at", "took_support": "accepted"}
    )


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
    assert all(
        r.values["idva_visit_at"] == datetime(2022, 6, 1, 13, 5, tzinfo=UTC) for r in result.records
    )


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
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 1234", "'+44 1234"),
        ("-5", "'-5"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("West", "West"),
        ("a=b", "a=b"),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_cell_prefixes_formula_triggers(value: object, expected: object) -> None:
    assert safe_cell(value) == expected


def test_safe_row() -> None:
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


# -- streaming, broken files, workbooks that must not be opened ------------------------------


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(
    workbook: bytes,
    *,
    extra: dict[str, bytes] | None = None,
    replace: dict[str, bytes] | None = None,
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _refused(content: bytes, name: str, **options: Any) -> str:
    with pytest.raises(TabularError) as caught:
        open_table(content, name=name, **options)
    (line,) = caught.value.lines()
    return line


def test_a_streamed_table_reads_the_header_once_and_its_rows_on_every_pass() -> None:
    table = open_table(b"\xef\xbb\xbf\n id , name \nT1,Ann\n,\nT2,Bo\n", name="t.csv")
    assert table.headers == ("id", "name") and table.header_row == 2
    first, again = list(table.rows), list(table.rows)
    assert first == again == [(3, ("T1", "Ann")), (5, ("T2", "Bo"))]


def test_a_streamed_csv_holds_one_row_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "name", "notes"])
        for number in range(120_000):
            writer.writerow([f"R{number}", "Somebody Synthetic", "x" * 60])
    assert path.stat().st_size > 10 * 1024 * 1024
    tracemalloc.start()
    try:
        rows = sum(1 for _ in open_table(path).rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 120_000
    assert peak < 2 * 1024 * 1024, (
        f"reading a {path.stat().st_size:,}-byte file peaked at {peak:,} bytes"
    )


def test_an_encoding_error_far_into_a_file_names_its_row_and_offset(tmp_path: Path) -> None:
    lines = (
        [b"ref,name\r\n"]
        + [f"R{n},Ann\r\n".encode() for n in range(300_000)]
        + [b"R-last,Zo\xeb\r\n"]
    )
    path = tmp_path / "late.csv"
    path.write_bytes(b"".join(lines))
    offset = path.read_bytes().index(b"\xeb")
    with pytest.raises(TabularError) as caught:
        list(open_table(path, name="late.csv").rows)
    assert caught.value.lines() == [
        f"late.csv: row 300002: byte 0xEB at byte offset {offset} is not valid UTF-8 (the file looks like "
        f'Windows-1252/Latin-1); save it as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8)'
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'ref,notes\nT1,"never closed\nT2,x\nT3,y\n',
            'x.csv: row 2: a quoted cell is never closed (a " with no '
            'closing "), so the rest of the file would be read into it; check the quotes in that row',
        ),
        (
            b'ref,notes\nT1,ok\n"T2"x,y\n',
            "x.csv: row 3: text follows a closing quote in a cell; put the whole cell "
            'in quotes and write each quote inside it twice ("")',
        ),
        (
            b"ref,notes\nT1," + b"y" * 200_000 + b"\n",
            "x.csv: row 2: a cell is longer than 131,072 characters; usually "
            'a quote (") that is never closed',
        ),
        (b"ref,notes\nT1,a\x00b\n", "x.csv: the file contains NUL bytes; it is not CSV text"),
        (
            b'"ref,notes\nT1,x\n',
            'x.csv: row 1: a quoted cell is never closed (a " with no closing "), so the rest of '
            "the file would be read into it; check the quotes in that row",
        ),
    ],
    ids=[
        "unclosed quote",
        "text after quote",
        "endless cell",
        "NUL byte",
        "header swallows the file",
    ],
)
def test_broken_csv_is_an_error_naming_the_row_not_a_short_file(
    content: bytes, expected: str
) -> None:
    with pytest.raises(TabularError) as caught:
        read_csv(content, name="x.csv")
    assert caught.value.lines() == [expected]


def test_quotes_used_properly_are_read() -> None:
    sheet = read_csv(b'ref,notes\nT1,"two\nlines, and a ""quote"""\nT2,O\'Brien\n')
    assert sheet.rows == ((2, ("T1", 'two\nlines, and a "quote"')), (3, ("T2", "O'Brien")))


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n...", "a PNG image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
            "an Excel 97-2003 workbook (.xls) or another old Office document",
        ),
        (b"\x1f\x8b\x08\x00", "a gzip archive"),
    ],
)
def test_files_that_are_not_spreadsheets_are_named(content: bytes, what: str) -> None:
    assert _refused(content, "upload.csv") == (
        f"upload.csv: this is {what}, not a CSV or XLSX spreadsheet; save it as an Excel Workbook (.xlsx) "
        f"or as CSV UTF-8 and import that"
    )


@pytest.mark.parametrize(
    "content",
    [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b",,\n,\n"],
    ids=["zero bytes", "BOM", "blank lines", "blank cells"],
)
def test_an_empty_file_has_no_header(content: bytes) -> None:
    assert _refused(content, "e.csv") == "e.csv: the file is empty (no header row)"


def test_a_header_only_file_opens_with_no_rows() -> None:
    assert list(open_table(b"ref,name\r\n", name="h.csv").rows) == []


def test_a_macro_enabled_workbook_is_refused_by_name_or_content() -> None:
    plain = _xlsx_bytes([["ref"], ["R1"]])
    advice = "save it as an Excel Workbook (.xlsx) or as CSV UTF-8 and import that"
    assert _refused(plain, "tracker.xlsm") == (
        f"tracker.xlsm: this is a macro-enabled workbook; Provide does not open files that can hold macros: {advice}"
    )
    with_macros = _rezip(plain, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really vba"})
    assert _refused(with_macros, "tracker.xlsx") == (
        f"tracker.xlsx: this workbook contains macros (vbaProject.bin); Provide does not open files that can "
        f"hold macros: {advice}"
    )
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml",
            b'spreadsheetml.sheet.main+xml"/><Override PartName="/x" '
            b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml',
        )
    assert "contains macros" in _refused(
        _rezip(plain, replace={"[Content_Types].xml": types}), "t.xlsx"
    )


def test_other_zip_files_are_not_workbooks() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert "this ZIP archive is not an XLSX workbook" in _refused(out.getvalue(), "letter.xlsx")
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument spreadsheet (.ods)" in _refused(ods.getvalue(), "sheet.ods")
    xlsb = _rezip(_xlsx_bytes([["ref"]]), extra={"xl/workbook.bin": b"\x00"})
    assert "Excel binary workbook (.xlsb)" in _refused(xlsb, "sheet.xlsb")


def test_a_zip_bomb_is_refused_from_the_directory_before_anything_is_unpacked() -> None:
    sheet_xml = b"<worksheet>" + b" " * (64 * 1024 * 1024) + b"</worksheet>"
    bomb = _rezip(_xlsx_bytes([["ref"], ["R1"]]), replace={"xl/worksheets/sheet1.xml": sheet_xml})
    del sheet_xml
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    try:
        line = _refused(bomb, "bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert line.startswith("bomb.xlsx: a part of the workbook unpacks to 64.0 MB from ")
    assert line.endswith(
        "more than 200 times; refused as a possible zip bomb; save it as CSV UTF-8 and import that"
    )
    assert peak < 4 * 1024 * 1024, "nothing was unpacked"


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused() -> None:
    workbook = _xlsx_bytes([["ref", "notes"], *([f"R{n}", "x" * 50] for n in range(2_000))])
    line = _refused(workbook, "big.xlsx", max_unpacked_bytes=50_000)
    assert (
        line.startswith("big.xlsx: the workbook unpacks to ")
        and "; the limit is 49 KB; save it as CSV UTF-8" in line
    )
    assert len(list(open_table(workbook, name="big.xlsx").rows)) == 2_000


def test_a_damaged_workbook_is_an_error_not_a_crash() -> None:
    workbook = _xlsx_bytes([["ref"], *([f"R{n}"] for n in range(500))])
    assert _refused(workbook[: len(workbook) // 2], "cut.xlsx") == (
        "cut.xlsx: not a readable XLSX workbook (the file is damaged or is not a ZIP archive)"
    )
    broken_sheet = _rezip(
        workbook, replace={"xl/worksheets/sheet1.xml": b'<worksheet><sheetData><row r="1"><c'}
    )
    with pytest.raises(TabularError, match="not a readable XLSX workbook"):
        list(open_table(broken_sheet, name="broken.xlsx").rows)


def test_messages_name_the_file_by_the_name_given_and_a_mapping_by_its_own_name(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "var" / "imports" / "0f2c"
    folder.mkdir(parents=True)
    path = folder / "june.csv"
    path.write_bytes("ref\nZo\u00eb\n".encode("cp1252"))
    with pytest.raises(TabularError) as caught:
        read_table(path, name=path.name)
    assert caught.value.lines()[0].startswith("june.csv: row 2: byte 0xEB")
    assert str(tmp_path) not in str(caught.value)
    mapping = folder / "mapping.json"
    mapping.write_text("[1]")
    with pytest.raises(TabularError) as caught:
        load_mapping(mapping)
    assert caught.value.lines() == [
        "mapping.json: a mapping must be one JSON object of file header -> column name"
    ]


_CSV_ALPHABET = st.sampled_from(
    ['"', ",", ";", "\t", "\n", "\r", "a", "Z", " ", "é", "\x00", "\ufeff", "=", "1"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_CSV_ALPHABET, max_size=80).map("".join),
    st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_any_text_is_read_or_refused_with_a_reason(text: str, encoding: str) -> None:
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        sheet = read_csv(content, name="fuzz.csv")
    except TabularError as error:
        assert error.lines() and all(line.startswith("fuzz.csv: ") for line in error.lines())
        return
    assert sheet.headers and all(sheet.headers)
    assert all(len(cells) == len(sheet.headers) for _, cells in sheet.rows)
    assert [number for number, _ in sheet.rows] == sorted({number for number, _ in sheet.rows})


_SMALL_WORKBOOK = _xlsx_bytes([["ref", "when"], ["R1", datetime(2022, 6, 1, 14, 5)], ["R2", 3]])  # noqa: DTZ001


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_SMALL_WORKBOOK) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, len(_SMALL_WORKBOOK)),
)
def test_any_damaged_workbook_is_read_or_refused_with_a_reason(
    changes: list[tuple[int, int]], keep: int
) -> None:
    content = bytearray(_SMALL_WORKBOOK[: max(keep, 4)])
    for position, value in changes:
        if position < len(content):
            content[position] = value
    try:
        table = open_table(bytes(content), name="fuzz.xlsx")
        rows = list(table.rows)
    except TabularError as error:
        assert error.lines() and all(line.startswith("fuzz.xlsx: ") for line in error.lines())
        return
    assert all(len(cells) == len(table.headers) for _, cells in rows)
