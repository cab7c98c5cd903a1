"""The pure retention rules: MoPI groups, review dates, coarsening and the repeat windows."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from provide.core.evaluation import flag_within
from provide.retention.rules import (
    LONDON,
    InvestigationFacts,
    add_years,
    age_on,
    appointment_times,
    coarsen_recorded,
    day_start,
    health_dispose_on,
    london_date,
    month_start,
    mopi_group,
    police_review,
    postcode_district,
    recorded_precision,
    repeat_flags,
    to_month,
    tracker_times,
    week_start,
)

UTC = dt.UTC


@pytest.mark.parametrize(
    ("facts", "group"),
    [
        (InvestigationFacts(risk_grade="high"), 1),
        (InvestigationFacts(public_protection=True), 1),
        (InvestigationFacts(abuse_types=("honour_based",)), 1),
        (InvestigationFacts(offence="Rape of a female aged 16 or over"), 1),
        (InvestigationFacts(offence="Intentional strangulation"), 1),
        (InvestigationFacts(offence="Wounding with intent - s18"), 1),
        (InvestigationFacts(abuse_types=("sexual",), risk_grade="medium"), 2),
        (InvestigationFacts(abuse_types=("stalking_harassment",)), 2),
        (InvestigationFacts(abuse_types=("coercive_control",), injuries=True), 2),
        (InvestigationFacts(weapons=True), 2),
        (
            InvestigationFacts(
                abuse_types=("coercive_control", "economic"),
                offence="Criminal damage to a grape vine",
            ),
            3,
        ),
        (InvestigationFacts(), 3),
    ],
)
def test_mopi_group_follows_the_offence_and_the_risk(facts: InvestigationFacts, group: int) -> None:
    assert mopi_group(facts) == group


def test_add_years_moves_29_february_to_28_february() -> None:
    assert add_years(dt.date(2012, 2, 29), 6) == dt.date(2018, 2, 28)
    assert add_years(dt.date(2012, 2, 29), 4) == dt.date(2016, 2, 29)


def test_age_on_counts_whole_years() -> None:
    assert age_on(dt.date(2000, 6, 2), dt.date(2017, 6, 1)) == 16
    assert age_on(dt.date(2000, 6, 2), dt.date(2017, 6, 2)) == 17


def test_groups_2_and_3_are_reviewed_after_their_clear_period() -> None:
    for group, years in ((2, 10), (3, 6)):
        review = police_review(
            group=group,
            first_activity=dt.date(2010, 1, 5),
            last_activity=dt.date(2013, 4, 9),
            birth_dates=[dt.date(1980, 1, 1)],
            today=dt.date(2020, 1, 1),
        )
        assert review.dispose_on == review.review_on == dt.date(2013 + years, 4, 9)


def test_group_1_is_kept_until_the_youngest_is_100_and_reviewed_every_10_years() -> None:
    review = police_review(
        group=1,
        first_activity=dt.date(2010, 1, 5),
        last_activity=dt.date(2013, 4, 9),
        birth_dates=[dt.date(1950, 1, 1), dt.date(1990, 8, 30)],
        today=dt.date(2031, 3, 1),
    )
    assert review.dispose_on == dt.date(2090, 8, 30)
    assert review.review_on == dt.date(2040, 1, 5)


def test_group_1_without_a_date_of_birth_is_kept_100_years_from_the_first_record() -> None:
    review = police_review(
        group=1,
        first_activity=dt.date(2010, 1, 5),
        last_activity=dt.date(2010, 1, 5),
        birth_dates=[None],
        today=dt.date(2011, 1, 1),
    )
    assert review.dispose_on == dt.date(2110, 1, 5)
    assert review.review_on == dt.date(2020, 1, 5)


def test_police_review_refuses_an_unknown_group() -> None:
    with pytest.raises(ValueError, match="MoPI group must be 1, 2 or 3"):
        police_review(
            group=4,
            first_activity=dt.date(2010, 1, 1),
            last_activity=dt.date(2010, 1, 1),
            birth_dates=[],
            today=dt.date(2010, 1, 1),
        )


def test_health_records_of_adults_are_kept_the_trusts_years_after_the_last_contact() -> None:
    assert health_dispose_on(
        last_contact=dt.date(2020, 5, 1),
        date_of_birth=dt.date(1990, 1, 1),
        adult_years=8,
        child_until_age=25,
    ) == dt.date(2028, 5, 1)


def test_a_childs_health_record_is_kept_until_the_25th_birthday_or_the_26th_at_17() -> None:
    kwargs = {"adult_years": 8, "child_until_age": 25}
    # 12 at the last contact: the 25th birthday is later than 8 years on.
    assert health_dispose_on(
        last_contact=dt.date(2020, 5, 1), date_of_birth=dt.date(2008, 1, 1), **kwargs
    ) == dt.date(2033, 1, 1)
    # 17 at the last contact: the 26th birthday.
    assert health_dispose_on(
        last_contact=dt.date(2020, 5, 1), date_of_birth=dt.date(2003, 1, 1), **kwargs
    ) == dt.date(2029, 1, 1)
    # 17, but 8 years on is later still: 8 years.
    assert health_dispose_on(
        last_contact=dt.date(2020, 5, 1),
        date_of_birth=dt.date(2003, 1, 1),
        adult_years=10,
        child_until_age=25,
    ) == dt.date(2030, 5, 1)


def test_month_and_day_start_are_london_midnights() -> None:
    summer = dt.datetime(2021, 7, 1, 0, 30, tzinfo=UTC)  # 01:30 on 1 July in London (BST)
    assert month_start(summer) == dt.datetime(2021, 6, 30, 23, 0, tzinfo=UTC)
    assert day_start(summer) == dt.datetime(2021, 6, 30, 23, 0, tzinfo=UTC)
    late = dt.datetime(2021, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    assert london_date(month_start(late)) == dt.date(2021, 7, 1)
    assert to_month(dt.date(2021, 7, 19)) == dt.date(2021, 7, 1)
    assert to_month(None) is None
    assert week_start(dt.date(2024, 5, 19)) == dt.date(2024, 5, 13)


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("FY1 4XZ", "FY1"),
        ("fy14xz", "FY1"),
        ("M1 1AE", "M1"),
        ("EC1A 1BB", "EC1A"),
        ("not one", ""),
        ("", ""),
    ],
)
def test_postcode_district_keeps_the_outward_code(postcode: str, district: str) -> None:
    assert postcode_district(postcode) == district


def test_tracker_times_keep_the_month_the_hour_and_the_delay_across_a_clock_change() -> None:
    police = dt.datetime(2021, 3, 27, 22, 15, tzinfo=UTC)  # Saturday night, GMT
    idva = dt.datetime(2021, 3, 29, 13, 40, tzinfo=UTC)  # Monday, BST: 14:40 in London
    new_police, new_idva = tracker_times(police, idva)
    assert new_idva is not None and new_police is not None
    assert london_date(new_idva) == dt.date(2021, 3, 1)
    assert new_idva.astimezone(LONDON).hour == 14
    assert new_idva.minute == 0
    assert new_idva - new_police == idva - police


def test_tracker_times_without_an_idva_visit_move_the_police_visit() -> None:
    police = dt.datetime(2021, 8, 17, 9, 45, tzinfo=UTC)
    assert tracker_times(police, None) == (dt.datetime(2021, 8, 1, 9, 0, tzinfo=UTC), None)
    assert tracker_times(None, None) == (None, None)


def test_appointment_times_keep_the_length() -> None:
    start, end = appointment_times(
        dt.datetime(2020, 2, 12, 10, 30, tzinfo=UTC), dt.datetime(2020, 2, 12, 11, 0, tzinfo=UTC)
    )
    assert start == dt.datetime(2020, 2, 1, tzinfo=UTC)
    assert end - start == dt.timedelta(minutes=30)


def test_repeat_flags_agree_with_the_evaluation_on_random_histories() -> None:
    rng = random.Random(20260101)
    start = dt.datetime(2015, 1, 1, tzinfo=UTC)
    rows = []
    for _ in range(400):
        moment = start + dt.timedelta(days=rng.randint(0, 1500), hours=rng.randint(0, 23))
        rows.append(
            (moment, (f"v{rng.randint(1, 60)}", rng.choice([None, f"s{rng.randint(1, 40)}"])))
        )
    frame = pd.DataFrame(
        {
            "recorded_at": pd.to_datetime([r[0] for r in rows], utc=True),
            "victim_id": [r[1][0] for r in rows],
            "suspect_id": [r[1][1] for r in rows],
        }
    )
    expected = list(
        zip(
            flag_within(frame, key="victim_id"),
            flag_within(frame, key="victim_id", direction="after"),
            flag_within(frame, key="suspect_id"),
            flag_within(frame, key="suspect_id", direction="after"),
            strict=True,
        )
    )
    found = repeat_flags(rows)
    assert [tuple(bool(x) for x in row) for row in expected] == found
    assert any(row[0] for row in found) and not all(row[0] for row in found)


def test_recorded_precision_is_the_month_when_no_repeat_changes() -> None:
    rows = [
        (dt.datetime(2015, 1, 10, 9, tzinfo=UTC), ("v1", None)),
        (dt.datetime(2015, 3, 20, 9, tzinfo=UTC), ("v1", None)),
    ]
    assert recorded_precision(rows) == "month"


def test_recorded_precision_falls_back_to_the_day_near_the_365_day_line() -> None:
    # 1 January 2015 and 31 January 2016 are 395 days apart (no repeat); at the month they are
    # 1 January and 1 January, 365 days apart (a repeat); at the day still 395.
    rows = [
        (dt.datetime(2015, 1, 1, 12, tzinfo=UTC), ("v1", None)),
        (dt.datetime(2016, 1, 31, 12, tzinfo=UTC), ("v1", None)),
    ]
    assert repeat_flags(rows) == [(False, False, False, False)] * 2
    assert recorded_precision(rows) == "day"


def test_recorded_precision_keeps_the_time_when_even_the_day_changes_a_repeat() -> None:
    # 365 days and 2 hours apart: no repeat; at the day (and at the month), exactly 365 days: a repeat.
    rows = [
        (dt.datetime(2015, 1, 31, 8, tzinfo=UTC), ("v1", None)),
        (dt.datetime(2016, 1, 31, 10, tzinfo=UTC), ("v1", None)),
    ]
    assert repeat_flags(rows) == [(False, False, False, False)] * 2
    assert recorded_precision(rows) == "exact"
    assert coarsen_recorded(rows[0][0], "exact") == rows[0][0]
    with pytest.raises(ValueError, match="precision must be one of"):
        coarsen_recorded(rows[0][0], "year")


def test_two_records_in_one_month_merge_only_if_no_flag_depends_on_them() -> None:
    # Same victim twice in a month: a repeat. At the month both are the same instant (neither
    # before the other), so the month would lose the flag: the day keeps it.
    rows = [
        (dt.datetime(2015, 4, 3, 9, tzinfo=UTC), ("v1", None)),
        (dt.datetime(2015, 4, 20, 9, tzinfo=UTC), ("v1", None)),
    ]
    assert recorded_precision(rows) == "day"


def test_recorded_precision_keeps_whether_the_follow_up_is_complete() -> None:
    horizon = dt.datetime(2016, 1, 20, 12, tzinfo=UTC)
    # Recorded 20 January 2015 at 15:00: its follow-up ends on 20 January 2016 at 15:00, after
    # the horizon (incomplete). Moved to the month or to the day it would end before (complete),
    # so the time is kept.
    rows = [(dt.datetime(2015, 1, 20, 15, tzinfo=UTC), ("v1", None))]
    assert recorded_precision(rows) == "month"
    assert recorded_precision(rows, horizon) == "exact"
    # The latest investigation of all is the horizon: it is never moved.
    assert coarsen_recorded(horizon, "month", horizon=horizon) == horizon
    assert recorded_precision([(horizon, ("v2", None))], horizon) == "month"
