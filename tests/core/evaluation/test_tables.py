"""Typing of input tables: every input form gives the same typed frame."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from provide.core.evaluation import investigation_frame, tracker_frame
from provide.core.evaluation.tables import parse_outcome_code
from provide.core.tabular import parse_datetime

WALL_CLOCK = ["2023-03-26 01:30", "2023-10-29 01:30", "2023-10-29 02:30", "2022-06-01 14:05"]


def test_naive_datetime_columns_follow_the_parser_clock_change_rule() -> None:
    # A DataFrame with naive datetime64 values (e.g. from a Django .values() export or pandas).
    frame = pd.DataFrame(
        {"tracker_id": ["a", "b", "c", "d"], "idva_visit_at": pd.to_datetime(WALL_CLOCK)}
    )
    typed = tracker_frame(frame)
    expected = [parse_datetime(datetime.fromisoformat(v)) for v in WALL_CLOCK]
    assert [t.to_pydatetime() for t in typed["idva_visit_at"]] == expected


def test_rows_of_strings_and_typed_values_give_the_same_frame() -> None:
    raw = [
        {"tracker_id": "a", "idva_visit_at": "01/06/2022 14:05", "idva_support_accepted": "yes."}
    ]
    typed = [
        {
            "tracker_id": "a",
            "idva_visit_at": parse_datetime("2022-06-01T13:05Z"),
            "idva_support_accepted": True,
        }
    ]
    left, right = tracker_frame(raw), tracker_frame(typed)
    assert left["idva_visit_at"].equals(right["idva_visit_at"])
    assert (
        left["idva_support_accepted"].tolist() == right["idva_support_accepted"].tolist() == [True]
    )
    assert str(left["idva_support_accepted"].dtype) == "boolean"
    assert left["services"].tolist() == [()]


def test_bcu_spellings_are_grouped_under_the_first_spelling() -> None:
    frame = tracker_frame(
        [{"tracker_id": str(i), "bcu": b} for i, b in enumerate(["West", "WEST ", "west", "East"])]
    )
    assert frame["bcu"].tolist() == ["West", "West", "West", "East"]


def test_outcome_codes_are_normalised() -> None:
    frame = investigation_frame(
        [
            {
                "investigation_ref": "1",
                "recorded_at": "01/06/2022",
                "bcu": "W",
                "victim_id": "v",
                "outcome_code": c,
            }
            for c in ["01", "1a", 16.0, None, "Outcome 8"]
        ]
    )
    assert frame["outcome_code"].tolist() == ["1", "1A", "16", None, "8"]
    with pytest.raises(ValueError, match="not a Home Office outcome type"):
        parse_outcome_code("23")
