"""Joint-team rosters and shifts: early and late, from each BCU's go-live, in local time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from provide.core.synthetic.geography import lancashire_bcus
from provide.core.synthetic.names import build_name_pools
from provide.core.synthetic.sampling import stream
from provide.core.synthetic.shifts import (
    IDVAS_PER_BCU,
    OFFICERS_PER_BCU,
    Roster,
    build_roster,
    generate_shifts,
)

WEST, SOUTH, EAST = lancashire_bcus()
POOLS = build_name_pools(seed=1, size=50)


def roster_for(bcu_name: str) -> Roster:
    bcu = {b.name: b for b in lancashire_bcus()}[bcu_name]
    return build_roster(stream(1, "roster"), POOLS, bcu)


def test_a_roster_has_the_bcus_officers_and_idvas() -> None:
    roster = roster_for("West")
    assert len(roster.officers) == OFFICERS_PER_BCU and len(roster.idvas) == IDVAS_PER_BCU["West"]
    assert all(name.startswith("PC ") for name in roster.officers)
    assert roster == roster_for("West")


def test_west_has_a_second_late_team_from_thursday_to_sunday() -> None:
    monday = date(2023, 1, 9)
    shifts = generate_shifts(bcu=WEST, start_on=monday, days=7, roster=roster_for("West"))
    per_day = {monday + timedelta(days=d): 0 for d in range(7)}
    for shift in shifts:
        per_day[shift.on_date] += 1
    assert list(per_day.values()) == [2, 2, 2, 3, 3, 3, 3]
    assert {s.pattern for s in shifts if s.team_name == "West B"} == {"late"}


def test_shifts_are_local_time_so_they_move_in_utc_with_the_clocks() -> None:
    winter = generate_shifts(
        bcu=SOUTH, start_on=date(2023, 1, 10), days=1, roster=roster_for("South")
    )
    summer = generate_shifts(
        bcu=SOUTH, start_on=date(2023, 6, 13), days=1, roster=roster_for("South")
    )
    assert [(s.pattern, s.starts_at, s.ends_at) for s in winter] == [
        ("early", datetime(2023, 1, 10, 7, tzinfo=UTC), datetime(2023, 1, 10, 15, tzinfo=UTC)),
        ("late", datetime(2023, 1, 10, 14, tzinfo=UTC), datetime(2023, 1, 10, 22, tzinfo=UTC)),
    ]
    assert summer[0].starts_at == datetime(2023, 6, 13, 6, tzinfo=UTC)


def test_no_shift_before_go_live_and_shifts_come_in_time_order() -> None:
    shifts = generate_shifts(
        bcu=EAST, start_on=EAST.go_live_on - timedelta(days=3), days=5, roster=roster_for("East")
    )
    assert min(s.on_date for s in shifts) == EAST.go_live_on
    assert [s.starts_at for s in shifts] == sorted(s.starts_at for s in shifts)


def test_each_shift_has_a_rostered_officer_and_idva_and_a_station_base() -> None:
    roster = roster_for("West")
    stations = {(station.name, station.lat, station.lon) for station in WEST.stations}
    for shift in generate_shifts(bcu=WEST, start_on=date(2023, 1, 9), days=14, roster=roster):
        assert shift.officer_name in roster.officers and shift.idva_name in roster.idvas
        assert (shift.base_name, shift.base_lat, shift.base_lon) in stations
        assert shift.vehicle.startswith(f"{WEST.code} Provide car ")
