"""People in the API: the caller's area, every read audited (one event per page of the list),
a person outside the area only with a break-glass reason, and no role without the people
permission."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from provide.audit.break_glass import REASON_NOT_WORDS, REASON_TOO_SHORT
from provide.audit.models import AuditEvent
from tests.audit_assertions import assert_audited, assert_records_read
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    """A client holding a real API token, as another system would call."""
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_reading_a_person_is_audited_and_uses_the_public_id(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    response = _api(personas["triage_sergeant"]).get(f"/api/people/{victim.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(victim.public_id) and "pk" not in body
    assert body["safe_phone"] == "07700 900123" and body["suspect_may_answer"] is True
    assert_audited(
        "people.person_viewed", action="view", actor=personas["triage_sergeant"], subject=victim
    )


def test_the_person_answer_carries_no_health_side_data(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    for role in ("triage_sergeant", "health_idva"):
        text = _api(personas[role]).get(f"/api/people/{victim.public_id}/").content.decode()
        for secret in HEALTH_SECRETS.values():
            assert secret not in text, (role, secret)


def test_unknown_or_malformed_ids_are_404(personas: dict[str, Any]) -> None:
    api = _api(personas["triage_sergeant"])
    assert api.get("/api/people/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.get("/api/people/not-a-uuid/").status_code == 404


def test_the_list_is_the_callers_bcu_and_each_page_is_one_audit_event(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    victim, east = str(west_case["victim"].public_id), str(east_case["victim"].public_id)
    suspect = str(west_case["investigation"].suspect.public_id)
    sergeant, idva = personas["triage_sergeant"], personas["health_idva"]
    west = _ids(_api(sergeant).get("/api/people/"))
    assert sorted(west) == sorted([victim, suspect]), "the West case's victim and suspect"
    assert _ids(_api(idva).get("/api/people/")) == west
    force_wide = personas["safeguarding_officer"]
    assert set(_ids(_api(force_wide).get("/api/people/"))) >= {victim, east}
    assert_records_read("people.people_listed", pages=[west], actor=sergeant)
    assert_records_read("people.people_listed", pages=[west], actor=idva)


def test_out_of_area_person_needs_a_reason_header(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    api = _api(personas["triage_sergeant"])
    person = east_case["victim"]
    url = f"/api/people/{person.public_id}/"
    refused = api.get(url)
    assert refused.status_code == 403 and "X-Access-Reason" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(object_id=str(person.public_id)).exists()
    allowed = api.get(url, HTTP_X_ACCESS_REASON="  Checking a MARAC   referral from East ")
    assert allowed.status_code == 200 and allowed.json()["id"] == str(person.public_id)
    event = assert_audited(
        "people.person_viewed_out_of_area",
        action="break_glass",
        actor=personas["triage_sergeant"],
        subject=person,
    )
    assert event.reason == "Checking a MARAC referral from East"


@pytest.mark.parametrize(
    ("reason", "problem"), [("urgent", REASON_TOO_SHORT), ("aaaaaaaaaaaaaaa", REASON_NOT_WORDS)]
)
def test_a_reason_the_break_glass_rule_refuses_is_a_400_with_the_rule(
    personas: dict[str, Any], east_case: dict[str, Any], reason: str, problem: str
) -> None:
    response = _api(personas["triage_sergeant"]).get(
        f"/api/people/{east_case['victim'].public_id}/", HTTP_X_ACCESS_REASON=reason
    )
    assert response.status_code == 400
    assert response.json() == {"detail": f"X-Access-Reason: {problem}."}
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_a_force_wide_role_reads_anyone_without_a_reason(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    person = east_case["victim"]
    assert _api(officer).get(f"/api/people/{person.public_id}/").status_code == 200
    assert_audited("people.person_viewed", action="view", actor=officer, subject=person)
    assert not AuditEvent.objects.filter(action="break_glass").exists()


@pytest.mark.parametrize("role", ["analyst", "administrator"])
def test_roles_without_the_people_permission_are_refused(
    personas: dict[str, Any], west_case: dict[str, Any], role: str
) -> None:
    api = _api(personas[role])
    listed = api.get("/api/people/")
    assert listed.status_code == 403 and "people's records" in listed.json()["detail"]
    one = api.get(f"/api/people/{west_case['victim'].public_id}/")
    assert one.status_code == 403
    assert not AuditEvent.objects.filter(event__startswith="people.").exists()


def test_writes_are_refused_with_405(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(personas["triage_sergeant"])
    url = f"/api/people/{west_case['victim'].public_id}/"
    assert api.post("/api/people/", {}, format="json").status_code == 405
    assert api.patch(url, {"family_name": "Changed"}, format="json").status_code == 405
    assert api.delete(url).status_code == 405
    west_case["victim"].refresh_from_db()
    assert west_case["victim"].family_name == "Westby"


def test_everyone_readable_in_area_without_a_reason_is_listed(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    suspect = west_case["investigation"].suspect
    api = _api(personas["triage_sergeant"])
    assert api.get(f"/api/people/{suspect.public_id}/").status_code == 200
    assert str(suspect.public_id) in _ids(api.get("/api/people/"))
