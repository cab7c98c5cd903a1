"""The published schema documents the error answers of every operation, with one Error body."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from django.test import Client
from rest_framework.test import APIClient

from provide.api.cases import NOT_DECIDABLE
from provide.api.schema import (
    ERROR_COMPONENT,
    ERROR_SCHEMA,
    ERROR_STATUSES,
    add_error_responses,
    error_statuses,
)
from provide.api.tokens import api_token_issue


def test_which_errors_an_operation_can_answer() -> None:
    read = {"parameters": [{"in": "path", "name": "public_id"}]}
    assert error_statuses("get", read) == ["401", "403", "404"]
    listing = {"parameters": [{"in": "query", "name": "page"}]}
    assert error_statuses("get", listing) == ["400", "401", "403", "404"]
    write: dict[str, Any] = {"requestBody": {}, "parameters": []}
    assert error_statuses("post", write) == ["400", "401", "403", "409"]


def test_the_hook_keeps_what_a_view_documents_and_adds_the_rest() -> None:
    schema: dict[str, Any] = {
        "paths": {
            "/api/things/{id}/": {
                "post": {
                    "parameters": [{"in": "path", "name": "id"}],
                    "requestBody": {},
                    "responses": {"200": {}, "409": {"description": "Its own reason."}},
                },
                "parameters": [],
            }
        }
    }
    result = add_error_responses(schema)
    responses = result["paths"]["/api/things/{id}/"]["post"]["responses"]
    assert set(responses) == {"200", "400", "401", "403", "404", "409"}
    assert responses["409"]["description"] == "Its own reason."
    error = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    assert all(responses[code]["content"]["application/json"]["schema"] == error
               for code in ("400", "401", "403", "404", "409"))  # fmt: skip
    assert ERROR_COMPONENT in result["components"]["schemas"]


@pytest.mark.django_db
def test_every_operation_of_the_published_schema_documents_its_errors(make_user: Any) -> None:
    token = api_token_issue(user=make_user("triage_sergeant"), issued_by="test").key
    document = yaml.safe_load(
        Client().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token}").content
    )
    operations = [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "responses" in operation
    ]
    assert len(operations) > 20
    for path, method, operation in operations:
        assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"


@pytest.fixture
def published(personas: dict[str, Any]) -> dict[str, Any]:
    """The schema as /api/schema/ publishes it (drf-spectacular, the hook included)."""
    api = APIClient()
    api.force_authenticate(personas["administrator"])
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if isinstance(operation, dict) and "responses" in operation
    ]


@pytest.mark.django_db
def test_the_hook_puts_back_every_error_answer_stripped_from_the_real_schema(
    published: dict[str, Any],
) -> None:
    stripped = copy.deepcopy(published)
    for _, _, operation in _operations(stripped):
        for status in list(operation["responses"]):
            if status.startswith("4") and status not in ("405", "413", "415"):
                del operation["responses"][status]
    del stripped["components"]["schemas"][ERROR_COMPONENT]
    rebuilt = add_error_responses(stripped)
    for path, method, operation in _operations(rebuilt):
        responses = operation["responses"]
        assert set(error_statuses(method, operation)) <= set(responses), f"{method} {path}"
        for status in error_statuses(method, operation):
            assert responses[status]["description"] == ERROR_STATUSES[status]
    assert rebuilt["components"]["schemas"][ERROR_COMPONENT] == ERROR_SCHEMA


@pytest.mark.django_db
def test_on_the_real_schema_the_hook_changes_nothing_more_and_keeps_the_views_own_errors(
    published: dict[str, Any],
) -> None:
    assert add_error_responses(copy.deepcopy(published)) == published
    decision = published["paths"]["/api/cases/{public_id}/decision/"]["post"]["responses"]
    assert decision["409"]["description"] == NOT_DECIDABLE
    error = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    assert decision["409"]["content"]["application/json"]["schema"] == error
    for path, method, operation in _operations(published):
        statuses = set(operation["responses"])
        if method == "post":
            assert "409" in statuses, f"{method} {path}"
        if "{" in path:
            assert "404" in statuses, f"{method} {path}"
        for status, answer in operation["responses"].items():
            if status.startswith("4"):
                assert answer.get("content"), f"{method} {path} {status} has no body"
