"""Daily demand and the investigations drafted for each BCU."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from provide.core.synthetic import SyntheticDataset
from provide.core.synthetic.investigations import daily_mean


def test_daily_mean_averages_to_the_per_day_figure_over_a_year() -> None:
    start = date(2023, 1, 2)
    means = [daily_mean(start + timedelta(days=d), 10.0) for d in range(364)]
    assert sum(means) / len(means) == pytest.approx(10.0, rel=0.02)


def test_weekends_and_christmas_are_busier_than_midweek() -> None:
    saturday, wednesday = date(2023, 6, 10), date(2023, 6, 7)
    assert daily_mean(saturday, 10.0) > daily_mean(wednesday, 10.0)
    christmas, monday_before = date(2023, 12, 25), date(2023, 12, 18)  # both Mondays
    assert daily_mean(christmas, 10.0) == pytest.approx(
        1.35 * daily_mean(monday_before, 10.0), rel=0.01
    )


def test_daily_mean_scales_with_the_bcus_average() -> None:
    on = date(2023, 6, 7)
    assert daily_mean(on, 20.0) == pytest.approx(2 * daily_mean(on, 10.0))


def test_police_attend_after_the_call_and_references_name_their_bcu(
    sample: SyntheticDataset,
) -> None:
    codes = {bcu.name: bcu.code for bcu in sample.bcus}
    for investigation in sample.investigations:
        assert investigation.first_police_visit_at >= investigation.recorded_at
        assert investigation.crime_or_incident in ("crime", "non-crime")
        assert codes[investigation.bcu] in investigation.investigation_ref


def test_the_dash_yes_count_grades_follow_the_form(sample: SyntheticDataset) -> None:
    for investigation in sample.investigations:
        if investigation.risk_tool != "DASH" or investigation.dash_yes_count is None:
            continue
        if investigation.risk_grade == "high":
            assert investigation.dash_yes_count >= 14
        elif investigation.risk_grade == "medium":
            assert 8 <= investigation.dash_yes_count <= 13


def test_honour_based_abuse_is_only_within_family_or_partners(sample: SyntheticDataset) -> None:
    honour = [i for i in sample.investigations if "honour_based" in i.abuse_types[:1]]
    assert all(i.relationship in ("family", "partner") for i in honour)
