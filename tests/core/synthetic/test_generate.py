"""The generator is deterministic, marks everything synthetic and respects go-live and shifts."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from provide.core.synthetic import (
    SyntheticDataset,
    generate_dataset,
    is_valid_nhs_number,
    lancashire_bcus,
)
from provide.core.synthetic.generate import generate_exact
from provide.core.synthetic.sampling import LONDON


def test_same_arguments_give_an_identical_dataset() -> None:
    first = generate_dataset(start_on=date(2023, 4, 1), days=20, seed=42)
    second = generate_dataset(start_on=date(2023, 4, 1), days=20, seed=42)

    assert first == second


def test_a_different_seed_gives_different_data() -> None:
    first = generate_dataset(start_on=date(2023, 4, 1), days=5, seed=1, bcus=("West",))
    second = generate_dataset(start_on=date(2023, 4, 1), days=5, seed=2, bcus=("West",))

    assert first.investigations != second.investigations


def test_a_bcu_generates_the_same_whichever_other_bcus_are_asked_for() -> None:
    alone = generate_dataset(start_on=date(2023, 4, 1), days=10, seed=3, bcus=("South",))
    together = generate_dataset(start_on=date(2023, 4, 1), days=10, seed=3)

    assert alone.investigations == tuple(i for i in together.investigations if i.bcu == "South")


def test_every_person_is_synthetic_with_a_test_range_nhs_number(sample: SyntheticDataset) -> None:
    assert sample.people
    assert all(person.synthetic is True for person in sample.people)
    numbers = [p.nhs_number for p in sample.people if p.nhs_number is not None]
    assert numbers
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)
    assert all(p.safe_phone.startswith("07700 900") for p in sample.people if p.safe_phone)


def test_nhs_check_digit_is_modulus_11() -> None:
    # Given the NHS Data Dictionary's worked example 943 476 5919
    assert is_valid_nhs_number("9434765919")
    assert not is_valid_nhs_number("9434765918")


def test_every_reference_is_marked_synthetic_and_unique(sample: SyntheticDataset) -> None:
    refs = [i.investigation_ref for i in sample.investigations]

    assert all(ref.startswith("SYN") for ref in refs)
    assert len(set(refs)) == len(refs)
    assert all(t.tracker_id.startswith("SYN") for t in sample.tracker_rows)
    assert all(e.custody_ref.startswith("SYN") for e in sample.custody_events)


def test_every_reference_between_records_resolves(sample: SyntheticDataset) -> None:
    people = {p.person_ref: p for p in sample.people}
    investigations = {i.investigation_ref: i for i in sample.investigations}

    assert all(i.victim_ref in people and i.suspect_ref in people for i in sample.investigations)
    assert all(people[i.victim_ref].role == "victim" for i in sample.investigations)
    assert all(t.investigation_ref in investigations for t in sample.tracker_rows)
    assert all(
        investigations[t.investigation_ref].victim_ref == t.victim_ref for t in sample.tracker_rows
    )
    assert all(e.investigation_ref in investigations for e in sample.custody_events)


def test_timestamps_are_aware_utc_and_ordered(sample: SyntheticDataset) -> None:
    for inv in sample.investigations:
        assert inv.recorded_at.utcoffset() == timedelta(0)
        assert inv.first_police_visit_at >= inv.recorded_at
    for row in sample.tracker_rows:
        assert row.idva_visit_at >= row.police_visit_at


def test_volume_and_risk_mix_are_plausible(sample: SyntheticDataset) -> None:
    per_day_per_bcu = len(sample.investigations) / 90 / 3
    grades = Counter(i.risk_grade for i in sample.investigations)
    total = len(sample.investigations)

    assert 22 <= per_day_per_bcu <= 29
    assert 0.10 <= grades["high"] / total <= 0.15
    assert 0.31 <= grades["medium"] / total <= 0.39
    assert (
        0.55 <= sum(i.crime_or_incident == "crime" for i in sample.investigations) / total <= 0.65
    )


def test_about_a_third_of_investigations_are_repeat_victims(sample: SyntheticDataset) -> None:
    last_seen: dict[str, object] = {}
    repeats = 0
    for inv in sample.investigations:
        previous = last_seen.get(inv.victim_ref)
        if previous is not None and inv.recorded_at - previous <= timedelta(days=365):  # type: ignore[operator]
            repeats += 1
        last_seen[inv.victim_ref] = inv.recorded_at

    assert 0.30 <= repeats / len(sample.investigations) <= 0.40


def test_some_suspects_offend_against_several_victims(sample: SyntheticDataset) -> None:
    victims: dict[str, set[str]] = {}
    for inv in sample.investigations:
        victims.setdefault(inv.suspect_ref, set()).add(inv.victim_ref)

    assert sum(len(v) >= 2 for v in victims.values()) >= 20


def test_dash_answers_agree_with_the_yes_count(sample: SyntheticDataset) -> None:
    dash = [i for i in sample.investigations if i.risk_tool == "DASH"]

    assert dash
    for inv in dash:
        assert inv.dash_answers is not None and len(inv.dash_answers) == 27
        assert inv.dash_answers.count("yes") == inv.dash_yes_count
    assert all(i.dash_answers is None for i in sample.investigations if i.risk_tool == "DARA")


def test_recent_crimes_are_open_and_non_crimes_have_no_outcome(sample: SyntheticDataset) -> None:
    last_week = sample.end_at - timedelta(days=7)
    recent = [i for i in sample.investigations if i.recorded_at >= last_week]

    assert sum(i.outcome_code is not None for i in recent) < 0.1 * len(recent)
    assert all(
        i.outcome_code is None for i in sample.investigations if i.crime_or_incident == "non-crime"
    )
    closed = [i for i in sample.investigations if i.outcome_code is not None]
    assert all(i.outcome_on is not None and i.outcome_on < sample.end_on for i in closed)


def test_tracker_rows_only_from_each_bcus_go_live(across_go_live: SyntheticDataset) -> None:
    go_live = {bcu.name: bcu.go_live_on for bcu in lancashire_bcus()}
    east_rows = [t for t in across_go_live.tracker_rows if t.bcu == "East"]

    assert east_rows
    for row in across_go_live.tracker_rows:
        assert row.idva_visit_at.astimezone(LONDON).date() >= go_live[row.bcu]
    for shift in across_go_live.shifts:
        assert shift.on_date >= go_live[shift.bcu]


def test_no_tracker_rows_before_any_go_live() -> None:
    dataset = generate_dataset(start_on=date(2019, 4, 1), days=30, seed=5)

    assert dataset.tracker_rows == ()
    assert dataset.shifts == ()
    assert dataset.investigations


def test_every_visit_happens_within_one_of_its_teams_shifts(sample: SyntheticDataset) -> None:
    shifts = {(s.bcu, s.team_name, s.on_date, s.pattern): s for s in sample.shifts}

    for row in sample.tracker_rows:
        on_date = row.idva_visit_at.astimezone(LONDON).date()
        shift = shifts[(row.bcu, row.team_name, on_date, row.shift_pattern)]
        assert shift.starts_at <= row.idva_visit_at <= shift.ends_at
        assert row.idva == shift.idva_name


def test_shifts_run_early_and_late_in_local_time(sample: SyntheticDataset) -> None:
    hours = {
        (s.pattern, s.starts_at.astimezone(LONDON).hour, s.ends_at.astimezone(LONDON).hour)
        for s in sample.shifts
    }
    per_day = Counter((s.bcu, s.on_date) for s in sample.shifts)

    assert hours == {("early", 7, 15), ("late", 14, 22)}
    assert {n for (bcu, _), n in per_day.items() if bcu != "West"} == {2}
    assert {n for (bcu, _), n in per_day.items() if bcu == "West"} == {2, 3}


def test_generate_exact_gives_exactly_the_number_asked_for() -> None:
    dataset = generate_exact(investigations=777, start_on=date(2023, 4, 1), seed=9)
    refs = {i.investigation_ref for i in dataset.investigations}
    people = {p.person_ref for p in dataset.people}

    assert len(dataset.investigations) == 777
    assert all(t.investigation_ref in refs for t in dataset.tracker_rows)
    assert all(i.victim_ref in people for i in dataset.investigations)
