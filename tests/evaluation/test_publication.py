"""Publication gaps closed for the dashboard: the time-series and comparison figures."""

from __future__ import annotations

from provide.core.evaluation import publish


def test_its_series_rounds_denominators_and_recomputes_the_rates_from_rounded_counts() -> None:
    its = {
        "bcu": "West",
        "quarters": ["a", "b", "c", "d", "e"],
        "rates": [0.5, 0.25, 0.98, 0.4, 3 / 42],
        "denominators": [4, 40, 100, 50, 42],
        "fitted": [0.41234, 0.4, 0.4, 0.4, 0.4],
    }
    out = publish({"its": [its], "suppressed": False})["its"][0]
    assert out["denominators"] == ["<5", 40, 100, 50, 40]
    # 2 of 4: withheld; 10 of 40: kept; 98 of 100: 100 of 100; 20 of 50: kept; 3 of 42: withheld
    assert out["rates"] == [None, 0.25, 1.0, 0.4, None]
    assert out["fitted"] == [0.41, 0.4, 0.4, 0.4, 0.4]  # model outputs: two significant figures


def test_comparison_counts_and_small_control_groups_are_protected() -> None:
    item = {
        "outcome": "positive_outcome",
        "eligible_treated": 3,
        "eligible_controls": 40,
        "matched_treated": 30,
        "matched_controls": 4,
        "strata": 2,
        "treated_rate": {"num": 10, "den": 30, "value": 1 / 3, "ci_low": 0.2, "ci_high": 0.5},
        "control_rate": 0.25,
        "difference": 0.08,
        "ci_low": -0.1,
        "ci_high": 0.3,
        "p_value": 0.4,
    }
    comparison = {
        "linked_by_reference": 2,
        "linked_by_victim": 30,
        "unlinked": 0,
        "outcomes": [item],
    }
    out = publish({"comparison": comparison, "suppressed": False})["comparison"]
    assert (out["linked_by_reference"], out["linked_by_victim"], out["unlinked"]) == (
        "<5",
        30,
        "<5",
    )
    outcome = out["outcomes"][0]
    assert outcome["eligible_treated"] == "<5" and outcome["matched_controls"] == "<5"
    assert (
        outcome["control_rate"] is None
        and outcome["difference"] is None
        and outcome["ci_low"] is None
    )
    assert outcome["p_value"] == 0.4  # test statistics are kept
    big = {**item, "matched_controls": 50}
    kept = publish({"comparison": {**comparison, "outcomes": [big]}, "suppressed": False})[
        "comparison"
    ]["outcomes"][0]
    assert kept["control_rate"] == 0.25 and kept["difference"] == 0.08 and kept["ci_low"] == -0.1
    assert kept["matched_controls"] == 50 and kept["matched_treated"] == 30
