"""Schema fuzzing of the API (schemathesis): no input makes the server fail, and every answer
is one the schema documents (status and body).

Every operation in the published OpenAPI schema is called with boundary, malformed and
generated paths, query strings and bodies (:mod:`tests.api.fuzzing`), with the token of a
police role (the triage sergeant: the board, decisions, cases, incidents) and of a health role
(the IDVA: the health-side tracker). A fixed seed and deterministic generation keep the run the
same on every machine; the budget is small (``EXAMPLES`` generated requests an operation, on
top of the coverage phase). ``benchmarks/api_fuzz.py`` runs the same with a larger budget.
"""

from __future__ import annotations

from typing import Any

import pytest

from provide.api.tokens import api_token_issue
from provide.cases.models import Case
from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.visits.models import Visit
from tests.api.fuzzing import fuzz_api

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 12
SEED = 16


def known_records() -> dict[str, list[str]]:
    """Real ids and names, so generated requests reach the views' logic past the 404s."""

    def ids(model: Any) -> list[str]:
        return [str(i) for i in model.objects.order_by("pk").values_list("public_id", flat=True)]

    return {
        "cases": ids(Case),
        "investigations": ids(Investigation),
        "people": ids(Person),
        "visits": ids(Visit),
        "support_records": ids(SupportRecord),
        "bcus": ["West", "East"],
        "states": ["new", "triaged", "accepted", "awaiting_visit", "open", "closed"],
    }


@pytest.mark.parametrize("role", ["triage_sergeant", "health_idva"])
def test_no_request_makes_the_server_fail_or_answer_off_schema(
    role: str, make_user: Any, west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    token = api_token_issue(user=make_user(role), issued_by="schema fuzzing").key
    report = fuzz_api(token=token, examples=EXAMPLES, seed=SEED, known=known_records())
    print(f"{role}: {report.summary()}")  # shown with pytest -rP
    assert report.operations >= 23, f"the schema lost operations: {report.summary()}"
    # the run reached the views: successes, refusals and missing records all answered
    assert {200, 400, 403, 404} <= set(report.statuses), report.summary()
    assert not report.failures, report.summary() + "\n" + "\n".join(report.failures)
