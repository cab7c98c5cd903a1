"""Each FORMATS.md measure on hand-computed fixtures, boundaries included."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from provide.core.evaluation import (
    Selection,
    acceptance_by_delay_band,
    acceptance_by_hour,
    compute_measures,
    delay_band,
    financial_quarter,
    investigation_measures,
    prepare_investigations,
    quarter_label,
    quarter_start,
    select_tracker,
)
from provide.core.evaluation.measures import quarter_indices

BASE = datetime(2022, 6, 1, 9, 0, tzinfo=UTC)


def row(
    tracker_id: str, delay: timedelta | None, accepted: Any = None, **extra: Any
) -> dict[str, Any]:
    """A tracker row whose IDVA visit is ``delay`` after a fixed police visit."""
    return {
        "tracker_id": tracker_id,
        "police_visit_at": BASE,
        "idva_visit_at": None if delay is None else BASE + delay,
        "idva_support_accepted": accepted,
        **extra,
    }


# ----------------------------------------------------------------- delay bands


@pytest.mark.parametrize(
    ("delay", "band"),
    [
        (timedelta(0), "<=24h"),
        (timedelta(hours=24), "<=24h"),
        (timedelta(hours=24, seconds=1), "24h-1wk"),
        (timedelta(days=7), "24h-1wk"),
        (timedelta(days=7, seconds=1), ">1wk"),
        (timedelta(seconds=-1), None),
    ],
)
def test_delay_band_boundaries(delay: timedelta, band: str | None) -> None:
    assert delay_band(delay) == band


def test_bands_share_and_valid_delay_counts() -> None:
    rows = [
        row("T1", timedelta(hours=24), True),  # exactly 24 h: <=24h
        row("T2", timedelta(hours=2), True),
        row("T3", timedelta(hours=24, seconds=1), False),
        row("T4", timedelta(days=7), True),  # exactly 7 days: 24h-1wk
        row("T5", timedelta(days=9), False),
        row("T6", timedelta(hours=-3), True),  # negative: error, not in delay measures
        row("T7", None, True),  # no IDVA time
    ]
    m = compute_measures(rows)
    assert m.tracker_rows == 7
    assert m.rows_with_valid_delay == 5
    assert (m.share_within_24h.num, m.share_within_24h.den) == (2, 5)
    assert {b: (p.num, p.den) for b, p in m.delay_bands.items()} == {
        "<=24h": (2, 5),
        "24h-1wk": (2, 5),
        ">1wk": (1, 5),
    }
    assert [(d.tracker_id, d.row, d.delay_hours) for d in m.negative_delays] == [("T6", 6, -3.0)]
    # The negative-delay row and the row without a time still count for acceptance.
    assert (m.idva_support_acceptance.num, m.idva_support_acceptance.den) == (5, 7)
    assert m.median_delay_hours == pytest.approx((24 * 3600 + 1) / 3600)  # middle of 5 valid delays


def test_delays_are_elapsed_utc_time_across_clock_changes() -> None:
    rows = [
        # Spring forward: 12:30 GMT -> 13:00 BST next day is 23.5 h elapsed (24.5 h on the wall).
        {
            "tracker_id": "S",
            "police_visit_at": "25/03/2023 12:30",
            "idva_visit_at": "26/03/2023 13:00",
        },
        # Fall back: 12:00 BST -> 11:30 GMT next day is 24.5 h elapsed (23.5 h on the wall).
        {
            "tracker_id": "A",
            "police_visit_at": "28/10/2023 12:00",
            "idva_visit_at": "29/10/2023 11:30",
        },
    ]
    frame = select_tracker(rows).frame.set_index("tracker_id")
    assert frame.loc["S", "delay_seconds"] == 23.5 * 3600
    assert frame.loc["S", "delay_band"] == "<=24h"
    assert frame.loc["A", "delay_seconds"] == 24.5 * 3600
    assert frame.loc["A", "delay_band"] == "24h-1wk"


# ----------------------------------------------------------------- proportions


def test_blank_answers_are_unknown_not_no() -> None:
    rows = [
        row(
            "T1",
            timedelta(hours=1),
            "Y",
            engaged_investigation="",
            engaged_safeguarding="yes",
            prosecution_support_accepted="N",
        ),
        row(
            "T2",
            timedelta(hours=1),
            "",
            engaged_investigation="no",
            engaged_safeguarding=None,
            prosecution_support_accepted="n/a",
        ),
        row(
            "T3",
            timedelta(hours=1),
            "no",
            engaged_investigation="1",
            engaged_safeguarding="0",
            prosecution_support_accepted="TRUE",
        ),
    ]
    m = compute_measures(rows)
    assert (m.idva_support_acceptance.num, m.idva_support_acceptance.den) == (1, 2)
    assert (m.engaged_investigation.num, m.engaged_investigation.den) == (1, 2)
    assert (m.engaged_safeguarding.num, m.engaged_safeguarding.den) == (1, 2)
    assert (m.prosecution_support_acceptance.num, m.prosecution_support_acceptance.den) == (1, 2)
    assert m.idva_support_acceptance.value == 0.5


def test_duplicate_tracker_ids_keep_the_last_row_and_are_reported() -> None:
    rows = [
        row("T1", timedelta(hours=1), "N"),
        row("T2", timedelta(hours=1), "Y"),
        row("T1", timedelta(hours=1), "Y"),  # correction: last wins
        row("T2", timedelta(hours=1), "Y"),  # identical repeat
    ]
    m = compute_measures(rows)
    assert m.tracker_rows == 2
    assert m.duplicate_rows == 2
    assert m.conflicting_duplicate_ids == ("T1",)
    assert (m.idva_support_acceptance.num, m.idva_support_acceptance.den) == (2, 2)


def test_selection_by_bcu_and_london_date() -> None:
    rows = [
        # 23:30 UTC on 31 May is 00:30 BST on 1 June: inside a period starting 1 June.
        {"tracker_id": "A", "bcu": "West", "idva_visit_at": "2022-05-31T23:30Z"},
        {
            "tracker_id": "B",
            "bcu": "WEST ",
            "idva_visit_at": "2022-05-31T22:30Z",
        },  # 23:30 BST 31 May
        {"tracker_id": "C", "bcu": "East", "idva_visit_at": "2022-06-02T10:00Z"},
        {
            "tracker_id": "D",
            "bcu": "west",
            "police_visit_at": "30/06/2022 23:00",
        },  # falls back to police time
        {"tracker_id": "E", "bcu": "West"},  # undated
    ]
    m = compute_measures(
        rows, selection=Selection(bcu="west", date_from=date(2022, 6, 1), date_to=date(2022, 6, 30))
    )
    assert sorted(m.tracker["tracker_id"]) == ["A", "D"]
    assert m.undated_rows == 1


def test_selection_rejects_a_reversed_period() -> None:
    with pytest.raises(ValueError, match="after it ends"):
        Selection(date_from=date(2022, 2, 1), date_to=date(2022, 1, 1))


# ----------------------------------------------------------------- chi-square


def _band_rows(counts: dict[timedelta, tuple[int, int]]) -> pd.DataFrame:
    rows = []
    n = 0
    for delay, (yes, no) in counts.items():
        for answer in [True] * yes + [False] * no:
            n += 1
            rows.append(row(f"T{n}", delay, answer))
    return select_tracker(rows).frame


def test_chi_square_two_bands_matches_the_2x2_formula() -> None:
    frame = _band_rows({timedelta(hours=3): (42, 8), timedelta(days=2): (43, 27)})
    result = acceptance_by_delay_band(frame)
    # Hand: N (ad - bc)^2 / (r1 r2 c1 c2) = 120 (42*27 - 8*43)^2 / (50*70*85*35) = 7.192509...
    expected = 120 * (42 * 27 - 8 * 43) ** 2 / (50 * 70 * 85 * 35)
    assert result.chi2 == pytest.approx(expected, rel=1e-12)
    assert result.chi2 == pytest.approx(7.192509, abs=1e-6)
    assert result.dof == 1
    # 1 degree of freedom: p = erfc(sqrt(chi2 / 2)); no continuity correction.
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(expected / 2)), rel=1e-9)
    assert (result.bands["<=24h"].num, result.bands["<=24h"].den) == (42, 50)
    assert result.bands[">1wk"].den == 0


def test_chi_square_three_bands_hand_value() -> None:
    frame = _band_rows(
        {timedelta(hours=1): (10, 0), timedelta(days=3): (5, 5), timedelta(days=30): (0, 10)}
    )
    result = acceptance_by_delay_band(frame)
    # Every expected count is 5: chi2 = 4 * 25 / 5 = 20; with 2 df, p = exp(-20 / 2).
    assert result.chi2 == pytest.approx(20.0)
    assert result.dof == 2
    assert result.p_value == pytest.approx(math.exp(-10), rel=1e-9)


def test_chi_square_absent_when_only_one_band_has_rows() -> None:
    result = acceptance_by_delay_band(_band_rows({timedelta(hours=1): (3, 2)}))
    assert result.chi2 is None and result.p_value is None


# ----------------------------------------------------------------- hour of day


def test_hour_is_london_local_time() -> None:
    rows = [
        {
            "tracker_id": "S",
            "idva_visit_at": "2022-06-01T00:30Z",
            "idva_support_accepted": "Y",
        },  # 01:30 BST
        {
            "tracker_id": "W",
            "idva_visit_at": "2022-01-01T00:30Z",
            "idva_support_accepted": "N",
        },  # 00:30 GMT
    ]
    result = acceptance_by_hour(select_tracker(rows).frame)
    assert {h: (p.num, p.den) for h, p in result.by_hour.items()} == {0: (0, 1), 1: (1, 1)}


def test_logistic_regression_on_two_hours_equals_the_2x2_log_odds_ratio() -> None:
    rows = []
    # Hour 9 BST (08:xx UTC): 8 accept, 2 decline; hour 10 BST: 6 accept, 4 decline.
    for i, answer in enumerate([True] * 8 + [False] * 2):
        rows.append(
            {
                "tracker_id": f"a{i}",
                "idva_visit_at": f"2022-06-01T08:{i:02d}Z",
                "idva_support_accepted": answer,
            }
        )
    for i, answer in enumerate([True] * 6 + [False] * 4):
        rows.append(
            {
                "tracker_id": f"b{i}",
                "idva_visit_at": f"2022-06-01T09:{i:02d}Z",
                "idva_support_accepted": answer,
            }
        )
    result = acceptance_by_hour(select_tracker(rows).frame)
    odds_ratio = (6 / 4) / (8 / 2)
    se = math.sqrt(1 / 8 + 1 / 2 + 1 / 6 + 1 / 4)
    z = math.log(odds_ratio) / se
    assert result.n == 20
    assert result.odds_ratio_per_hour == pytest.approx(odds_ratio, rel=1e-5)
    assert result.p_value == pytest.approx(math.erfc(abs(z) / math.sqrt(2)), rel=1e-4)
    assert result.or_ci_low == pytest.approx(
        math.exp(math.log(odds_ratio) - 1.959964 * se), rel=1e-4
    )


def test_logistic_regression_absent_when_all_answers_agree() -> None:
    rows = [
        {
            "tracker_id": f"t{h}",
            "idva_visit_at": f"2022-01-01T{h:02d}:00Z",
            "idva_support_accepted": "Y",
        }
        for h in range(8, 12)
    ]
    result = acceptance_by_hour(select_tracker(rows).frame)
    assert result.odds_ratio_per_hour is None
    assert result.note == "no model: every row has the same answer"


# ----------------------------------------------------------------- investigations


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2022, 3, 31), "2021/22 Q4"),
        (date(2022, 4, 1), "2022/23 Q1"),
        (date(2022, 6, 30), "2022/23 Q1"),
        (date(2022, 7, 1), "2022/23 Q2"),
        (date(2021, 12, 31), "2021/22 Q3"),
        (date(2022, 1, 1), "2021/22 Q4"),
        (date(1999, 4, 1), "1999/00 Q1"),
    ],
)
def test_financial_quarter_labels(day: date, label: str) -> None:
    assert financial_quarter(day) == label


def test_quarter_start_round_trips() -> None:
    from provide.core.evaluation import quarter_index

    for day in (date(2022, 1, 15), date(2022, 4, 1), date(2021, 10, 31)):
        start = quarter_start(quarter_index(day))
        assert start <= day and quarter_index(start) == quarter_index(day) and start.day == 1


def test_quarter_of_a_utc_time_uses_the_london_date() -> None:
    times = pd.Series(pd.to_datetime(["2022-03-31T22:30Z", "2022-03-31T23:30Z"], utc=True))
    assert [quarter_label(int(q)) for q in quarter_indices(times)] == ["2021/22 Q4", "2022/23 Q1"]


def inv(
    ref: str,
    recorded: str,
    bcu: str = "West",
    code: Any = None,
    victim: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "investigation_ref": ref,
        "recorded_at": recorded,
        "bcu": bcu,
        "outcome_code": code,
        "victim_id": victim or f"V-{ref}",
        **extra,
    }


def test_positive_outcome_rate_per_bcu_per_quarter() -> None:
    rows = [
        # West 2021/22 Q3: 1 and 1A positive, 16 and 15 not, one open (blank: not counted).
        inv("a", "01/10/2021", code="1"),
        inv("b", "15/11/2021", code="1a"),
        inv("c", "31/12/2021", code="16"),
        inv("d", "02/10/2021", code=15),
        inv("e", "03/10/2021", code=""),
        # West 2021/22 Q4: 8 positive; 22 and 5 not.
        inv("f", "01/01/2022", code="8"),
        inv("g", "31/03/2022 23:59", code="22"),
        inv("h", "15/02/2022", code="5"),
        # East 2021/22 Q3: 3 positive, 9 not.
        inv("i", "01/12/2021", "East", "3"),
        inv("j", "02/12/2021", "East", "09"),
    ]
    m = investigation_measures(prepare_investigations(rows))
    assert [(r.bcu, r.quarter, r.rate.num, r.rate.den) for r in m.positive_outcome_rate] == [
        ("East", "2021/22 Q3", 1, 2),
        ("West", "2021/22 Q3", 2, 4),
        ("West", "2021/22 Q4", 1, 3),
    ]
    assert m.investigations == 10 and m.with_outcome == 9
    only_west_q3 = investigation_measures(
        prepare_investigations(rows), Selection(bcu="west", date_to=date(2021, 12, 31))
    )
    assert [(r.quarter, r.rate.num, r.rate.den) for r in only_west_q3.positive_outcome_rate] == [
        ("2021/22 Q3", 2, 4)
    ]


def test_positive_codes_are_exactly_the_documented_set() -> None:
    codes = ["1", "1A", *[str(n) for n in range(2, 23)]]
    rows = [inv(f"r{c}", "01/06/2022", code=c) for c in codes]
    m = investigation_measures(prepare_investigations(rows))
    assert (m.positive_outcome_overall.num, m.positive_outcome_overall.den) == (8, 23)


def test_repeat_victim_window_is_365_days_inclusive_and_uses_history_outside_the_selection() -> (
    None
):
    rows = [
        inv("v1a", "2021-01-01T12:00Z", victim="V1"),
        inv("v1b", "2022-01-01T12:00Z", victim="V1"),  # 365 days
        inv("v2a", "2021-01-01T12:00Z", victim="V2"),
        inv("v2b", "2022-01-02T12:00Z", victim="V2"),  # 366 days
        inv("v3a", "2022-01-05T12:00Z", victim="V3"),
        inv("v3b", "2022-01-05T12:00Z", victim="V3"),  # same instant
    ]
    prepared = prepare_investigations(rows).set_index("investigation_ref")
    assert prepared["repeat_victim"].to_dict() == {
        "v1a": False,
        "v1b": True,
        "v2a": False,
        "v2b": False,
        "v3a": False,
        "v3b": False,
    }
    in_2022 = investigation_measures(
        prepare_investigations(rows), Selection(date_from=date(2022, 1, 1))
    )
    assert (in_2022.repeat_victim.num, in_2022.repeat_victim.den) == (1, 4)
