"""The rota's cast: two West teams and an East team, and the officers and IDVAs who staff
them. The rota is planned on Tuesday 10 March 2026 (GMT, so local time is UTC) as of
Monday 9 March at noon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from provide.accounts.models import User
from provide.areas.models import Area, Station
from provide.planning.models import Team

NOW = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.UTC)
WEEK = dt.date(2026, 3, 9)  # a Monday
DAY = dt.date(2026, 3, 10)


@dataclass
class Rota:
    west_a: Team
    west_b: Team
    east_a: Team
    officer: User
    officer_2: User
    idva: User
    idva_2: User
    east_officer: User
    east_idva: User


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def rota(areas: dict[str, Area], make_user: Callable[..., User]) -> Rota:
    west_base = Station.objects.get(name="Blackpool Police HQ")
    east_base = Station.objects.create(
        name="Burnley Police Station", bcu=areas["east"], latitude=53.79, longitude=-2.24
    )

    def staff(slug: str, username: str, first: str, last: str, bcu: str = "west") -> User:
        user = make_user(slug, username=username, bcu=bcu)
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
        return user

    return Rota(
        west_a=Team.objects.create(name="West A", bcu=areas["west"], base=west_base),
        west_b=Team.objects.create(name="West B", bcu=areas["west"], base=west_base),
        east_a=Team.objects.create(name="East A", bcu=areas["east"], base=east_base),
        officer=staff("joint_team_officer", "pc.jones", "Pat", "Jones"),
        officer_2=staff("joint_team_officer", "pc.khan", "Amir", "Khan"),
        idva=staff("health_idva", "sam.idva", "Sam", "Ahmed"),
        idva_2=staff("health_idva", "kit.idva", "Kit", "Nowak"),
        east_officer=staff("joint_team_officer", "pc.east", "Erin", "Eastwood", "east"),
        east_idva=staff("health_idva", "idva.east", "Ezra", "Eastham", "east"),
    )


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    """The IDVA manager: force-wide (no BCU), like the cast's."""
    return make_user("idva_manager")


@pytest.fixture
def sergeant(make_user: Callable[..., User]) -> User:
    """The West triage sergeant."""
    return make_user("triage_sergeant")


def shift_kwargs(rota: Rota, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "team": rota.west_a,
        "on_date": DAY,
        "pattern": "early",
        "officer": rota.officer,
        "idva": rota.idva,
        "as_of": NOW,
    }
    return {**values, **overrides}
