"""Visits in the API: the shared joint record, the same fields for police and health roles and
never a health-side one; the caller's area only (by the investigation's BCU or the shift's
team); every read audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from provide.areas.models import Station
from provide.audit.models import AuditEvent
from provide.people.models import Person
from provide.planning.models import Shift, Team
from provide.visits.models import Visit
from tests.audit_assertions import assert_audited, assert_records_read
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def east_visit(east_case: dict[str, Any]) -> Visit:
    return Visit.objects.create(
        mode="post-incident",
        investigation=east_case["investigation"],
        victim=east_case["victim"],
        arrived_at=timezone.now() - dt.timedelta(hours=2),
        contact_result="declined",
    )


def test_a_bcu_role_lists_its_bcus_visits_and_each_page_is_one_audit_event(
    personas: dict[str, Any], west_case: dict[str, Any], east_visit: Visit
) -> None:
    officer = personas["joint_team_officer"]
    west = str(west_case["visit"].public_id)
    assert _ids(_api(officer).get("/api/visits/")) == [west]
    assert_records_read("visits.visit_listed", pages=[[west]], actor=officer)
    assert _ids(_api(personas["health_idva"]).get("/api/visits/")) == [west]
    everywhere = _ids(_api(personas["idva_manager"]).get("/api/visits/"))
    assert set(everywhere) == {west, str(east_visit.public_id)}


def test_a_visit_on_a_shift_of_the_bcus_team_is_in_the_area_without_an_investigation(
    personas: dict[str, Any], areas: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    now = timezone.now()
    team = Team.objects.create(
        name="West A",
        bcu=areas["west"],
        base=Station.objects.get(name="Blackpool Police HQ"),
        vehicle="PV1",
    )
    shift = Shift.objects.create(
        team=team, on_date=now.date(), pattern="early",
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=7),
    )  # fmt: skip
    victim = Person.objects.create(given_name="Vera", family_name="Walkin", synthetic=True)
    visit = Visit.objects.create(mode="live", victim=victim, shift=shift, planned_at=now)
    body = _api(personas["joint_team_officer"]).get(f"/api/visits/{visit.public_id}/").json()
    assert body["id"] == str(visit.public_id) and body["investigation"] is None
    east_officer = make_user("joint_team_officer", bcu="east", username="east.officer")
    assert _api(east_officer).get(f"/api/visits/{visit.public_id}/").status_code == 404
    assert str(visit.public_id) not in _ids(_api(east_officer).get("/api/visits/"))


def test_reading_a_visit_is_audited_and_another_bcus_visit_is_not_found(
    personas: dict[str, Any], west_case: dict[str, Any], east_visit: Visit
) -> None:
    officer, visit = personas["joint_team_officer"], west_case["visit"]
    api = _api(officer)
    one = api.get(f"/api/visits/{visit.public_id}/")
    assert one.status_code == 200
    assert one.json()["victim"] == str(west_case["victim"].public_id)
    assert one.json()["investigation"] == str(west_case["investigation"].public_id)
    assert_audited("visits.visit_viewed", action="view", actor=officer, subject=visit)
    assert api.get(f"/api/visits/{east_visit.public_id}/").status_code == 404
    assert api.get("/api/visits/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.get("/api/visits/not-a-uuid/").status_code == 404
    assert not AuditEvent.objects.filter(object_id=str(east_visit.public_id)).exists()


def test_police_and_health_roles_get_the_same_shared_fields_and_no_health_side_data(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    url = f"/api/visits/{west_case['visit'].public_id}/"
    answers = {
        role: _api(personas[role]).get(url) for role in ("joint_team_officer", "health_idva")
    }
    police, health = (answers[role].json() for role in ("joint_team_officer", "health_idva"))
    assert police == health
    assert police["contact_result"] == "engaged" and police["support_accepted"] is True
    for response in answers.values():
        for secret in HEALTH_SECRETS.values():
            assert secret not in response.content.decode()
    assert "notes" not in police and "idva_support_accepted" not in police


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_roles_without_the_visit_permission_are_refused(
    personas: dict[str, Any], west_case: dict[str, Any], role: str
) -> None:
    api = _api(personas[role])
    listed = api.get("/api/visits/")
    assert listed.status_code == 403 and listed.json() == {"detail": "Your role cannot see visits."}
    assert api.get(f"/api/visits/{west_case['visit'].public_id}/").status_code == 403
    assert not AuditEvent.objects.filter(event__startswith="visits.").exists()


def test_visits_are_read_only_here(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    api = _api(personas["joint_team_officer"])
    visit = west_case["visit"]
    url = f"/api/visits/{visit.public_id}/"
    assert api.post("/api/visits/", {}, content_type="application/json").status_code == 405
    changed = api.patch(url, {"contact_result": "declined"}, content_type="application/json")
    assert changed.status_code == 405
    visit.refresh_from_db()
    assert visit.contact_result == "engaged"
