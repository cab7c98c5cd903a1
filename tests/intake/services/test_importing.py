"""What every intake import shares: the report, the size limit, row checks and the rejects file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
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
    ImportResult,
    ParsedFile,
    cell_text,
    check_length,
    check_not_future,
    check_permission,
    check_size,
    default_rejects_path,
    file_sha256,
    good_records,
    json_line,
    read_file,
    rejected_row_count,
    report_duplicates,
    write_rejects,
)

COLUMNS = [ColumnSpec("ref", parse_text, required=True), ColumnSpec("seen_at", parse_datetime),
           ColumnSpec("born_on", parse_date), ColumnSpec("name", parse_text)]
NOW = dt.datetime(2023, 6, 13, 12, 0, tzinfo=dt.UTC)


def parsed(tmp_path: Path, text: str, mapping: str | None = None) -> ParsedFile:
    path = tmp_path / "extract.csv"
    path.write_text(text, encoding="utf-8")
    mapping_path = None
    if mapping is not None:
        mapping_path = tmp_path / "mapping.csv"
        mapping_path.write_text(mapping, encoding="utf-8")
    return read_file(path, COLUMNS, mapping_path=mapping_path, sheet_name=None, label="extract.csv")


def test_the_summary_line_says_rejected_dry_run_or_done() -> None:
    rejected = ImportResult("investigations", "a.csv", rows=10, rejected=2,
                            problems=[CellProblem(3, "ref", "blank"), CellProblem(4, "ref", "blank")])
    assert rejected.file_rejected and rejected.summary_line() == (
        "a.csv: REJECTED, nothing written - 2 problem(s) in 2 of 10 rows (use --partial to import the good rows)")
    dry = ImportResult("investigations", "a.csv", rows=3, created=3, dry_run=True)
    assert dry.summary_line() == "a.csv: dry run, nothing written - would be 3 created, 0 updated, 0 unchanged, 0 rejected (3 rows)"
    done = ImportResult("custody", "c.csv", rows=4, created=1, updated=2, unchanged=1, seconds=0.42)
    assert done.summary_line() == "c.csv: 1 created, 2 updated, 1 unchanged, 0 rejected (4 rows, 0.4 s)"
    partial = ImportResult("custody", "c.csv", problems=[CellProblem(2, "ref", "blank")], partial=True)
    assert not partial.file_rejected


def test_as_dict_and_json_line() -> None:
    result = ImportResult("custody", "c.csv", rows=2, created=1, rejected=1, problems=[CellProblem(3, "ref", "blank")],
                          sha256="ab")
    assert json_line(result) == '{"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}'
    data = result.as_dict()
    assert data["problems"] == ["row 3, column ref: blank"] and data["file_rejected"] and data["sha256"] == "ab"


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
    with pytest.raises(TabularError, match=r"the file is 1\.0 MB; the limit is 1 MB"):
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


def test_every_copy_of_a_duplicate_is_a_problem_named_by_the_files_header(tmp_path: Path) -> None:
    result = parsed(tmp_path, "Ref,name\nR1,a\nR2,b\nR1,c\n,d\n")
    report_duplicates(result, cell_text(result, "ref"), "ref", lambda ref: f"reference {ref}")
    duplicate_lines = [str(p) for p in result.problems if "more than once" in p.reason]
    assert duplicate_lines == ["row 2, column Ref: reference R1 appears more than once (rows 2, 4)",
                               "row 4, column Ref: reference R1 appears more than once (rows 2, 4)"]
    assert cell_text(result, "seen_at")(("R1", "a")) is None


def test_future_times_allow_fifteen_minutes_of_clock_skew(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,seen_at,born_on\nR1,2023-06-13T12:14:00Z,\nR2,2023-06-13T12:16:00Z,\nR3,,14/06/2023\n")
    for record in result.read.records:
        check_not_future(result, record, ("seen_at", "born_on"), NOW)
    assert [str(p) for p in result.problems] == ["row 3, column seen_at: 13/06/2023 12:16 UTC is in the future",
                                                 "row 4, column born_on: 14/06/2023 is in the future"]
    assert [r.values["ref"] for r in good_records(result)] == ["R1"]
    assert rejected_row_count(result) == 2


@pytest.mark.xfail(strict=True, reason=(
    "check_not_future compares a calendar date with now.date() in UTC: between midnight and 01:00 BST "
    "today's London date is refused as 'in the future'"
))
def test_todays_london_date_just_after_midnight_is_not_in_the_future(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,born_on\nR1,14/06/2023\n")
    just_after_midnight_bst = dt.datetime(2023, 6, 13, 23, 30, tzinfo=dt.UTC)
    check_not_future(result, result.read.records[0], ("born_on",), just_after_midnight_bst)
    assert result.problems == []


def test_over_long_text_is_a_problem(tmp_path: Path) -> None:
    result = parsed(tmp_path, "ref,name\nR1,abcdef\nR2,abc\n")
    for record in result.read.records:
        check_length(result, record, {"name": 5})
    assert [str(p) for p in result.problems] == ["row 2, column name: is 6 characters long; at most 5 fit"]


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
