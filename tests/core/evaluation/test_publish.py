"""Publication suppression."""

from __future__ import annotations

from provide.core.evaluation import publish, suppress_count, suppress_proportion


def prop(num: int, den: int) -> dict[str, object]:
    return {"num": num, "den": den, "value": num / den if den else None, "ci_low": 0.1, "ci_high": 0.9}


def test_counts_below_five_become_text() -> None:
    assert [suppress_count(n) for n in (0, 1, 4, 5, 1288)] == ["<5", "<5", "<5", 5, 1288]


def test_small_numerator_withholds_value_and_interval() -> None:
    assert suppress_proportion(prop(4, 50)) == {"num": "<5", "den": 50, "value": None, "ci_low": None, "ci_high": None}


def test_small_denominator_withholds_both_counts() -> None:
    out = suppress_proportion(prop(3, 4))
    assert out["num"] == "<5" and out["den"] == "<5" and out["value"] is None


def test_small_complement_is_protected() -> None:
    out = suppress_proportion(prop(48, 50))
    assert out["num"] == ">=46" and out["den"] == 50 and out["value"] is None


def test_large_counts_are_untouched() -> None:
    assert suppress_proportion(prop(20, 50)) == prop(20, 50)


def test_publish_walks_the_document_and_sets_the_flag() -> None:
    document = {
        "tracker_rows": 4,
        "rows_with_valid_delay": 40,
        "share_within_24h": prop(30, 40),
        "acceptance_by_delay_band": {"<=24h": prop(2, 30), "chi2": 3.2, "p_value": 0.2},
        "acceptance_by_hour": {"odds_ratio_per_hour": 0.9, "p_value": 0.04, "n": 3},
        "positive_outcome_rate": [{"bcu": "West", "quarter": "2021/22 Q3", **prop(1, 10)}],
        "notes": ["T3 (row 5) has a negative delay"],
        "suppressed": False,
    }
    out = publish(document)
    assert out["tracker_rows"] == "<5"
    assert out["rows_with_valid_delay"] == 40
    assert out["share_within_24h"] == prop(30, 40)
    assert out["acceptance_by_delay_band"]["<=24h"]["num"] == "<5"
    assert out["acceptance_by_delay_band"]["chi2"] == 3.2
    assert out["acceptance_by_hour"]["n"] == "<5"
    assert out["positive_outcome_rate"][0]["bcu"] == "West"
    assert out["positive_outcome_rate"][0]["num"] == "<5"
    assert "notes" not in out
    assert out["suppressed"] is True
    assert document["tracker_rows"] == 4  # input unchanged
