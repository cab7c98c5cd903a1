"""The shared cast: one persona per role, a West case with a health-side record, and an East
case outside West users' area. Loaded by conftest.py when Django is configured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_SLUG
from provide.accounts.services import user_create
from provide.areas.models import Area, Station
from provide.health.models import HealthAppointment, HealthIdentity, SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.visits.models import Visit

PASSWORD = "correct-horse-battery-staple"
HEALTH_SECRETS = {
    "notes": "HEALTHNOTE-7f3a disclosed to the IDVA only",
    "nhs_number": "9990000018",
    "appointment": "HEALTHAPPT-Whitegate Surgery",
}
BCU_SCOPED = {"response_officer", "triage_sergeant", "joint_team_officer", "health_idva"}


@pytest.fixture
def areas(db: Any) -> dict[str, Area]:
    force = Area.objects.create(name="Lancashire", kind=Area.Kind.FORCE)
    west = Area.objects.create(
        name="West", kind=Area.Kind.BCU, parent=force, go_live_on=dt.date(2020, 4, 1)
    )
    east = Area.objects.create(
        name="East", kind=Area.Kind.BCU, parent=force, go_live_on=dt.date(2023, 1, 9)
    )
    blackpool = Area.objects.create(
        name="Blackpool", kind=Area.Kind.DISTRICT, parent=west, latitude=53.8175, longitude=-3.0357
    )
    burnley = Area.objects.create(name="Burnley", kind=Area.Kind.DISTRICT, parent=east)
    Station.objects.create(name="Blackpool Police HQ", bcu=west, latitude=53.808, longitude=-3.04)
    return {"west": west, "east": east, "blackpool": blackpool, "burnley": burnley}


@pytest.fixture
def make_user(areas: dict[str, Area]) -> Callable[..., User]:
    def make(slug: str, *, bcu: str | None = "west", username: str | None = None) -> User:
        role = ROLES_BY_SLUG[slug]
        return user_create(
            username=username or slug.replace("_", "."),
            password=PASSWORD,
            role=role,
            first_name=role.name.split()[0],
            last_name="Persona",
            bcu=areas[bcu] if (bcu and slug in BCU_SCOPED) else None,
        )

    return make


@pytest.fixture
def personas(make_user: Callable[..., User]) -> dict[str, User]:
    return {role.slug: make_user(role.slug) for role in ALL_ROLES}


@pytest.fixture
def west_case(areas: dict[str, Area]) -> dict[str, Any]:
    """A West victim with an investigation, a joint visit and the IDVA's health-side record."""
    now = timezone.now()
    victim = Person.objects.create(
        force_person_ref="P-W-1",
        given_name="Alice",
        family_name="Westby",
        postcode="FY1 1AA",
        district=areas["blackpool"],
        safe_phone="07700 900123",
        suspect_may_answer=True,
        no_messages=True,
        synthetic=True,
    )
    suspect = Person.objects.create(
        force_person_ref="P-W-2", given_name="Mal", family_name="Westby", synthetic=True
    )
    investigation = Investigation.objects.create(
        investigation_ref="WB/2026/000001",
        recorded_at=now - dt.timedelta(hours=5),
        first_police_visit_at=now - dt.timedelta(hours=4),
        bcu=areas["west"],
        district=areas["blackpool"],
        victim=victim,
        suspect=suspect,
        risk_grade="high",
    )
    visit = Visit.objects.create(
        mode="post-incident",
        investigation=investigation,
        victim=victim,
        arrived_at=now - dt.timedelta(hours=1),
        contact_result="engaged",
        support_accepted=True,
    )
    record = SupportRecord.objects.create(
        tracker_id="T-1",
        visit=visit,
        investigation=investigation,
        victim=victim,
        bcu=areas["west"],
        idva_visit_at=now - dt.timedelta(hours=1),
        idva_support_accepted=True,
        notes=HEALTH_SECRETS["notes"],
    )
    HealthIdentity.objects.create(person=victim, nhs_number=HEALTH_SECRETS["nhs_number"])
    appointment = HealthAppointment.objects.create(
        person=victim,
        starts_at=now + dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=1, hours=1),
        location_name=HEALTH_SECRETS["appointment"],
    )
    return {
        "victim": victim,
        "investigation": investigation,
        "visit": visit,
        "support_record": record,
        "appointment": appointment,
    }


@pytest.fixture
def east_case(areas: dict[str, Area]) -> dict[str, Any]:
    victim = Person.objects.create(
        force_person_ref="P-E-1", given_name="Erin", family_name="Eastwood", synthetic=True
    )
    investigation = Investigation.objects.create(
        investigation_ref="EB/2026/000001",
        recorded_at=timezone.now() - dt.timedelta(hours=3),
        bcu=areas["east"],
        district=areas["burnley"],
        victim=victim,
        risk_grade="medium",
    )
    return {"victim": victim, "investigation": investigation}
