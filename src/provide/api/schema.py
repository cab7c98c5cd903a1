"""The error answers in the OpenAPI schema: every status the API returns is documented.

Views document their success answers and any error with a meaning of its own (a case
transition's 409, an import's 413) with ``@extend_schema``. The errors that follow from how
every endpoint works are added here, by a drf-spectacular post-processing hook, to each
operation that does not document them itself; every 4xx answer documented without a body gets
the :data:`ERROR_SCHEMA` one:

* 400 where the operation takes a body, query parameters or a header (a malformed or refused
  value);
* 401 and 403 everywhere (every endpoint needs a token, and a role that may use it);
* 404 where the path names a record, or the list is paged (a page past the end);
* 409 where the operation writes (a state that does not allow the step, or two saves at once).

The answers are made by ``provide.api.errors``.
"""

from __future__ import annotations

from typing import Any

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "Why the request was refused: `detail` for the request as a whole, or the reasons "
        "under the name of each field at fault (a list of strings, or an object for a nested "
        "field)."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERROR_STATUSES: dict[str, str] = {
    "400": "Malformed, or a value is refused: the reasons, under each field at fault.",
    "401": "No valid token: missing, expired or revoked.",
    "403": "Your role, or your BCU, may not do this.",
    "404": "No such record in your area (missing and not yours look the same), or no such page.",
    "409": "Refused by the record's state, or another save got there first: reload and retry.",
}
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[str]:
    """The error statuses an operation can answer with, from its method and parameters."""
    places = {parameter.get("in") for parameter in operation.get("parameters", [])}
    names = {parameter.get("name") for parameter in operation.get("parameters", [])}
    statuses = ["401", "403"]
    if "requestBody" in operation or places & {"query", "header"}:
        statuses.append("400")
    if "path" in places or "page" in names:
        statuses.append("404")
    if method.lower() in WRITE_METHODS:
        statuses.append("409")
    return sorted(statuses)


def add_error_responses(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: document the error answers of every operation."""
    error_ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status in error_statuses(method, operation):
                responses.setdefault(status, {"description": ERROR_STATUSES[status]})
            for status, response in responses.items():
                if status.startswith("4") and not response.get("content"):
                    response["content"] = {"application/json": {"schema": error_ref}}
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    return result
