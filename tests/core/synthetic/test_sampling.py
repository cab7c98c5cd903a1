"""Seeded random streams and the small samplers every generator uses."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from datetime import UTC, date, datetime

import pytest

from provide.core.synthetic.sampling import (
    WeightedChoice,
    chance,
    local_midnight_utc,
    local_to_utc,
    logistic,
    logit,
    poisson,
    round_to_minutes,
    stream,
)


def test_a_stream_is_fixed_by_seed_and_name_and_independent_of_other_names() -> None:
    first, again = stream(7, "people"), stream(7, "people")
    assert [first.random() for _ in range(5)] == [again.random() for _ in range(5)]
    assert stream(7, "people").random() != stream(7, "shifts").random()
    assert stream(7, "people").random() != stream(8, "people").random()


def test_weighted_choice_draws_in_proportion_to_the_weights() -> None:
    choose = WeightedChoice([("high", 1.0), ("medium", 3.0), ("standard", 6.0), ("never", 0.0)])
    rng = stream(1, "weights")
    counts = Counter(choose(rng) for _ in range(20_000))
    assert counts["never"] == 0
    assert counts["high"] / 20_000 == pytest.approx(0.1, abs=0.01)
    assert counts["standard"] / 20_000 == pytest.approx(0.6, abs=0.015)


def test_weighted_choice_needs_an_item() -> None:
    with pytest.raises(ValueError, match="at least one item"):
        WeightedChoice([])


@pytest.mark.parametrize("mean", [0.5, 4.5, 100.0])
def test_poisson_has_the_asked_mean_and_variance(mean: float) -> None:
    rng = stream(3, f"poisson-{mean}")
    draws = [poisson(rng, mean) for _ in range(20_000)]
    assert min(draws) >= 0
    assert statistics.fmean(draws) == pytest.approx(mean, rel=0.03)
    assert statistics.pvariance(draws) == pytest.approx(mean, rel=0.08)


@pytest.mark.parametrize("mean", [0.0, -2.0])
def test_poisson_of_no_mean_is_zero(mean: float) -> None:
    assert poisson(stream(0, "x"), mean) == 0


def test_chance_is_true_with_the_given_probability() -> None:
    rng = stream(5, "chance")
    assert sum(chance(rng, 0.3) for _ in range(20_000)) / 20_000 == pytest.approx(0.3, abs=0.01)
    assert not any(chance(rng, 0.0) for _ in range(1000))
    assert all(chance(rng, 1.0) for _ in range(1000))


@pytest.mark.parametrize("p", [0.01, 0.25, 0.5, 0.859])
def test_logit_inverts_logistic(p: float) -> None:
    assert logistic(logit(p)) == pytest.approx(p)
    assert logistic(0) == 0.5 and logit(0.5) == 0


def test_local_wall_clock_times_become_utc_in_winter_and_summer() -> None:
    assert local_to_utc(date(2023, 1, 10), 7 * 3600) == datetime(2023, 1, 10, 7, tzinfo=UTC)
    assert local_to_utc(date(2023, 6, 13), 7 * 3600) == datetime(2023, 6, 13, 6, tzinfo=UTC)
    assert local_to_utc(date(2023, 6, 13), 25 * 3600) == datetime(2023, 6, 14, 0, tzinfo=UTC)


def test_local_midnight_on_the_day_the_clocks_go_forward_is_still_gmt() -> None:
    assert local_midnight_utc(date(2023, 3, 26)) == datetime(2023, 3, 26, 0, tzinfo=UTC)
    assert local_midnight_utc(date(2023, 3, 27)) == datetime(2023, 3, 26, 23, tzinfo=UTC)


def test_round_to_minutes_rounds_down_to_the_step() -> None:
    moment = datetime(2023, 1, 10, 7, 29, 59, 999, tzinfo=UTC)
    assert round_to_minutes(moment) == datetime(2023, 1, 10, 7, 29, tzinfo=UTC)
    assert round_to_minutes(moment, 15) == datetime(2023, 1, 10, 7, 15, tzinfo=UTC)
    assert math.isclose(round_to_minutes(moment, 60).timestamp() % 3600, 0)
