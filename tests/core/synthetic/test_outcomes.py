"""Crime outcomes: closed after about 40 days, charged when remanded, never for incidents."""

from __future__ import annotations

from provide.core.synthetic import SyntheticDataset
from provide.core.synthetic.outcomes import OUTCOME_WEIGHTS, POSITIVE_OUTCOMES
from provide.core.synthetic.sampling import LONDON


def test_incidents_have_no_outcome_and_outcomes_fall_inside_the_window(
    sample: SyntheticDataset,
) -> None:
    for investigation in sample.investigations:
        if investigation.crime_or_incident == "non-crime":
            assert investigation.outcome_code is None and investigation.outcome_on is None
        elif investigation.outcome_code is not None:
            assert investigation.outcome_on is not None
            assert investigation.outcome_on < sample.end_on
            assert investigation.outcome_on >= investigation.recorded_at.astimezone(LONDON).date()


def test_outcome_codes_are_the_home_office_codes_in_use(sample: SyntheticDataset) -> None:
    codes = {i.outcome_code for i in sample.investigations if i.outcome_code}
    assert codes <= set(OUTCOME_WEIGHTS)
    assert set(OUTCOME_WEIGHTS) | {"1A", "2", "3", "4", "6", "7", "8"} >= POSITIVE_OUTCOMES


def test_recent_crimes_are_still_open(sample: SyntheticDataset) -> None:
    last_week = [
        i
        for i in sample.investigations
        if i.crime_or_incident == "crime"
        and (sample.end_on - i.recorded_at.astimezone(LONDON).date()).days <= 2
    ]
    assert last_week
    closed = [i for i in last_week if i.outcome_code is not None]
    assert all(i.outcome_code == "1" for i in closed)  # only a charge closes one so soon
