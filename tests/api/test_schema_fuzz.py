"""Schema fuzzing of the API (schemathesis): no input makes the server fail.

Every operation in the published OpenAPI schema is called with generated path parameters,
query strings and bodies, with a token of a police role and of a health role. A fixed seed
(``derandomize``) keeps the run the same on every machine. Checked: no 5xx answer. Whether each
answer's status and body match the schema is not checked yet (the schema does not document
the 400/403/404/409 answers; see docs/api.md).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
import yaml
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from provide.api.tokens import api_token_issue
from provide.config.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["triage_sergeant", "health_idva"])
def test_no_generated_request_makes_the_server_fail(
    role: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    token = api_token_issue(user=make_user(role), issued_by="schema fuzzing").key
    headers = {"Authorization": f"Token {token}"}
    document = yaml.safe_load(
        Client().get("/api/schema/", HTTP_AUTHORIZATION=headers["Authorization"]).content
    )
    operations = [
        result.ok() for result in schemathesis.openapi.from_dict(document).get_all_operations()
    ]
    assert len(operations) >= 20, "the schema lost its operations"
    failures: list[str] = []

    @given(data=st.data())
    @settings(
        max_examples=150,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call_one(data: Any) -> None:
        operation = data.draw(st.sampled_from(operations))
        case = data.draw(operation.as_strategy())
        try:
            case.call_and_validate(app=application, headers=headers, checks=[not_a_server_error])
        except BaseException as failure:  # collect them all, then report every distinct one
            failures.append(f"{operation.label}: {str(failure)[:400]}")

    call_one()
    assert not failures, "\n".join(sorted(set(failures)))
