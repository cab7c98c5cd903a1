"""The dashboard's sections, built only from the evaluation document (full or published)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from provide.core.evaluation import build_report, publish, report_document
from provide.evaluation.presentation import (
    Cell,
    Table,
    count,
    num,
    pct,
    prop_cells,
    sections_for,
)
from tests.core.evaluation.test_report import investigation_rows, tracker_rows


@pytest.mark.parametrize(
    ("value", "text"), [(12345, "12,345"), (0, "0"), (None, "–"), ("<5", "<5"), (True, "True")]
)
def test_count(value: Any, text: str) -> None:
    assert count(value) == text


@pytest.mark.parametrize(
    ("value", "withheld", "text"),
    [
        (0.5, False, "50.0%"),
        (1, False, "100.0%"),
        (None, False, "–"),
        (None, True, "withheld"),
        (True, False, "–"),
    ],
)
def test_pct(value: Any, withheld: bool, text: str) -> None:
    assert pct(value, withheld=withheld) == text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (0.12345, 3, "0.123"),
        (0.00001234, 3, "1.23e-05"),
        (0.0, 3, "0.000"),
        (12.0, 1, "12.0"),
        (None, 3, "–"),
        (4, 3, "4"),
    ],
)
def test_num_shows_tiny_p_values_in_scientific_form(value: Any, digits: int, text: str) -> None:
    assert num(value, digits) == text


def test_prop_cells_show_counts_rate_and_interval() -> None:
    cells = prop_cells({"num": 9, "den": 12, "value": 0.75, "ci_low": 0.4677, "ci_high": 0.9111})
    assert [c.text for c in cells] == ["9", "12", "75.0%", "46.8% to 91.1%"]
    assert all(c.numeric for c in cells)


def test_a_withheld_proportion_says_so_and_an_empty_one_shows_dashes() -> None:
    withheld = prop_cells({"num": "<5", "den": 7, "value": None, "ci_low": None, "ci_high": None})
    assert [c.text for c in withheld] == ["<5", "7", "withheld", "withheld"]
    undefined = prop_cells({"num": 0, "den": 0, "value": None, "ci_low": None, "ci_high": None})
    assert [c.text for c in undefined] == ["0", "0", "–", "–"]
    assert [c.text for c in prop_cells(None)] == ["–"] * 4


def test_table_head_cells_are_numeric_from_the_given_column() -> None:
    table = Table("Caption", ("Measure", "Yes", "Of"), rows=[[Cell("a")]], numeric_from=1)
    assert [(c.text, c.numeric) for c in table.head_cells] == [
        ("Measure", False),
        ("Yes", True),
        ("Of", True),
    ]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    report = build_report(tracker_rows(), investigation_rows(), go_live={"West": date(2020, 4, 1)})
    return report_document(report)


def test_a_full_document_gives_every_section_in_order(document: dict[str, Any]) -> None:
    keys = [section.key for section in sections_for(document)]
    assert keys[0] == "headline" and keys[-1] in ("comparison", "notes")
    assert {"delays", "band", "band-safeguarding", "comparison"} <= set(keys)
    assert (
        keys.index("delays")
        < keys.index("band")
        < keys.index("band-safeguarding")
        < keys.index("comparison")
    )


def test_every_section_with_a_chart_also_has_a_table_of_its_numbers(
    document: dict[str, Any],
) -> None:
    for section in sections_for(document):
        if section.chart is not None:
            assert section.tables, section.key
            assert str(section.chart).startswith("<svg")


def test_headline_counts_match_the_document(document: dict[str, Any]) -> None:
    headline = sections_for(document)[0]
    counts = {row[0].text: row[1].text for row in headline.tables[0].rows}
    assert counts["Joint-team attendances (tracker rows)"] == "60"
    assert counts["Attendances with a valid police-to-IDVA delay"] == count(
        document["evaluation"]["rows_with_valid_delay"]
    )


def test_a_published_small_document_shows_withheld_and_never_a_hidden_rate() -> None:
    published = publish(report_document(build_report(tracker_rows()[:7])))
    headline = sections_for(published)[0]
    proportions = headline.tables[1]
    rates = [row[3].text for row in proportions.rows]
    assert "withheld" in rates
    assert all(text in ("withheld", "–") for text in rates)
    assert 'role="img"' in str(headline.chart) and "<rect" not in str(headline.chart)
