"""What a rota manager sees: the teams and staff of their BCU (every BCU for a force-wide
manager), a week of shifts, and the skills the planner can read for a shift."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from provide.accounts.roles import HEALTH_IDVA
from provide.planning.models import Shift
from provide.rota import selectors, services
from provide.rota.models import Absence
from provide.shared.access import RecordNotFound
from tests.rota.conftest import DAY, NOW, WEEK, Rota, shift_kwargs

pytestmark = pytest.mark.django_db


def test_week_starts_on_monday() -> None:
    assert selectors.week_start_of(dt.date(2026, 3, 15)) == WEEK  # a Sunday
    assert selectors.week_start_of(WEEK) == WEEK


def test_a_sergeant_sees_only_their_bcus_teams_and_staff(rota: Rota, sergeant: Any) -> None:
    assert [t.name for t in selectors.team_list_for(user=sergeant)] == ["West A", "West B"]
    assert {u.username for u in selectors.staff_list_for(user=sergeant)} == {
        "pc.jones",
        "pc.khan",
        "sam.idva",
        "kit.idva",
    }
    with pytest.raises(RecordNotFound):
        selectors.team_get_for(user=sergeant, team_id=rota.east_a.public_id)
    with pytest.raises(RecordNotFound):
        selectors.staff_get_for(user=sergeant, staff_id=rota.east_idva.public_id)


def test_a_force_wide_manager_sees_every_bcu(rota: Rota, manager: Any) -> None:
    assert [t.name for t in selectors.team_list_for(user=manager)] == ["East A", "West A", "West B"]
    assert (
        selectors.staff_get_for(user=manager, staff_id=rota.east_idva.public_id) == rota.east_idva
    )


@pytest.mark.parametrize(
    "slug", ["response_officer", "analyst", "joint_team_officer", "health_idva"]
)
def test_other_roles_see_nothing(rota: Rota, make_user: Any, slug: str) -> None:
    user = make_user(slug)
    assert not selectors.team_list_for(user=user).exists()
    assert not selectors.staff_list_for(user=user).exists()
    assert selectors.rota_week_for(user=user, week_start=WEEK) == []


def test_staff_of_one_role_and_one_bcu(rota: Rota, manager: Any, areas: Any) -> None:
    idvas = selectors.staff_list_for(user=manager, role=HEALTH_IDVA, bcu=areas["west"])
    assert [u.username for u in idvas] == ["sam.idva", "kit.idva"]  # by surname: Ahmed, Nowak


def test_a_shift_of_another_bcu_is_not_found(rota: Rota, manager: Any, sergeant: Any) -> None:
    east = services.shift_create(
        actor=manager,
        **shift_kwargs(rota, team=rota.east_a, officer=rota.east_officer, idva=rota.east_idva),
    )
    assert selectors.shift_get_for(user=manager, shift_id=east.public_id) == east
    with pytest.raises(RecordNotFound):
        selectors.shift_get_for(user=sergeant, shift_id=east.public_id)
    with pytest.raises(RecordNotFound):
        selectors.shift_get_for(user=sergeant, shift_id="not-a-uuid")


def test_the_week_lays_out_each_team_day_by_day_in_two_queries(rota: Rota, sergeant: Any) -> None:
    shift = services.shift_create(actor=sergeant, **shift_kwargs(rota, pattern="late"))
    with CaptureQueriesContext(connection) as queries:
        weeks = selectors.rota_week_for(user=sergeant, week_start=WEEK)
    assert len(queries) <= 3  # the role check, the teams, the shifts
    assert [w.team.name for w in weeks] == ["West A", "West B"]
    tuesday = weeks[0].days[1]
    assert tuesday.day == DAY
    assert [(pattern, found) for pattern, _, found in tuesday.shifts] == [
        ("early", None),
        ("late", shift),
    ]
    assert len(weeks[0].days) == 7
    assert all(found is None for day in weeks[1].days for _, _, found in day.shifts)


def test_absences_overlapping_the_week_in_scope(rota: Rota, manager: Any, sergeant: Any) -> None:
    def away(person: Any, first: dt.date, last: dt.date) -> Absence:
        return services.absence_record(
            actor=manager, staff=person, starts_on=first, ends_on=last, kind="leave", as_of=NOW
        ).absence

    spans_start = away(rota.officer, WEEK - dt.timedelta(days=3), WEEK)
    away(rota.idva, WEEK - dt.timedelta(days=5), WEEK - dt.timedelta(days=1))  # the week before
    east = away(rota.east_idva, DAY, DAY)
    week_end = WEEK + dt.timedelta(days=6)
    assert list(selectors.absence_list_for(user=sergeant, starts_on=WEEK, ends_on=week_end)) == [
        spans_start
    ]
    assert set(selectors.absence_list_for(user=manager, starts_on=WEEK, ends_on=week_end)) == {
        spans_start,
        east,
    }
    with pytest.raises(RecordNotFound):
        selectors.absence_get_for(user=sergeant, absence_id=east.public_id)


def test_staff_rows_carry_role_and_skills(rota: Rota, sergeant: Any) -> None:
    services.staff_profile_update(
        actor=sergeant, staff=rota.idva, languages=["Punjabi", "Urdu"], gender="female"
    )
    rows = {row.person.username: row for row in selectors.staff_rows_for(user=sergeant)}
    assert (rows["sam.idva"].role, rows["sam.idva"].languages, rows["sam.idva"].gender) == (
        "Health IDVA",
        ("Punjabi", "Urdu"),
        "Female",
    )
    assert (rows["pc.jones"].role, rows["pc.jones"].languages, rows["pc.jones"].gender) == (
        "Joint-team officer",
        (),
        "",
    )


def test_the_planner_reads_a_shifts_languages_and_genders(rota: Rota, manager: Any) -> None:
    shift = services.shift_create(actor=manager, **shift_kwargs(rota))
    services.staff_profile_update(
        actor=manager, staff=rota.idva, languages=["Punjabi", "Urdu"], gender="female"
    )
    services.staff_profile_update(
        actor=manager, staff=rota.officer, languages=["Polish"], gender=""
    )
    services.staff_profile_update(
        actor=manager, staff=rota.idva_2, languages=["Arabic"], gender="male"
    )
    assert selectors.team_skills_for(shift) == frozenset({"Punjabi", "Urdu", "Polish"})
    assert selectors.team_genders_for(shift) == frozenset({"female"})


def test_an_unstaffed_shift_has_no_skills(rota: Rota) -> None:
    shift = Shift(team=rota.west_a, on_date=DAY, pattern="early")
    assert selectors.team_skills_for(shift) == frozenset()
    assert selectors.team_genders_for(shift) == frozenset()


def test_overlaps_and_rostered_days(rota: Rota, manager: Any) -> None:
    early = services.shift_create(actor=manager, **shift_kwargs(rota))
    assert (
        list(
            selectors.overlapping_shifts(
                person=rota.idva,
                starts_at=early.ends_at,
                ends_at=early.ends_at + dt.timedelta(hours=8),
            )
        )
        == []
    )  # a shift starting as this one ends does not overlap
    assert (
        list(
            selectors.overlapping_shifts(
                person=rota.idva, starts_at=early.starts_at, ends_at=early.ends_at, excluding=early
            )
        )
        == []
    )
    assert selectors.shifts_during(person=rota.officer, starts_on=WEEK, ends_on=DAY) == [early]
    assert selectors.shifts_during(person=rota.officer_2, starts_on=WEEK, ends_on=DAY) == []
