"""Interrupted time series recovers known level and slope changes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from provide.core.evaluation import (
    GroupRate,
    interrupted_time_series,
    its_by_bcu,
    proportion,
    quarter_index,
    quarter_label,
)

START = quarter_index(date(2019, 4, 1))  # 2019/20 Q1


def series(values: list[float], bcu: str = "West", den: int = 1000) -> list[GroupRate]:
    return [
        GroupRate(bcu, quarter_label(START + i), START + i, proportion(round(v * den), den))
        for i, v in enumerate(values)
    ]


def test_recovers_an_exact_level_and_slope_change() -> None:
    # 6 quarters before go-live (2021/22 Q1), 8 after: y = 0.2 + 0.005 t + 0.1 D + 0.01 (t - t0) D.
    t0 = 8
    values = [0.2 + 0.005 * t + (0.1 + 0.01 * (t - t0) if t >= t0 else 0) for t in range(16)]
    result = interrupted_time_series(
        series(values), date(2021, 5, 17)
    )  # mid-quarter: t0 is 2021/22 Q1
    assert result.go_live_quarter == "2021/22 Q1"
    assert (result.n_pre, result.n_post) == (8, 8)
    assert result.level_change is not None and result.slope_change is not None
    assert result.baseline_slope is not None
    assert result.level_change.value == pytest.approx(0.1, abs=1e-9)
    assert result.slope_change.value == pytest.approx(0.01, abs=1e-9)
    assert result.baseline_slope.value == pytest.approx(0.005, abs=1e-9)
    assert result.counterfactual[-1] == pytest.approx(0.2 + 0.005 * 15)


def test_noisy_series_interval_covers_the_true_change() -> None:
    rng = np.random.default_rng(7)
    t0 = 8
    values = [0.25 + (0.08 if t >= t0 else 0) + rng.normal(0, 0.01) for t in range(16)]
    result = interrupted_time_series(series(values), date(2021, 4, 1))
    assert result.level_change is not None
    assert result.level_change.ci_low < 0.08 < result.level_change.ci_high
    assert result.level_change.p_value < 0.001
    assert result.durbin_watson is not None


def test_too_few_quarters_gives_a_note_and_no_estimate() -> None:
    result = interrupted_time_series(series([0.2, 0.2, 0.3, 0.3, 0.3]), date(2019, 10, 1))
    assert result.level_change is None
    assert result.note is not None and "2 before" in result.note


def test_its_by_bcu_matches_names_case_insensitively() -> None:
    rates = series([0.2] * 4 + [0.3] * 4, "West") + series([0.1] * 8, "East")
    (west,) = its_by_bcu(rates, {"WEST": date(2020, 4, 1)})
    assert west.bcu == "West"
    assert west.level_change is not None
    assert west.level_change.value == pytest.approx(0.1)
