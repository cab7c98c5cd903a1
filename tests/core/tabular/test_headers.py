"""Header comparison and user column mappings (dict, JSON file, two-column CSV file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provide.core.tabular import TabularError, load_mapping, normalise_header, normalise_mapping


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("\ufeffTracker ID", "tracker_id"),
        ("Tracker\u00a0ID", "tracker_id"),
        ("__ref__", "ref"),
        (None, ""),
        (2023, "2023"),
        ("  ", ""),
    ],
)
def test_normalise_header_treats_bom_nbsp_and_edges_as_spaces(
    header: object, expected: str
) -> None:
    assert normalise_header(header) == expected


def test_normalise_mapping_normalises_both_sides() -> None:
    assert normalise_mapping({"Crime Ref": "Investigation-Ref"}) == {
        "crime_ref": "investigation_ref"
    }


def test_the_same_header_mapped_twice_to_one_column_is_accepted() -> None:
    assert normalise_mapping(
        {"Crime Ref": "investigation_ref", "crime-ref": "investigation_ref"}
    ) == {"crime_ref": "investigation_ref"}


def test_one_header_mapped_to_two_columns_and_empty_names_are_all_reported() -> None:
    with pytest.raises(TabularError) as caught:
        normalise_mapping({"Crime Ref": "investigation_ref", "crime_ref": "victim_ref", " ": "bcu"})
    assert caught.value.lines() == [
        "column mapping: 'crime_ref' is mapped twice ('investigation_ref' and 'victim_ref')",
        "column mapping: empty name in ' ' -> 'bcu'",
    ]


def test_csv_mapping_skips_a_from_to_header_and_blank_rows(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("From,To\n\nCrime Ref,investigation_ref\n", encoding="utf-8")
    assert load_mapping(path) == {"crime_ref": "investigation_ref"}


def test_csv_mapping_reads_a_first_row_that_is_not_a_header_as_a_pair(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("\ufeffCrime Ref,investigation_ref\nWhen,recorded_at\n", encoding="utf-8")
    assert load_mapping(path) == {"crime_ref": "investigation_ref", "when": "recorded_at"}


def test_csv_mapping_rows_with_a_third_cell_are_named_by_row(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    path.write_text("source,target\nRef,tracker_id\nA,b,c\n,bcu\n", encoding="utf-8")
    with pytest.raises(TabularError) as caught:
        load_mapping(path)
    assert [problem.row for problem in caught.value.problems] == [3, 4]


def test_json_mapping_needs_text_to_text(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text('{"Ref": 3}', encoding="utf-8")
    with pytest.raises(TabularError, match="one JSON object of file header -> column name"):
        load_mapping(path)


def test_broken_json_mapping_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text('{\n"Ref": }', encoding="utf-8")
    with pytest.raises(TabularError, match=r"not valid JSON \(line 2, column 8\)"):
        load_mapping(path)


def test_a_mapping_file_that_is_missing_or_not_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TabularError, match="cannot read mapping file"):
        load_mapping(tmp_path / "absent.csv")
    latin = tmp_path / "mapping.csv"
    latin.write_bytes("R\xe9f,tracker_id\n".encode("latin-1"))
    with pytest.raises(TabularError, match="not UTF-8 text"):
        load_mapping(latin)


def test_mapping_problems_name_the_mapping_file_not_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "imports" / "7b1f"
    folder.mkdir(parents=True)
    bad = folder / "mapping.csv"
    bad.write_bytes(b"Ref,tracker_id,extra\n")
    with pytest.raises(TabularError) as caught:
        load_mapping(bad)
    assert caught.value.lines() == [
        "mapping.csv, row 1: expected two cells: file header, column name"
    ]
    with pytest.raises(TabularError) as caught:
        load_mapping(folder / "absent.json")
    assert caught.value.lines() == [
        "absent.json: cannot read mapping file (No such file or directory)"
    ]
