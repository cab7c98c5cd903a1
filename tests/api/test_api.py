"""The REST API: token authentication, OpenAPI schema, 4xx with a reason, audited reads."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken

from provide.audit.models import AuditEvent
from tests.audit_assertions import assert_audited


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.mark.django_db
def test_openapi_schema_is_served(personas: dict[str, Any]) -> None:
    response = _api(personas["administrator"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/investigations/" in schema["paths"]


@pytest.mark.django_db
def test_anonymous_calls_get_401_with_a_reason() -> None:
    response = Client().get("/api/investigations/")
    assert response.status_code == 401
    assert "credentials" in response.json()["detail"]


@pytest.mark.django_db
def test_bad_token_is_401_not_500() -> None:
    response = Client(HTTP_AUTHORIZATION="Token not-a-token").get("/api/investigations/")
    assert response.status_code == 401


@pytest.mark.django_db
def test_investigations_are_limited_to_the_callers_bcu(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    refs = [
        row["investigation_ref"]
        for row in _api(personas["triage_sergeant"]).get("/api/investigations/").json()["results"]
    ]
    assert refs == ["WB/2026/000001"]


@pytest.mark.django_db
def test_reading_a_person_is_audited_and_uses_the_public_id(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    response = _api(personas["triage_sergeant"]).get(f"/api/people/{victim.public_id}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(victim.public_id)
    assert_audited(
        "people.person_viewed", action="view", actor=personas["triage_sergeant"], subject=victim
    )


@pytest.mark.django_db
def test_unknown_or_malformed_ids_are_404(personas: dict[str, Any]) -> None:
    api = _api(personas["triage_sergeant"])
    assert api.get("/api/people/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.get("/api/people/not-a-uuid/").status_code == 404


@pytest.mark.django_db
def test_out_of_area_person_needs_a_reason_header(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    api = _api(personas["triage_sergeant"])
    url = f"/api/people/{east_case['victim'].public_id}/"
    refused = api.get(url)
    assert refused.status_code == 403 and "X-Access-Reason" in refused.json()["detail"]
    allowed = api.get(url, HTTP_X_ACCESS_REASON="Checking a MARAC referral from East")
    assert allowed.status_code == 200
    assert AuditEvent.objects.filter(action="break_glass").count() == 1


@pytest.mark.django_db
def test_analyst_cannot_read_people(personas: dict[str, Any]) -> None:
    assert _api(personas["analyst"]).get("/api/people/").status_code == 403


@pytest.mark.django_db
def test_writes_are_refused_with_405(personas: dict[str, Any]) -> None:
    response = _api(personas["triage_sergeant"]).post(
        "/api/investigations/", {}, content_type="application/json"
    )
    assert response.status_code == 405
