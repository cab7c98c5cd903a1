"""The custody feed: arrests after the police visit, releases before the custody clock ends."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from provide.core.synthetic import SyntheticDataset
from provide.core.synthetic.custody import SyntheticCustodyEvent
from provide.core.synthetic.sampling import LONDON


def episodes(sample: SyntheticDataset) -> dict[str, list[SyntheticCustodyEvent]]:
    by_ref: dict[str, list[SyntheticCustodyEvent]] = defaultdict(list)
    for event in sample.custody_events:
        by_ref[event.custody_ref].append(event)
    return by_ref


def test_each_episode_is_an_arrest_then_at_most_one_release(sample: SyntheticDataset) -> None:
    for events in episodes(sample).values():
        assert events[0].event == "arrested" and events[0].expected_release_at is not None
        assert len(events) <= 2
        if len(events) == 2:
            arrest, release = events
            assert release.event != "arrested" and release.expected_release_at is None
            assert arrest.event_at <= release.event_at <= arrest.expected_release_at


def test_the_custody_clock_runs_24_to_36_hours(sample: SyntheticDataset) -> None:
    for events in episodes(sample).values():
        arrest = events[0]
        assert arrest.expected_release_at is not None
        clock = arrest.expected_release_at - arrest.event_at
        assert timedelta(hours=23, minutes=45) <= clock <= timedelta(hours=36, minutes=15)


def test_arrests_follow_the_first_police_visit_within_three_days_and_end_of_window(
    sample: SyntheticDataset,
) -> None:
    investigations = {i.investigation_ref: i for i in sample.investigations}
    for events in episodes(sample).values():
        arrest = events[0]
        visit = investigations[arrest.investigation_ref].first_police_visit_at
        assert visit - timedelta(minutes=1) <= arrest.event_at <= visit + timedelta(hours=72)
        assert all(event.event_at < sample.end_at for event in events)


def test_a_remand_charges_the_crime_on_that_day(sample: SyntheticDataset) -> None:
    investigations = {i.investigation_ref: i for i in sample.investigations}
    remands = [
        e
        for e in sample.custody_events
        if e.event == "charged_remanded"
        and investigations[e.investigation_ref].crime_or_incident == "crime"
    ]
    assert remands
    for remand in remands:
        investigation = investigations[remand.investigation_ref]
        assert investigation.outcome_code == "1"
        assert investigation.outcome_on == remand.event_at.astimezone(LONDON).date()


def test_high_risk_suspects_are_arrested_more_often(sample: SyntheticDataset) -> None:
    arrested = {e.investigation_ref for e in sample.custody_events}
    crimes = [i for i in sample.investigations if i.crime_or_incident == "crime"]

    def rate(grade: str) -> float:
        graded = [i for i in crimes if i.risk_grade == grade]
        return sum(i.investigation_ref in arrested for i in graded) / len(graded)

    assert rate("high") > rate("medium") > rate("standard")


def test_only_crimes_are_charged(sample: SyntheticDataset) -> None:
    investigations = {i.investigation_ref: i for i in sample.investigations}
    charged = {
        investigations[e.investigation_ref].crime_or_incident
        for e in sample.custody_events
        if e.event == "charged_remanded"
    }
    assert charged == {"crime"}
