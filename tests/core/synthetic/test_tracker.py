"""The IDVA tracker rows: joint-team visits on shift, their modes and the answers recorded."""

from __future__ import annotations

from provide.core.synthetic import SyntheticDataset


def test_every_visit_is_made_after_police_attendance_by_the_shifts_idva(
    sample: SyntheticDataset,
) -> None:
    shifts = {(s.team_name, s.pattern, s.on_date): s for s in sample.shifts}
    for row in sample.tracker_rows:
        assert row.idva_visit_at >= row.police_visit_at
        matching = [
            s
            for (team, pattern, _), s in shifts.items()
            if team == row.team_name
            and pattern == row.shift_pattern
            and s.starts_at <= row.idva_visit_at <= s.ends_at
        ]
        assert [s.idva_name for s in matching] == [row.idva]


def test_rows_point_at_their_investigation_and_its_victim(sample: SyntheticDataset) -> None:
    victims = {i.investigation_ref: i.victim_ref for i in sample.investigations}
    for row in sample.tracker_rows:
        assert victims[row.investigation_ref] == row.victim_ref


def test_consultations_are_at_the_police_station(sample: SyntheticDataset) -> None:
    consultations = [row for row in sample.tracker_rows if row.mode == "consultation"]
    assert consultations and all(row.place_type == "police_station" for row in consultations)


def test_a_no_contact_visit_records_no_answers_and_no_services(sample: SyntheticDataset) -> None:
    no_contact = [row for row in sample.tracker_rows if row.contact_result == "no_contact"]
    assert no_contact
    for row in no_contact:
        assert row.mode == "post-incident"
        assert (row.idva_support_offered, row.idva_support_accepted, row.engaged_safeguarding) == (
            None,
            None,
            None,
        )
        assert row.services == () and row.referrals == ()


def test_accepted_support_was_offered_first(sample: SyntheticDataset) -> None:
    for row in sample.tracker_rows:
        if row.idva_support_accepted:
            assert row.idva_support_offered is not False
        if row.prosecution_support_accepted:
            assert row.prosecution_support_offered is not False


def test_tracker_ids_are_unique_and_name_the_bcu(sample: SyntheticDataset) -> None:
    codes = {bcu.name: bcu.code for bcu in sample.bcus}
    ids = [row.tracker_id for row in sample.tracker_rows]
    assert len(set(ids)) == len(ids)
    assert all(f"-{codes[row.bcu]}-" in row.tracker_id for row in sample.tracker_rows)
