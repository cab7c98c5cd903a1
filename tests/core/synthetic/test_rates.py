"""Tracker rates on a 90-day sample follow the Operation Provide evaluation's figures."""

from __future__ import annotations

from collections import Counter

from provide.core.synthetic import SyntheticDataset, SyntheticTrackerRow
from provide.core.synthetic.sampling import LONDON


def _rate(rows: list[SyntheticTrackerRow], attribute: str) -> float:
    known = [getattr(r, attribute) for r in rows if getattr(r, attribute) is not None]
    return sum(known) / len(known)


def _delay_hours(row: SyntheticTrackerRow) -> float:
    return (row.idva_visit_at - row.police_visit_at).total_seconds() / 3600


def test_idva_support_acceptance_is_about_85_9_percent(sample: SyntheticDataset) -> None:
    assert abs(_rate(list(sample.tracker_rows), "idva_support_accepted") - 0.859) <= 0.03


def test_prosecution_support_acceptance_is_about_43_7_percent(sample: SyntheticDataset) -> None:
    assert abs(_rate(list(sample.tracker_rows), "prosecution_support_accepted") - 0.437) <= 0.04


def test_engagement_is_about_41_and_67_percent(sample: SyntheticDataset) -> None:
    rows = list(sample.tracker_rows)

    assert abs(_rate(rows, "engaged_investigation") - 0.41) <= 0.04
    assert abs(_rate(rows, "engaged_safeguarding") - 0.67) <= 0.04


def test_about_65_percent_are_seen_within_24_hours(sample: SyntheticDataset) -> None:
    within = sum(_delay_hours(r) <= 24 for r in sample.tracker_rows)

    assert abs(within / len(sample.tracker_rows) - 0.65) <= 0.05


def test_acceptance_falls_with_delay(sample: SyntheticDataset) -> None:
    rows = list(sample.tracker_rows)
    within = [r for r in rows if _delay_hours(r) <= 24]
    week = [r for r in rows if 24 < _delay_hours(r) <= 168]
    later = [r for r in rows if _delay_hours(r) > 168]

    assert _rate(within, "idva_support_accepted") > _rate(week, "idva_support_accepted")
    assert _rate(week, "idva_support_accepted") > _rate(later, "idva_support_accepted")
    assert _rate(within, "idva_support_accepted") - _rate(rows, "idva_support_accepted") > 0.01


def test_acceptance_falls_through_the_day(sample: SyntheticDataset) -> None:
    rows = list(sample.tracker_rows)
    morning = [r for r in rows if r.idva_visit_at.astimezone(LONDON).hour < 12]
    evening = [r for r in rows if r.idva_visit_at.astimezone(LONDON).hour >= 17]

    assert _rate(morning, "idva_support_accepted") > _rate(evening, "idva_support_accepted")
    assert _rate(morning, "prosecution_support_accepted") > _rate(
        evening, "prosecution_support_accepted"
    )


def test_modes_are_mostly_post_incident_with_live_and_consultation(
    sample: SyntheticDataset,
) -> None:
    modes = Counter(r.mode for r in sample.tracker_rows)
    total = len(sample.tracker_rows)

    assert 0.6 <= modes["post-incident"] / total <= 0.8
    assert 0.15 <= modes["live"] / total <= 0.35
    assert 0 < modes["consultation"] / total <= 0.1


def test_about_four_to_five_visits_per_shift(sample: SyntheticDataset) -> None:
    assert 3.8 <= len(sample.tracker_rows) / len(sample.shifts) <= 5.0


def test_some_answers_are_blank(sample: SyntheticDataset) -> None:
    assert any(r.idva_support_accepted is None for r in sample.tracker_rows)
    assert any(r.previously_engaged_safeguarding is not None for r in sample.tracker_rows)
