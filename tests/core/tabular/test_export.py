"""Formula-injection-safe cells for every CSV or XLSX Provide writes."""

from __future__ import annotations

import datetime as dt

import pytest

from provide.core.tabular import safe_cell, safe_row


@pytest.mark.parametrize("text", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["West", "a=b", "", " =1", -5, 2.5, True, None, dt.date(2023, 1, 9)]
)
def test_everything_else_is_unchanged(value: object) -> None:
    assert safe_cell(value) == value


def test_safe_row_quotes_each_text_cell_and_keeps_the_order() -> None:
    assert safe_row(("=1", 2, "-x", None)) == ["'=1", 2, "'-x", None]
