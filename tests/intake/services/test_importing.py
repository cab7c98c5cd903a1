"""What every intake import shares: the report, the size limit, row checks and the rejects file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    TabularError,
    parse_date,
    parse_datetime,
    parse_text,
)
from provide.intake.services.importing import (
    IdentityConflict,
    ImportResult,
    ParsedFile,
    UniqueKey,
    check_length,
    check_not_future,
    check_permission,
    check_size,
    default_rejects_path,
    file_sha256,
    good_records,
    json_line,
    max_unpacked_bytes,
    read_file,
    rejected_row_count,
    write_rejects,
)

COLUMNS = [
    ColumnSpec("ref", parse_text, required=True),
    ColumnSpec("seen_at", parse_datetime),
    ColumnSpec("born_on", parse_date),
    ColumnSpec("name", parse_text),
]
NOW = dt.datetime(2023, 6, 13, 12, 0, tzinfo=dt.UTC)


UNIQUE_REF = UniqueKey(
    columns=("ref",), key=lambda texts: texts[0], describe=lambda ref: f"reference {ref}"
)


def parsed(
    tmp_path: Path, text: str, mapping: str | None = None, unique: UniqueKey | None = None
) -> ParsedFile:
    path = tmp_path / "extract.csv"
    path.write_text(text, encoding="utf-8")
    mapping_path = None
    if mapping is not None:
        mapping_path = tmp_path / "mapping.csv"
        mapping_path.write_text(mapping, encoding="utf-8")
    return read_file(
        path,
        COLUMNS,
        mapping_path=mapping_path,
        sheet_name=None,
        label="extract.csv",
        unique=unique,
    )


def test_the_summary_line_says_rejected_dry_run_or_done() -> None:
    rejected = ImportResult(
        "investigations",
        "a.csv",
        rows=10,
        rejected=2,
        problems=[CellProblem(3, "ref", "blank"), CellProblem(4, "ref", "blank")],
    )
    assert rejected.file_rejected and rejected.summary_line() == (
        "a.csv: REJECTED, nothing written - 2 problem(s) in 2 of 10 rows (use --partial to import the good rows)"
    )
    dry = ImportResult("investigations", "a.csv", rows=3, created=3, dry_run=True)
    assert (
        dry.summary_line()
        == "a.csv: dry run, nothing written - would be 3 created, 0 updated, 0 unchanged, 0 rejected (3 rows)"
    )
    done = ImportResult("custody", "c.csv", rows=4, created=1, updated=2, unchanged=1, seconds=0.42)
    assert (
        done.summary_line()
        == "c.csv: 1 created, 2 updated, 1 unchanged, 0 rejected (4 rows, 0.4 s)"
    )
    partial = ImportResult(
        "custody", "c.csv", problems=[CellProblem(2, "ref", "blank")], partial=True
    )
    assert not partial.file_rejected


def test_as_dict_and_json_line() -> None:
    result = ImportResult(
        "custody",
        "c.csv",
        rows=2,
        created=1,
        rejected=1,
        problems=[CellProblem(3, "ref", "blank")],
        sha256="ab",
    )
    assert json_line(result) == (
        '{"created": 1, "updated": 0, "unchanged": 0, "rejected": 1, '
        '"held_for_review": 0, "identity_conflicts": []}'
    )
    data = result.as_dict()
    assert (
        data["problems"] == ["row 3, column ref: blank"]
        and data["file_rejected"]
        and data["sha256"] == "ab"
    )


def test_identity_conflicts_are_counted_and_listed_by_reference_everywhere() -> None:
    conflict = IdentityConflict(
        reference="P100", row=7, role="victim", differs=("name", "date of birth")
    )
    result = ImportResult(
        "investigations", "a.csv", rows=9, created=1, updated=8, identity_conflicts=[conflict]
    )
    expected = {
        "held_for_review": 1,
        "identity_conflicts": [
            {"reference": "P100", "row": 7, "role": "victim", "differs": ["name", "date of birth"]}
        ],
    }
    assert json.loads(json_line(result)) == {**result.counts(), **expected}
    assert {key: result.as_dict()[key] for key in expected} == expected
    assert result.review_lines() == [
        "row 7: victim reference 'P100' is held for a person with a different name and date of birth; "
        "kept apart for review"
    ]
    assert (
        result.summary_line()
        == "a.csv: 1 created, 8 updated, 0 unchanged, 0 rejected, 1 held for review (9 rows, 0.0 s)"
    )


def test_the_command_line_needs_no_permission_but_a_user_does(personas: dict[str, Any]) -> None:
    check_permission(None, "intake.add_investigation")
    check_permission(personas["response_officer"], "intake.add_investigation")
    with pytest.raises(PermissionDenied):
        check_permission(personas["analyst"], "intake.add_investigation")
    with pytest.raises(PermissionDenied):
        check_permission(AnonymousUser(), "intake.add_investigation")


@override_settings(PROVIDE_IMPORT_MAX_MB=1)
def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(
        TabularError, match=r"the file is 1,048,577 bytes, just over 1 MB; the limit is 1 MB"
    ):
        check_size(big, "big.csv")
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    with pytest.raises(TabularError, match=r"the file is 3\.0 MB; the limit is 1 MB"):
        check_size(big, "big.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(TabularError, match="the file is empty"):
        check_size(empty, "empty.csv")
    with pytest.raises(TabularError, match="cannot read file"):
        check_size(tmp_path / "absent.csv", "absent.csv")


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"ref\nR1\n")
    assert file_sha256(path) == hashlib.sha256(b"ref\nR1\n").hexdigest()


def test_read_file_maps_headers_and_refuses_a_header_without_rows(tmp_path: Path) -> None:
    result = parsed(tmp_path, "Crime Ref,Name\nR1,Ann\n", mapping="source,target\nCrime Ref,ref\n")
    assert result.header_of == {"ref": "Crime Ref", "name": "Name"}
    assert [r.values["ref"] for r in result.read.records] == ["R1"]
    with pytest.raises(TabularError, match="a header row but no data rows"):
        parsed(tmp_path, "ref,name\n")


def test_a_duplicate_is_reported_once_on_its_first_row_and_rejects_every_copy(
    tmp_path: Path,
) -> None:
    result = parsed(tmp_path, "Ref,name\nR1,a\nR2,b\nR1,c\n,d\n", unique=UNIQUE_REF)
    duplicate_lines = [str(p) for p in result.problems if "times" in p.reason]
    assert duplicate_lines == ["row 2, column Ref: reference R1 appears 2 times (rows 2, 4)"]
    assert sorted(result.bad_rows()) == [2, 4, 5], "row 5 has a blank reference"
    assert [r.values["ref"] for r in good_records(result)] == ["R2"]
    assert rejected_row_count(result) == 3


def test_a_reference_repeated_thousands_of_times_is_one_short_problem(tmp_path: Path) -> None:
    rows = 20_000
    result = parsed(tmp_path, "ref,name\n" + "R1,a\n" * rows, unique=UNIQUE_REF)
    (problem,) = result.problems
    assert str(problem) == (
        f"row 2, column ref: reference R1 appears {rows:,} times "
        f"(rows 2, 3, 4, 5, 6 and {rows - 5:,} more)"
    )
    assert rejected_row_count(result) == rows and good_records(result) == []
    target = write_rejects(result, tmp_path / "rejects.csv")
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == rows + 1
    assert max(len(line) for line in lines) < 120, "no row lists the other copies"


def test_the_duplicate_key_reads_raw_text_so_an_unreadable_copy_still_counts(
    tmp_path: Path,
) -> None:
    result = parsed(
        tmp_path, "ref,seen_at\nR1,2023-06-01T10:00\nR1,not a time\n", unique=UNIQUE_REF
    )
    assert [p.row for p in result.problems] == [3, 2]
    assert good_records(result) == []


def test_future_times_allow_fifteen_minutes_of_clock_skew(tmp_path: Path) -> None:
    result = parsed(
        tmp_path,
        "ref,seen_at,born_on\nR1,2023-06-13T12:14:00Z,\nR2,2023-06-13T12:16:00Z,\nR3,,14/06/2023\n",
    )
    for record in result.read.records:
        check_not_future(result, record, ("seen_at", "born_on"), NOW)
    assert [str(p) for p in result.problems] == [
        "row 3, column seen_at: 13/06/2023 12:16 UTC is in the future",
        "row 4, column born_on: 14/06/2023 is in the future",
    ]
    assert [r.values["ref"] for r in good_records(result)] == ["R1"]
    assert rejected_row_count(result) == 2


def test_todays_london_date_just_after_midnight_is_not_in_the_future(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,born_on\nR1,14/06/2023\n")
    just_after_midnight_bst = dt.datetime(2023, 6, 13, 23, 30, tzinfo=dt.UTC)
    check_not_future(result, result.read.records[0], ("born_on",), just_after_midnight_bst)
    assert result.problems == []


def test_over_long_text_is_a_problem(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,name\nR1,abcdef\nR2,abc\n")
    for record in result.read.records:
        check_length(result, record, {"name": 5})
    assert [str(p) for p in result.problems] == [
        "row 2, column name: is 6 characters long; at most 5 fit"
    ]


def test_rejects_keep_the_rows_as_written_with_the_row_number_and_reasons(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,name\nR1,ok\n=R2,=HYPERLINK()\n,blank ref\n")
    for record in result.read.records:
        check_length(result, record, {"name": 5})
    target = write_rejects(result, tmp_path / "out" / "extract.rejects.csv")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["ref", "name", "row", "problems"],
        ["'=R2", "'=HYPERLINK()", "3", "column name: is 12 characters long; at most 5 fit"],
        ["", "blank ref", "4", "column ref: required value is blank"],
    ]


def test_default_rejects_path_sits_beside_the_file() -> None:
    assert default_rejects_path(Path("/data/june.xlsx")) == Path("/data/june.rejects.csv")


@override_settings(PROVIDE_IMPORT_MAX_MB=7)
def test_a_workbook_may_unpack_to_ten_times_the_size_limit() -> None:
    assert max_unpacked_bytes() == 70 * 1024 * 1024


def test_read_file_counts_data_rows_and_keeps_no_raw_rows(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,name\nR1,a\n\nR2,b\n,blank ref\n")
    assert result.rows == 3 and [r.values["ref"] for r in result.read.records] == ["R1", "R2"]
    assert not hasattr(result, "sheet"), "the parsed file holds records, not the file's rows"


def test_rejects_of_a_workbook_are_written_from_a_second_read(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["ref", "name"], ["R1", "ok"], ["R1", "again"], [None, "no ref"]):
        sheet.append(row)
    path = tmp_path / "extract.xlsx"
    book.save(path)
    result = read_file(
        path, COLUMNS, mapping_path=None, sheet_name=None, label="extract.xlsx", unique=UNIQUE_REF
    )
    target = write_rejects(result, tmp_path / "rejects.csv")
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows == [
        ["ref", "name", "row", "problems"],
        ["R1", "ok", "2", "column ref: reference R1 appears 2 times (rows 2, 3)"],
        ["R1", "again", "3", "column ref: reference R1 appears 2 times (rows 2, 3)"],
        ["", "no ref", "4", "column ref: required value is blank"],
    ]


def test_whole_file_problems_name_the_file_by_its_label(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "imports" / "5d1a"
    folder.mkdir(parents=True)
    path = folder / "stored-name.csv"
    path.write_bytes(b'ref,name\nR1,"open\n')
    with pytest.raises(TabularError) as caught:
        read_file(path, COLUMNS, mapping_path=None, sheet_name=None, label="june.csv")
    assert caught.value.lines()[0].startswith("june.csv: row 2: a quoted cell is never closed")
    assert str(folder) not in str(caught.value)
