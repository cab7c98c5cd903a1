"""The REST API as a whole: token authentication, the OpenAPI schema, 401 for a missing or bad
token, investigations limited to the caller's BCU. Each endpoint's own behaviour is tested
beside its module (tests/people/test_api.py, tests/api/test_cases.py, ...)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken


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
def test_writes_are_refused_with_405(personas: dict[str, Any]) -> None:
    response = _api(personas["triage_sergeant"]).post(
        "/api/investigations/", {}, content_type="application/json"
    )
    assert response.status_code == 405
