"""Wilson intervals against published values and against statsmodels."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from provide.core.evaluation import proportion, wilson_interval
from provide.core.evaluation.proportions import proportions_from_arrays, wilson_arrays


@pytest.mark.parametrize(
    ("num", "den", "low", "high"),
    [
        # Newcombe (1998) Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0000),
    ],
)
def test_wilson_matches_newcombe_table(num: int, den: int, low: float, high: float) -> None:
    got_low, got_high = wilson_interval(num, den)
    assert round(got_low, 4) == low
    assert round(got_high, 4) == high


@pytest.mark.parametrize("den", [1, 2, 5, 17, 100, 1288])
def test_wilson_agrees_with_statsmodels_everywhere(den: int) -> None:
    for num in range(den + 1):
        low, high = wilson_interval(num, den)
        ref_low, ref_high = proportion_confint(num, den, alpha=0.05, method="wilson")
        assert low == pytest.approx(ref_low, abs=1e-12)
        assert high == pytest.approx(ref_high, abs=1e-12)
    values, lows, highs = wilson_arrays(range(den + 1), [den] * (den + 1))
    ref = proportion_confint(list(range(den + 1)), den, alpha=0.05, method="wilson")
    assert values == pytest.approx([x / den for x in range(den + 1)])
    assert lows == pytest.approx(ref[0], abs=1e-12)
    assert highs == pytest.approx(ref[1], abs=1e-12)


def test_proportion_with_zero_denominator_has_no_value() -> None:
    p = proportion(0, 0)
    assert (p.num, p.den, p.value, p.ci_low, p.ci_high) == (0, 0, None, None, None)
    assert proportions_from_arrays([0], [0])[0] == p


def test_proportion_value_is_a_fraction() -> None:
    p = proportion(1106, 1288)  # the seed's 85.9 %
    assert p.value == pytest.approx(0.8587, abs=1e-4)
    assert p.ci_low is not None and p.ci_high is not None and p.ci_low < p.value < p.ci_high


@pytest.mark.parametrize(("num", "den"), [(-1, 5), (6, 5), (0, 0)])
def test_wilson_rejects_impossible_counts(num: int, den: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(num, den)
