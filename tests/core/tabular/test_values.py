"""Value parsers: every FORMATS.md tolerance, and the errors users see."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from provide.core.tabular import (
    choice_parser,
    london_to_utc,
    parse_bool,
    parse_count,
    parse_date,
    parse_datetime,
    parse_int,
    parse_list,
    parse_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("N", False),
        ("Yes", True),
        ("No", False),
        ("TRUE", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("y ", True),
        ("yes.", True),
        (" nO! ", False),
        ("true", True),
        ("t", True),
        ("f", False),
        ("1.0", True),
        (1, True),
        (0, False),
        (1.0, True),
        (True, True),
        (False, False),
    ],
)
def test_parse_bool_accepts_every_documented_spelling(raw: object, expected: bool) -> None:
    assert parse_bool(raw) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [None, "", "   ", "N/A", "unknown", "Not asked", "-", "?"])
def test_parse_bool_blank_is_unknown_not_no(raw: object) -> None:
    assert parse_bool(raw) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["maybe", "2", "yess", 2])
def test_parse_bool_rejects_other_values_with_a_reason(raw: object) -> None:
    with pytest.raises(ValueError, match="not yes/no"):
        parse_bool(raw)  # type: ignore[arg-type]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ISO 8601, with/without seconds or zone; naive = London (BST in June: UTC+1).
        ("2022-06-01T14:05", utc(2022, 6, 1, 13, 5)),
        ("2022-06-01T14:05:30", utc(2022, 6, 1, 13, 5, 30)),
        ("2022-06-01 14:05", utc(2022, 6, 1, 13, 5)),
        ("2022-06-01T14:05Z", utc(2022, 6, 1, 14, 5)),
        ("2022-06-01T14:05+02:00", utc(2022, 6, 1, 12, 5)),
        ("2022-01-10T09:00", utc(2022, 1, 10, 9, 0)),  # GMT in January
        ("2022-06-01", utc(2022, 5, 31, 23, 0)),  # local midnight
        # UK day-first, always.
        ("01/06/2022 14:05", utc(2022, 6, 1, 13, 5)),
        ("1/6/22 14:05", utc(2022, 6, 1, 13, 5)),
        ("01/06/2022", utc(2022, 5, 31, 23, 0)),
        ("03/04/2022 12:00", utc(2022, 4, 3, 11, 0)),  # 3 April, not 4 March
        ("13/01/2022 00:00:15", utc(2022, 1, 13, 0, 0, 15)),
        ("01-06-2022 2:05 pm", utc(2022, 6, 1, 13, 5)),
        ("2022/06/01 14:05", utc(2022, 6, 1, 13, 5)),
    ],
)
def test_parse_datetime_reads_iso_and_uk_day_first(raw: str, expected: datetime) -> None:
    assert parse_datetime(raw) == expected


def test_parse_datetime_result_is_aware_utc() -> None:
    parsed = parse_datetime("01/06/2022 14:05")
    assert parsed is not None and parsed.tzinfo is UTC


def test_parse_datetime_reads_xlsx_native_cells_as_london_time() -> None:
    assert parse_datetime(datetime(2022, 6, 1, 14, 5)) == utc(2022, 6, 1, 13, 5)  # noqa: DTZ001
    assert parse_datetime(date(2022, 1, 1)) == utc(2022, 1, 1, 0, 0)
    aware = datetime(2022, 6, 1, 14, 5, tzinfo=timezone(timedelta(hours=2)))
    assert parse_datetime(aware) == utc(2022, 6, 1, 12, 5)


def test_parse_datetime_reads_excel_serial_numbers() -> None:
    # 44713.5 is 2022-06-01 12:00 in Excel's 1900 date system.
    assert parse_datetime(44713.5) == utc(2022, 6, 1, 11, 0)


@pytest.mark.parametrize("raw", ["31/02/2023", "31/02/2023 10:00", "2023-02-31", "29/02/2023"])
def test_impossible_dates_are_errors(raw: str) -> None:
    with pytest.raises(ValueError, match="not a real date"):
        parse_datetime(raw)


@pytest.mark.parametrize(
    "raw", ["01/06/2022 25:00", "tomorrow", "2022-06-01T14:5x", "06/2022", 12.0]
)
def test_unreadable_datetimes_are_errors(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_datetime(raw)  # type: ignore[arg-type]


def test_leap_day_is_a_real_date() -> None:
    assert parse_date("29/02/2024") == date(2024, 2, 29)


def test_two_digit_years_follow_the_posix_pivot() -> None:
    assert parse_date("1/6/68") == date(2068, 6, 1)
    assert parse_date("1/6/69") == date(1969, 6, 1)


def test_ambiguous_time_when_clocks_go_back_is_the_first_occurrence_bst() -> None:
    # 29 Oct 2023: 01:00-02:00 happens twice; the first (BST) is chosen.
    assert parse_datetime("29/10/2023 01:30") == utc(2023, 10, 29, 0, 30)
    assert parse_datetime("29/10/2023 02:30") == utc(2023, 10, 29, 2, 30)  # GMT again


def test_missing_time_when_clocks_go_forward_uses_the_offset_before_the_change() -> None:
    # 26 Mar 2023: 01:00-02:00 does not exist; 01:30 is read as 01:30 GMT.
    assert parse_datetime("26/03/2023 01:30") == utc(2023, 3, 26, 1, 30)
    assert london_to_utc(datetime(2023, 3, 26, 0, 59)) == utc(2023, 3, 26, 0, 59)  # noqa: DTZ001
    assert london_to_utc(datetime(2023, 3, 26, 2, 0)) == utc(2023, 3, 26, 1, 0)  # noqa: DTZ001


def test_parse_date_is_day_first_and_drops_time() -> None:
    assert parse_date("03/04/2022 23:30") == date(2022, 4, 3)
    assert parse_date("2022-06-01T23:30Z") == date(2022, 6, 2)  # 00:30 BST on 2 June
    assert parse_date("") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("physical;sexual", ("physical", "sexual")),
        ("physical, sexual", ("physical", "sexual")),
        ("physical|sexual", ("physical", "sexual")),
        ("Coercive control ; threats;", ("coercive_control", "threats")),
        ("", ()),
        (None, ()),
        ("physical; physical", ("physical",)),
    ],
)
def test_parse_list_accepts_all_separators(raw: str | None, expected: tuple[str, ...]) -> None:
    assert parse_list(raw) == expected


def test_parse_text_and_numbers() -> None:
    assert parse_text(123456.0) == "123456"
    assert parse_text("  ref ") == "ref"
    assert parse_int(" 3 ") == 3
    assert parse_int(3.0) == 3
    with pytest.raises(ValueError, match="whole number"):
        parse_int("3.5")
    with pytest.raises(ValueError, match="negative"):
        parse_count("-1")


def test_choice_parser_normalises_spelling_and_rejects_unknowns() -> None:
    parse_mode = choice_parser(["live", "post-incident"], label="mode")
    assert parse_mode("Post Incident") == "post-incident"
    assert parse_mode("POST_INCIDENT") == "post-incident"
    assert parse_mode(" ") is None
    with pytest.raises(ValueError, match="not a known mode"):
        parse_mode("phone")
