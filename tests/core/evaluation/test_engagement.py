"""Engagement before (self-reported) and after the visit, paired: counts, intervals, the test."""

from __future__ import annotations

import math

import pytest

from provide.core.evaluation import publish
from provide.core.evaluation.engagement import (
    engagement_change,
    mcnemar_exact,
    newcombe_paired_interval,
)
from provide.core.evaluation.measures import compute_measures
from provide.core.evaluation.report import build_report, report_document


def test_only_attendances_with_both_answers_count() -> None:
    before = [False, False, False, True, True, None, False, math.nan]
    after = [True, True, False, True, False, True, None, True]
    change = engagement_change(before, after)
    assert change.pairs == 5
    assert (change.before.num, change.before.den) == (2, 5)
    assert (change.after.num, change.after.den) == (3, 5)
    assert (change.became_engaged, change.stopped) == (2, 1)
    assert change.difference == pytest.approx(0.2)
    assert change.ci_low < 0.2 < change.ci_high


def test_a_small_known_example_matches_a_hand_count() -> None:
    # 10 victims: 1 engaged before (14 % in the seed, here 10 %), 4 engaged after, nobody stopped
    before = [True] + [False] * 9
    after = [True, True, True, True] + [False] * 6
    change = engagement_change(before, after)
    assert (change.before.value, change.after.value) == (0.1, 0.4)
    assert (change.became_engaged, change.stopped) == (3, 0)
    assert change.p_value == pytest.approx(0.25)  # 2 * (1/2)^3
    assert -1 <= change.ci_low < 0.3 < change.ci_high <= 1


def test_exact_mcnemar() -> None:
    assert mcnemar_exact(5, 0) == pytest.approx(0.0625)
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(9, 1) == pytest.approx(2 * 11 / 1024)


def test_no_change_gives_an_interval_around_zero() -> None:
    low, high = newcombe_paired_interval(20, 0, 0, 20)
    assert low < 0 < high and low == pytest.approx(-high)


def test_the_interval_narrows_as_pairs_grow() -> None:
    small = newcombe_paired_interval(2, 1, 4, 3)
    large = newcombe_paired_interval(20, 10, 40, 30)
    assert (large[1] - large[0]) < (small[1] - small[0])


def test_all_engaged_after_stays_within_bounds() -> None:
    low, high = newcombe_paired_interval(0, 0, 30, 0)
    assert 0 < low < high == 1.0


def test_without_pairs_nothing_is_claimed() -> None:
    change = engagement_change([None, True], [True, None])
    assert change.pairs == 0 and change.difference is None and change.p_value is None


def _rows() -> list[dict[str, str]]:
    rows = []
    for n in range(40):
        rows.append(
            {
                "tracker_id": f"T{n}",
                "police_visit_at": "01/06/2022 10:00",
                "idva_visit_at": "01/06/2022 12:00",
                "previously_engaged_investigation": ("Y" if n < 6 else "N") if n < 30 else "",
                "engaged_investigation": "Y" if n < 16 else "N",
                "previously_engaged_safeguarding": "N" if n < 3 else "",
                "engaged_safeguarding": "Y",
            }
        )
    return rows


def test_the_evaluation_reports_the_paired_change_for_both_kinds() -> None:
    measures = compute_measures(_rows())
    investigation = measures.engagement_change["investigation"]
    assert (
        investigation.pairs == 30
        and investigation.before.num == 6
        and investigation.after.num == 16
    )
    assert (investigation.became_engaged, investigation.stopped) == (10, 0)
    assert measures.engagement_change["safeguarding"].pairs == 3


def test_publishing_withholds_a_change_built_on_small_counts() -> None:
    document = report_document(build_report(_rows()))
    change = document["engagement_change"]
    assert change["investigation"]["difference"] == pytest.approx(10 / 30)
    published = publish(document)["engagement_change"]
    assert published["investigation"]["difference"] is None  # 0 stopped: below 5
    assert (
        published["investigation"]["stopped"] == "<5" and published["investigation"]["pairs"] == 30
    )
    assert (
        published["safeguarding"]["pairs"] == "<5"
        and published["safeguarding"]["before"]["value"] is None
    )


def test_the_html_report_shows_the_same_paired_numbers() -> None:
    from provide.core.evaluation.render import render_html

    page = render_html(report_document(build_report(_rows())))
    assert "Engagement before and after the visit" in page
    assert "<td>30</td><td>20.0%</td>" in page  # 30 pairs, 6 of 30 engaged before
