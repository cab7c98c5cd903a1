"""``provide synth-extract`` writes FORMATS.md A/B/C files with exactly the documented headers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from provide.cli.synth_extract import main
from provide.core.synthetic.extract import (
    CUSTODY_COLUMNS,
    INVESTIGATION_COLUMNS,
    TRACKER_COLUMNS,
)

FORMATS_A = [
    "investigation_ref",
    "incident_ref",
    "recorded_at",
    "first_police_visit_at",
    "bcu",
    "district",
    "crime_or_incident",
    "offence",
    "abuse_types",
    "relationship",
    "victim_id",
    "victim_name",
    "victim_dob",
    "victim_sex",
    "victim_postcode",
    "victim_lat",
    "victim_lon",
    "suspect_id",
    "suspect_name",
    "suspect_dob",
    "risk_tool",
    "risk_grade",
    "dash_yes_count",
    "children_in_household",
    "victim_pregnant",
    "vulnerabilities",
    "suspect_in_custody",
    "expected_release_at",
    "outcome_code",
    "outcome_date",
]
FORMATS_B = [
    "tracker_id",
    "investigation_ref",
    "victim_id",
    "bcu",
    "mode",
    "police_visit_at",
    "idva_visit_at",
    "idva_support_offered",
    "idva_support_accepted",
    "prosecution_support_offered",
    "prosecution_support_accepted",
    "engaged_investigation",
    "engaged_safeguarding",
    "previously_engaged_investigation",
    "previously_engaged_safeguarding",
    "services",
    "referrals",
    "idva",
]
FORMATS_C = [
    "custody_ref",
    "suspect_id",
    "investigation_ref",
    "event",
    "event_at",
    "expected_release_at",
]


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("extract")
    status = main(["--days", "21", "--start", "2023-04-01", "--seed", "4", "--out", str(out)])
    assert status == 0
    return out


def test_column_lists_match_formats_md() -> None:
    assert list(INVESTIGATION_COLUMNS) == FORMATS_A
    assert list(TRACKER_COLUMNS) == FORMATS_B
    assert list(CUSTODY_COLUMNS) == FORMATS_C


def test_each_file_starts_with_its_formats_header(extract: Path) -> None:
    for name, header in (
        ("investigations", FORMATS_A),
        ("tracker", FORMATS_B),
        ("custody", FORMATS_C),
    ):
        rows = _read(extract / f"{name}.csv")
        assert rows[0] == header
        assert len(rows) > 1
        assert all(len(row) == len(header) for row in rows)


def test_the_output_says_it_is_synthetic(extract: Path) -> None:
    readme = (extract / "README.txt").read_text(encoding="utf-8")
    rows = _read(extract / "investigations.csv")[1:]

    assert "SYNTHETIC" in readme
    assert all(row[0].startswith("SYN") for row in rows)


def test_datetimes_carry_their_zone(extract: Path) -> None:
    rows = _read(extract / "investigations.csv")[1:]

    assert all(row[2][-6:] in ("+00:00", "+01:00") for row in rows)


def test_rows_gives_exactly_that_many_investigations(tmp_path: Path) -> None:
    status = main(["--rows", "1234", "--start", "2023-04-01", "--bcu", "West", "--bcu", "East",
                   "--out", str(tmp_path)])  # fmt: skip
    rows = _read(tmp_path / "investigations.csv")
    refs = {row[0] for row in rows[1:]}

    assert status == 0
    assert len(rows) == 1 + 1234
    assert {row[1] for row in _read(tmp_path / "tracker.csv")[1:]} <= refs
    assert {row[2] for row in _read(tmp_path / "custody.csv")[1:]} <= refs


def test_xlsx_copies_have_the_same_header(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")

    main(
        ["--days", "3", "--start", "2023-04-01", "--bcu", "West", "--xlsx", "--out", str(tmp_path)]
    )
    sheet = openpyxl.load_workbook(tmp_path / "tracker.xlsx", read_only=True).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]

    assert header == FORMATS_B


def test_an_unknown_bcu_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--days", "1", "--bcu", "North", "--out", str(tmp_path)])

    assert exit_info.value.code == 2
