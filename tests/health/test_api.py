"""The IDVA's tracker in the API: health roles only (police, partner and analyst roles are
refused whatever they ask for), a BCU's IDVA sees their BCU only, and reading a record is
audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from provide.audit.models import AuditEvent
from provide.health.models import SupportRecord
from tests.audit_assertions import assert_audited, assert_records_read
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db

REFUSED_ROLES = [
    "response_officer",
    "triage_sergeant",
    "joint_team_officer",
    "safeguarding_officer",
    "analyst",
    "administrator",
]


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def east_record(areas: dict[str, Any], east_case: dict[str, Any]) -> SupportRecord:
    return SupportRecord.objects.create(
        tracker_id="T-E-1",
        investigation=east_case["investigation"],
        victim=east_case["victim"],
        bcu=areas["east"],
        idva_visit_at=timezone.now() - dt.timedelta(hours=2),
        notes="EASTNOTE disclosed to the East IDVA",
    )


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_idva_reads_their_bcus_records_with_the_notes(
    personas: dict[str, Any], west_case: dict[str, Any], east_record: SupportRecord
) -> None:
    record = west_case["support_record"]
    api = _api(personas["health_idva"])
    assert _ids(api.get("/api/support-records/")) == [str(record.public_id)]
    one = api.get(f"/api/support-records/{record.public_id}/")
    assert one.status_code == 200
    body = one.json()
    assert body["tracker_id"] == "T-1" and body["bcu"] == "West"
    assert body["victim"] == str(west_case["victim"].public_id)
    assert body["notes"] == HEALTH_SECRETS["notes"]


def test_a_record_in_another_bcu_is_not_found_for_a_bcu_idva(
    personas: dict[str, Any], west_case: dict[str, Any], east_record: SupportRecord
) -> None:
    response = _api(personas["health_idva"]).get(f"/api/support-records/{east_record.public_id}/")
    assert response.status_code == 404
    assert "EASTNOTE" not in response.content.decode()
    assert not AuditEvent.objects.filter(event="health.support_record_viewed").exists()


def test_the_idva_manager_sees_every_bcu(
    personas: dict[str, Any], west_case: dict[str, Any], east_record: SupportRecord
) -> None:
    api = _api(personas["idva_manager"])
    assert set(_ids(api.get("/api/support-records/"))) == {
        str(west_case["support_record"].public_id),
        str(east_record.public_id),
    }
    assert api.get(f"/api/support-records/{east_record.public_id}/").status_code == 200


def test_reading_a_record_is_audited(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    idva, record = personas["health_idva"], west_case["support_record"]
    assert _api(idva).get(f"/api/support-records/{record.public_id}/").status_code == 200
    assert_audited("health.support_record_viewed", action="view", actor=idva, subject=record)


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_police_partner_and_analyst_roles_are_refused_and_see_nothing(
    personas: dict[str, Any], west_case: dict[str, Any], role: str
) -> None:
    api = _api(personas[role])
    record = west_case["support_record"]
    for url in ("/api/support-records/", f"/api/support-records/{record.public_id}/"):
        response = api.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        text = response.content.decode()
        assert HEALTH_SECRETS["notes"] not in text and "T-1" not in text
    assert not AuditEvent.objects.filter(event__startswith="health.").exists()


def test_a_police_role_given_the_health_permission_is_still_refused(
    make_user: Callable[..., Any], west_case: dict[str, Any]
) -> None:
    """The wall is the role, not the group's permissions (accounts.policies)."""
    sergeant = make_user("triage_sergeant")
    sergeant.user_permissions.add(
        Permission.objects.get(content_type__app_label="health", codename="view_supportrecord")
    )
    sergeant = type(sergeant).objects.get(pk=sergeant.pk)  # fresh permission cache
    assert sergeant.has_perm("health.view_supportrecord")
    response = _api(sergeant).get("/api/support-records/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Health-side records are open to health roles only."}


def test_anonymous_callers_get_401(west_case: dict[str, Any]) -> None:
    assert Client().get("/api/support-records/").status_code == 401


def test_the_tracker_is_read_only(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    api = _api(personas["health_idva"])
    url = f"/api/support-records/{west_case['support_record'].public_id}/"
    assert api.post("/api/support-records/", {}, content_type="application/json").status_code == 405
    changed = api.patch(url, {"notes": "changed"}, content_type="application/json")
    assert changed.status_code == 405
    west_case["support_record"].refresh_from_db()
    assert west_case["support_record"].notes == HEALTH_SECRETS["notes"]


def test_each_page_of_the_tracker_list_is_one_audit_event(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    listed = _ids(_api(idva).get("/api/support-records/"))
    assert listed == [str(west_case["support_record"].public_id)]
    assert_records_read("health.support_record_listed", pages=[listed], actor=idva)
