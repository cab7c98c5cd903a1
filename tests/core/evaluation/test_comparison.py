"""Matched comparison on a hand-computed fixture."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from provide.core.evaluation import (
    compare_matched,
    matched_difference,
    prepare_investigations,
    tracker_frame,
)


def inv(
    ref: str,
    victim: str,
    *,
    risk: str = "high",
    positive: bool,
    recorded: str = "2022-06-10T12:00Z",
    abuse: str = "physical",
    bcu: str = "West",
) -> dict[str, Any]:
    return {
        "investigation_ref": ref,
        "victim_id": victim,
        "recorded_at": recorded,
        "bcu": bcu,
        "risk_grade": risk,
        "abuse_types": abuse,
        "outcome_code": "1" if positive else "16",
    }


def fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    investigations = [
        # Stratum A (West, 2022-06, high, physical, first report): 2 visited, 4 not.
        inv("A1", "VA1", positive=True),
        inv("A2", "VA2", positive=True),
        inv("A3", "VA3", positive=True),
        inv("A4", "VA4", positive=False),
        inv("A5", "VA5", positive=False),
        inv("A6", "VA6", positive=False),
        # Stratum B (medium risk): 1 visited (linked by victim, no reference), 1 not.
        inv("B1", "VB1", risk="medium", positive=False),
        inv("B2", "VB2", risk="medium", positive=True),
        # Stratum C (standard risk): 1 visited with no comparable control.
        inv("C1", "VC1", risk="standard", positive=True),
        # Would match stratum A, but the victim was visited on another occasion: not a control.
        inv("X1", "VX", positive=False),
    ]
    tracker = [
        {"tracker_id": "t1", "investigation_ref": "A1", "victim_id": "VA1"},
        {"tracker_id": "t2", "investigation_ref": "A2", "victim_id": "VA2"},
        {"tracker_id": "t3", "victim_id": "VB1", "idva_visit_at": "2022-06-12T10:00Z"},
        {"tracker_id": "t4", "investigation_ref": "C1", "victim_id": "VC1"},
        {
            "tracker_id": "t5",
            "investigation_ref": "OLD",
            "victim_id": "VX",
        },  # an earlier, unlinked visit
    ]
    return tracker_frame(tracker), prepare_investigations(investigations)


def test_matched_positive_outcome_difference_by_hand() -> None:
    tracker, investigations = fixture()
    result = compare_matched(tracker, investigations)
    assert (result.linked_by_reference, result.linked_by_victim, result.unlinked) == (3, 1, 1)
    assert (result.treated, result.controls) == (4, 5)
    positive = result.outcomes[0]
    assert positive.outcome == "positive_outcome"
    assert (positive.matched_treated, positive.matched_controls, positive.strata) == (3, 5, 2)
    # Treated: A1, A2 positive, B1 not -> 2/3. Controls weighted n_t/n_c: A 2/4 each (1 of 4
    # positive), B 1/1 (positive): (0.5 * 1 + 1 * 1) / (0.5 * 4 + 1) = 0.5.
    assert positive.treated_rate.value == pytest.approx(2 / 3)
    assert positive.control_rate == pytest.approx(0.5)
    assert positive.difference == pytest.approx(1 / 6)
    var_t = (2 / 3) * (1 / 3) / 3
    var_c = (4 * 0.5**2 * 0.5**2 + 1 * 0.5**2) / 3**2
    se = math.sqrt(var_t + var_c)
    assert positive.ci_low == pytest.approx(1 / 6 - 1.959964 * se, abs=1e-6)
    assert positive.ci_high == pytest.approx(1 / 6 + 1.959964 * se, abs=1e-6)


def test_repeat_outcome_needs_complete_follow_up() -> None:
    tracker, investigations = fixture()
    # The extract ends on 2022-06-10: nobody has 365 days of follow-up.
    result = compare_matched(tracker, investigations)
    repeat = result.outcomes[1]
    assert repeat.outcome == "repeat_within_12_months"
    assert repeat.eligible_treated == 0 and repeat.difference is None


def test_repeat_within_12_months_counts_later_investigations() -> None:
    rows = [
        inv("T1", "V1", positive=True, recorded="2021-01-10T12:00Z"),
        inv(
            "T1b", "V1", positive=True, recorded="2021-06-10T12:00Z", risk="medium"
        ),  # V1 again in 5 months
        inv("C1", "V2", positive=True, recorded="2021-01-11T12:00Z"),
        inv("C2", "V3", positive=True, recorded="2021-01-12T12:00Z"),
        inv(
            "C2b", "V3", positive=True, recorded="2022-01-13T12:00Z", risk="medium"
        ),  # 366 days: not within
        inv("Z", "V9", positive=True, recorded="2023-01-01T12:00Z"),
    ]
    tracker = tracker_frame([{"tracker_id": "t", "investigation_ref": "T1", "victim_id": "V1"}])
    result = compare_matched(tracker, prepare_investigations(rows))
    repeat = result.outcomes[1]
    assert (repeat.matched_treated, repeat.matched_controls) == (1, 2)
    assert repeat.treated_rate.value == 1.0
    assert repeat.control_rate == 0.0
    assert repeat.difference == 1.0


def test_matched_difference_drops_strata_without_both_groups() -> None:
    y = pd.Series([True, False, True, True])
    treated = pd.Series([True, False, True, False])
    strata = pd.Series(["a", "a", "b", "c"])
    result = matched_difference("x", y, treated, strata)
    assert (result.matched_treated, result.matched_controls, result.strata) == (1, 1, 1)
    assert result.difference == 1.0
