"""The triage API: the ranked queue and decisions, 4xx with a reason, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from provide.triage.models import TriageDecision

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_queue_lists_the_ranked_board_with_factors(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    body = _api(personas["triage_sergeant"]).get("/api/triage/queue/?date=2023-01-10").json()
    assert body["bcu"] == "West" and body["policy"]["version"] == 1 and body["counts"]["cases"] == 5
    first = body["cases"][0]
    assert first["rank"] == 1 and first["score"] == sum(f["points"] for f in first["factors"])
    high = next(c for c in body["cases"] if c["investigation_ref"] == "WB/23/HIGH")
    assert high["custody"]["hours_to_release"] == 5.0 and high["clock"]["state"] == "due_soon"
    assert "Hana" not in str(body)  # machine output carries ids, not names


@pytest.mark.parametrize(
    ("query", "status"), [("date=10/13/2023", 400), ("date=2999-01-01", 400), ("bcu=East", 404)]
)
def test_queue_refuses_bad_queries_with_a_reason(
    query: str, status: int, personas: dict[str, Any]
) -> None:
    response = _api(personas["triage_sergeant"]).get(f"/api/triage/queue/?{query}")
    assert response.status_code == status and response.json()


def test_queue_is_closed_to_roles_without_the_board(personas: dict[str, Any]) -> None:
    response = _api(personas["health_idva"]).get("/api/triage/queue/")
    assert response.status_code == 403 and "triage board" in response.json()["detail"]


def test_decision_is_recorded_through_the_api(
    personas: dict[str, Any], triage_day: dict[str, Any]
) -> None:
    api = _api(personas["triage_sergeant"])
    response = api.post(
        "/api/triage/decisions/",
        {"investigation": str(triage_day["high"].public_id), "decision": "joint_visit_post"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["policy_version"] == 1 and body["status"] == "open" and body["score_explanation"]
    listed = api.get(f"/api/triage/decisions/?investigation={triage_day['high'].public_id}").json()[
        "results"
    ]
    assert [d["id"] for d in listed] == [body["id"]]
    assert api.get(f"/api/triage/decisions/{body['id']}/").json()["decision"] == "joint_visit_post"


@pytest.mark.parametrize(
    ("payload", "status", "key"),
    [
        ({"decision": "joint_visit_post"}, 400, "investigation"),
        ({"investigation": "not-a-uuid", "decision": "joint_visit_post"}, 400, "investigation"),
        (
            {
                "investigation": "00000000-0000-0000-0000-000000000000",
                "decision": "joint_visit_post",
            },
            404,
            "detail",
        ),
        ({"investigation": "PLAIN", "decision": "joint_visit_post"}, 400, "reason"),
        ({"investigation": "HIGH", "decision": "perhaps"}, 400, "decision"),
    ],
)
def test_bad_decisions_are_4xx_with_a_reason(
    payload: dict[str, str],
    status: int,
    key: str,
    personas: dict[str, Any],
    triage_day: dict[str, Any],
) -> None:
    if payload.get("investigation") in ("PLAIN", "HIGH"):
        payload = {
            **payload,
            "investigation": str(triage_day[payload["investigation"].lower()].public_id),
        }
    response = _api(personas["triage_sergeant"]).post(
        "/api/triage/decisions/", payload, format="json"
    )
    assert response.status_code == status and key in response.json()
    assert not TriageDecision.objects.exists()


def test_other_bcu_cases_are_not_found_and_non_sergeants_forbidden(
    personas: dict[str, Any], triage_day: dict[str, Any], make_user: Any
) -> None:
    east = {"investigation": str(triage_day["east"].public_id), "decision": "joint_visit_post"}
    assert (
        _api(personas["triage_sergeant"])
        .post("/api/triage/decisions/", east, format="json")
        .status_code
        == 404
    )
    assert (
        _api(personas["health_idva"])
        .post("/api/triage/decisions/", east, format="json")
        .status_code
        == 403
    )
    assert (
        _api(personas["triage_sergeant"])
        .get("/api/triage/decisions/?investigation=zzz")
        .status_code
        == 400
    )
