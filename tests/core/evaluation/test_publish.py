"""Publication: small counts hidden, every count rounded to base 5, rates from the rounded
counts, other numbers to two significant figures — so differencing cannot undo it."""

from __future__ import annotations

from itertools import pairwise

from provide.core.evaluation import publish, suppress_count, suppress_proportion
from provide.core.evaluation.proportions import proportion, wilson_interval
from provide.core.evaluation.publish import BASE, significant


def prop(num: int, den: int) -> dict[str, object]:
    return {
        "num": num,
        "den": den,
        "value": num / den if den else None,
        "ci_low": 0.1,
        "ci_high": 0.9,
    }


def test_counts_below_five_become_text_and_the_rest_are_rounded_to_base_five() -> None:
    assert [suppress_count(n) for n in (0, 1, 4, 5, 6, 7, 8, 12, 13, 98, 1288)] == [
        "<5",
        "<5",
        "<5",
        5,
        5,
        5,
        10,
        10,
        15,
        100,
        1290,
    ]


def test_a_rounded_count_is_a_multiple_of_five_within_two_of_the_truth() -> None:
    for count in range(5, 2000):
        published = suppress_count(count)
        assert (
            isinstance(published, int) and published % BASE == 0 and abs(published - count) <= 2
        ), count


def test_small_numerator_withholds_value_and_interval() -> None:
    assert suppress_proportion(prop(4, 50)) == {
        "num": "<5",
        "den": 50,
        "value": None,
        "ci_low": None,
        "ci_high": None,
    }


def test_small_denominator_withholds_both_counts() -> None:
    out = suppress_proportion(prop(3, 4))
    assert out["num"] == "<5" and out["den"] == "<5" and out["value"] is None


def test_the_rate_and_its_interval_are_recomputed_from_the_rounded_counts() -> None:
    out = suppress_proportion(proportion(43, 58).as_dict())  # 43 of 58: published as 45 of 60
    assert (out["num"], out["den"], out["value"]) == (45, 60, 0.75)
    assert (out["ci_low"], out["ci_high"]) == wilson_interval(45, 60)


def test_a_rate_over_a_small_rounded_denominator_is_withheld() -> None:
    """7 of 8 would read 5 of 10 (50 %): the counts are published, the rate is not."""
    out = suppress_proportion(proportion(7, 8).as_dict())
    assert out == {"num": 5, "den": 10, "value": None, "ci_low": None, "ci_high": None}
    assert suppress_proportion(proportion(15, 20).as_dict())["value"] == 0.75  # 20 is enough


def test_a_small_complement_cannot_be_told_from_none_or_four() -> None:
    """98, 99 or 100 of 100 accepted (2, 1 or 0 refused) publish the same figures."""
    published = [suppress_proportion(proportion(num, 100).as_dict()) for num in (96, 98, 99, 100)]
    assert published[0]["num"] == 95 and published[0]["value"] == 0.95
    assert published[1] == published[2] == published[3]
    assert published[1]["num"] == published[1]["den"] == 100


def test_round_counts_keep_their_exact_rate() -> None:
    out = suppress_proportion(proportion(20, 50).as_dict())
    assert out == proportion(20, 50).as_dict()


def test_other_numbers_keep_two_significant_figures() -> None:
    assert [significant(v) for v in (1.959375, 0.3754284, 0.000432, 137.5, 0.0, -0.4094934)] == [
        2.0,
        0.38,
        0.00043,
        140.0,
        0.0,
        -0.41,
    ]


def test_publish_walks_the_document_and_sets_the_flag() -> None:
    document = {
        "tracker_rows": 4,
        "rows_with_valid_delay": 42,
        "share_within_24h": prop(30, 40),
        "acceptance_by_delay_band": {"<=24h": prop(2, 30), "chi2": 3.2456, "p_value": 0.2043},
        "acceptance_by_hour": {"odds_ratio_per_hour": 0.9123, "p_value": 0.0412, "n": 3},
        "positive_outcome_rate": [{"bcu": "West", "quarter": "2021/22 Q3", **prop(1, 10)}],
        "notes": ["T3 (row 5) has a negative delay"],
        "suppressed": False,
    }
    out = publish(document)
    assert out["tracker_rows"] == "<5"
    assert out["rows_with_valid_delay"] == 40
    assert out["share_within_24h"] == proportion(30, 40).as_dict()
    assert out["acceptance_by_delay_band"]["<=24h"]["num"] == "<5"
    assert out["acceptance_by_delay_band"]["<=24h"]["den"] == 30
    assert (
        out["acceptance_by_delay_band"]["chi2"],
        out["acceptance_by_delay_band"]["p_value"],
    ) == (3.2, 0.2)
    assert out["acceptance_by_hour"] == {"odds_ratio_per_hour": 0.91, "p_value": 0.041, "n": "<5"}
    assert out["positive_outcome_rate"][0]["bcu"] == "West"
    assert out["positive_outcome_rate"][0]["num"] == "<5"
    assert "notes" not in out
    assert out["suppressed"] is True
    assert document["tracker_rows"] == 4  # input unchanged


# --- the differencing attack -------------------------------------------------------------


def _evaluation(visits: int, accepted: int) -> dict[str, object]:
    return {
        "tracker_rows": visits,
        "idva_support_acceptance": proportion(accepted, visits).as_dict(),
        "suppressed": False,
    }


def test_differencing_two_published_periods_does_not_recover_a_small_count() -> None:
    """Two periods that differ by one day on which 8 were visited and 7 accepted."""
    day = (8, 7)
    for earlier in ((100, 95), (101, 88), (97, 90), (53, 41), (10, 9)):
        later = (earlier[0] + day[0], earlier[1] + day[1])
        a, b = publish(_evaluation(*earlier)), publish(_evaluation(*later))
        visits = b["tracker_rows"] - a["tracker_rows"]
        accepted = b["idva_support_acceptance"]["num"] - a["idva_support_acceptance"]["num"]
        # The difference is a multiple of 5: never the 8 and 7 the day held.
        assert visits % BASE == 0 and accepted % BASE == 0
        assert (visits, accepted) != day
        # What can be worked out from the two publications is a range holding many counts.
        possible = [
            n
            for n in range(0, 40)
            if any(
                suppress_count(e) == a["tracker_rows"]
                and suppress_count(e + n) == b["tracker_rows"]
                for e in range(earlier[0] - 3, earlier[0] + 4)
            )
        ]
        assert day[0] in possible and len(possible) >= 5


def test_a_run_of_periods_one_day_apart_never_shows_a_day_below_five() -> None:
    """Cumulative totals day by day: every difference of publications is a multiple of 5."""
    daily = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]
    totals = [sum(daily[: i + 1]) + 40 for i in range(len(daily))]
    published = [suppress_count(t) for t in totals]
    differences = [int(b) - int(a) for a, b in pairwise(published)]
    assert all(d % BASE == 0 for d in differences)
    assert [
        d for d, true in zip(differences, daily[1:], strict=True) if 0 < true < 5 and d == true
    ] == []
