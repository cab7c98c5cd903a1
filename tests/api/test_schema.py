"""The published schema documents the error answers of every operation, with one Error body."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.test import Client

from provide.api.schema import ERROR_COMPONENT, add_error_responses, error_statuses
from provide.api.tokens import api_token_issue


def test_which_errors_an_operation_can_answer() -> None:
    read = {"parameters": [{"in": "path", "name": "public_id"}]}
    assert error_statuses("get", read) == ["401", "403", "404"]
    listing = {"parameters": [{"in": "query", "name": "page"}]}
    assert error_statuses("get", listing) == ["400", "401", "403", "404"]
    write = {"requestBody": {}, "parameters": []}
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
