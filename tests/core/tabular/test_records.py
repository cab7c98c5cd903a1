"""Typed records from a sheet by a column schema: every problem at once, extras kept aside."""

from __future__ import annotations

import pytest

from provide.core.tabular import (
    CellProblem,
    ColumnSpec,
    RowReader,
    RowValues,
    TabularError,
    open_table,
    parse_bool,
    parse_int,
    parse_text,
    read_csv,
    read_records,
    resolve_columns,
)

SCHEMA = [
    ColumnSpec("tracker_id", parse_text, required=True),
    ColumnSpec("visits", parse_int),
    ColumnSpec("accepted", parse_bool),
]


def test_resolve_columns_matches_by_normalised_header_and_keeps_extras() -> None:
    found, extras = resolve_columns(["Tracker ID", "Officer", "ACCEPTED"], SCHEMA)
    assert found == {"tracker_id": 0, "accepted": 2}
    assert extras == {"Officer": 1}


def test_mapping_entries_for_headers_the_file_lacks_are_ignored() -> None:
    found, _ = resolve_columns(["Ref"], SCHEMA, mapping={"Ref": "tracker_id", "Seen": "visits"})
    assert found == {"tracker_id": 0}


def test_a_mapping_to_an_unknown_column_leaves_the_header_as_an_extra() -> None:
    found, extras = resolve_columns(
        ["Ref", "Notes"], SCHEMA, mapping={"Notes": "no_such_column", "Ref": "tracker_id"}
    )
    assert found == {"tracker_id": 0} and extras == {"Notes": 1}


def test_every_file_level_problem_is_reported_together() -> None:
    with pytest.raises(TabularError) as caught:
        resolve_columns(["visits", "Visits"], SCHEMA, source="t.csv")
    assert caught.value.lines() == [
        "t.csv: columns 'visits' and 'Visits' are both read as 'visits'",
        "t.csv: required column 'tracker_id' is missing",
    ]


def test_absent_optional_columns_are_none_and_listed() -> None:
    result = read_records(read_csv(b"tracker_id\nT1\n"), SCHEMA)
    assert result.records[0].values == {"tracker_id": "T1", "visits": None, "accepted": None}
    assert result.absent_columns == ["visits", "accepted"]


def test_a_short_row_reads_its_missing_cells_as_blank() -> None:
    result = read_records(read_csv(b"tracker_id,visits,accepted\nT1,3\n"), SCHEMA)
    assert result.records[0].values == {"tracker_id": "T1", "visits": 3, "accepted": None}


def test_a_row_with_two_bad_values_gives_two_problems_and_no_record() -> None:
    result = read_records(
        read_csv(b"tracker_id,visits,accepted\nT1,lots,perhaps\nT2,1,Y\n"), SCHEMA
    )
    assert [record.row for record in result.records] == [3]
    assert [(p.row, p.column) for p in result.problems] == [(2, "visits"), (2, "accepted")]
    assert result.rejected_rows == [2]


def test_blank_extra_cells_are_not_kept() -> None:
    result = read_records(read_csv(b"tracker_id,Notes\nT1,\nT2,seen\n"), SCHEMA)
    assert [record.extras for record in result.records] == [{}, {"Notes": "seen"}]
    assert result.extra_columns == ["Notes"]


def test_rejected_rows_ignore_file_level_problems_and_repeat_rows_once() -> None:
    result = read_records(read_csv(b"tracker_id\nT1\n", name="t.csv"), SCHEMA)
    problems = [
        CellProblem(None, None, "whole file"),
        CellProblem(5, "a", "x"),
        CellProblem(5, "b", "y"),
    ]
    shown = type(result)(
        records=[], problems=problems, extra_columns=[], absent_columns=[], source="t.csv"
    )
    assert shown.rejected_rows == [5] and result.source == "t.csv"


def test_a_row_reader_parses_streamed_rows_one_at_a_time_as_read_records_does() -> None:
    table = open_table(b"Tracker ID,Visits,Notes\nT1,3,kept\nT2,lots,\n", name="t.csv")
    reader = RowReader(table.headers, SCHEMA, source="t.csv")
    assert (reader.header_of("tracker_id"), reader.header_of("accepted")) == ("Tracker ID", None)
    assert reader.extra_columns == ["Notes"] and reader.absent_columns == ["accepted"]
    read = [reader.read(number, cells) for number, cells in table.rows]
    (first, none), (missing, problems) = read
    assert first is not None and first.values == {"tracker_id": "T1", "visits": 3, "accepted": None}
    assert first.extras == {"Notes": "kept"} and none == []
    assert missing is None and [str(p) for p in problems] == [
        "row 3, column Visits: 'lots' is not a whole number"
    ]
    assert read_records(table, SCHEMA).problems == problems


def test_a_row_reader_refuses_a_file_without_a_required_column() -> None:
    with pytest.raises(TabularError, match="required column 'tracker_id' is missing"):
        RowReader(["visits"], SCHEMA, source="t.csv")


def test_row_values_are_a_read_only_mapping_that_equals_a_dict() -> None:
    (record,) = read_records(read_csv(b"tracker_id,visits\nT1,3\n"), SCHEMA).records
    values = record.values
    assert isinstance(values, RowValues) and values == {
        "tracker_id": "T1",
        "visits": 3,
        "accepted": None,
    }
    assert (values["visits"], values.get("accepted", "x"), values.get("nope", "default")) == (
        3,
        None,
        "default",
    )
    assert list(values) == ["tracker_id", "visits", "accepted"] and len(values) == 3
    assert {**values, "row": record.row} == {
        "tracker_id": "T1",
        "visits": 3,
        "accepted": None,
        "row": 2,
    }
    assert repr(values) == "{'tracker_id': 'T1', 'visits': 3, 'accepted': None}"
    with pytest.raises(KeyError):
        values["nope"]
    with pytest.raises(TypeError):
        values["visits"] = 4  # type: ignore[index]
