"""The case endpoints: raising live incidents, the case list and its filters by role and BCU,
the audited reads, and the decision and attempt inputs. The whole journey (no contact, seen,
handed over, closed) and the 409s for refused transitions are in test_case_journey.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from provide.api.cases import CaseDecisionInput
from provide.audit.models import AuditEvent
from provide.cases.models import Case
from provide.shared.dates import OUT_OF_RANGE
from tests.audit_assertions import assert_audited, assert_records_read

pytestmark = pytest.mark.django_db


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _incident(bcu: str = "West", *, family: str = "Sample", **extra: Any) -> dict[str, Any]:
    return {
        "bcu": bcu,
        "occurred_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "risk_grade": "medium",
        "victim": {"first_name": "Bea", "last_name": family},
        **extra,
    }


@pytest.fixture
def raise_case(make_user: Callable[..., Any]) -> Callable[..., str]:
    """Raise an incident through the API as a response officer of ``bcu``; the case's id."""
    officers: dict[str, Any] = {}

    def raise_one(bcu: str = "West", **fields: Any) -> str:
        if bcu not in officers:
            officers[bcu] = make_user(
                "response_officer", bcu=bcu.lower(), username=f"officer.{bcu.lower()}"
            )
        response = _api(officers[bcu]).post(
            "/api/incidents/", _incident(bcu, **fields), format="json"
        )
        assert response.status_code == 201, response.content
        return str(response.json()["case"])

    return raise_one


def test_a_raised_incident_is_a_new_case_on_the_callers_bcu(personas: dict[str, Any]) -> None:
    response = _api(personas["response_officer"]).post(
        "/api/incidents/",
        _incident(risk_grade="high", incident_ref="LC-2026-0042", latitude=53.8, longitude=-3.0),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.select_related("investigation__victim").get(public_id=body["case"])
    assert body["state"] == "new" and case.state == "new"
    assert body["bcu"] == "West" and body["risk_grade"] == "high" and body["high_risk"] is True
    assert body["victim"] == str(case.investigation.victim.public_id)
    assert case.investigation.victim.family_name == "Sample"
    assert body["attempts"] == 0 and body["decision"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bcu": "Nowhere"}, "bcu"),
        ({"risk_grade": "extreme"}, "risk_grade"),
        ({"occurred_at": "1850-06-01T10:00:00Z"}, "occurred_at"),
        ({"occurred_at": "9999-12-31T23:59:59Z"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"victim": {"first_name": "Bea"}}, "victim"),
        (
            {"victim": {"first_name": "B", "last_name": "S", "date_of_birth": "1850-01-01"}},
            "victim",
        ),
        ({"latitude": 95.0, "longitude": 0.0}, "latitude"),
        ({"latitude": 53.8}, "latitude"),
    ],
)
def test_a_bad_incident_is_a_400_naming_the_field_and_raises_nothing(
    personas: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    response = _api(personas["response_officer"]).post(
        "/api/incidents/", {**_incident(), **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Case.objects.exists()


def test_a_date_of_birth_before_1900_is_refused_with_the_range(personas: dict[str, Any]) -> None:
    victim = {"first_name": "Bea", "last_name": "Sample", "date_of_birth": "1899-12-31"}
    response = _api(personas["response_officer"]).post(
        "/api/incidents/", _incident(victim=victim), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"victim": {"date_of_birth": [OUT_OF_RANGE]}}


@pytest.mark.parametrize("role", ["analyst", "administrator", "health_idva"])
def test_roles_that_do_not_raise_incidents_get_403(personas: dict[str, Any], role: str) -> None:
    response = _api(personas[role]).post("/api/incidents/", _incident(), format="json")
    assert response.status_code == 403 and response.json()["detail"]
    assert not Case.objects.exists()


def test_the_list_shows_the_callers_bcu_and_force_wide_roles_choose_one(
    personas: dict[str, Any], make_user: Callable[..., Any], raise_case: Callable[..., str]
) -> None:
    west = raise_case("West", family="Westfield")
    east = raise_case("East", family="Eastham")

    def listed(user: Any, **query: str) -> list[str]:
        response = _api(user).get("/api/cases/", query)
        assert response.status_code == 200, response.content
        return [row["case"] for row in response.json()["results"]]

    assert listed(personas["triage_sergeant"]) == [west]
    assert listed(personas["triage_sergeant"], bcu="west") == [west]
    east_sergeant = make_user("triage_sergeant", bcu="east", username="east.sergeant")
    assert listed(east_sergeant) == [east]
    force_wide = personas["safeguarding_officer"]
    assert set(listed(force_wide)) == {west, east}
    assert listed(force_wide, bcu="East") == [east]
    unknown = _api(force_wide).get("/api/cases/", {"bcu": "Nowhere"})
    assert unknown.status_code == 400 and "Nowhere" in unknown.json()["bcu"]


def test_the_state_filter_and_its_groups(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    undecided, accepted = raise_case(), raise_case(risk_grade="high")
    sergeant = _api(personas["triage_sergeant"])
    decided = sergeant.post(
        f"/api/cases/{accepted}/decision/",
        {"decision": "joint_visit", "mode": "post-incident"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "accepted"

    def listed(state: str) -> set[str]:
        return {
            row["case"] for row in sergeant.get("/api/cases/", {"state": state}).json()["results"]
        }

    assert listed("new") == {undecided}
    assert listed("awaiting_visit") == {accepted}
    assert listed("open") == {undecided, accepted}
    assert listed("closed") == set()


def test_each_page_of_the_list_is_one_audit_event_naming_its_cases(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    raised = [raise_case(family=f"Victim{number}") for number in range(3)]
    sergeant = personas["triage_sergeant"]
    rows = _api(sergeant).get("/api/cases/").json()["results"]
    assert {row["case"] for row in rows} == set(raised)
    assert_records_read("cases.case_listed", pages=[[row["case"] for row in rows]], actor=sergeant)


def test_reading_a_case_is_audited_and_writing_to_it_is_not_a_read(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    case_id = raise_case()
    sergeant = personas["triage_sergeant"]
    detail = _api(sergeant).get(f"/api/cases/{case_id}/")
    assert detail.status_code == 200
    assert [step["to_state"] for step in detail.json()["history"]] == ["new"]
    case = Case.objects.get(public_id=case_id)
    assert_audited("cases.case_viewed", action="view", actor=sergeant, subject=case)
    decided = _api(sergeant).post(
        f"/api/cases/{case_id}/decision/", {"decision": "not_eligible", "reason": "No DA"},
        format="json",
    )  # fmt: skip
    assert decided.status_code == 200, decided.content
    assert AuditEvent.objects.filter(event="cases.case_viewed").count() == 1


def test_unknown_and_malformed_case_ids_are_404(personas: dict[str, Any]) -> None:
    api = _api(personas["triage_sergeant"])
    assert api.get("/api/cases/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert api.get("/api/cases/not-a-uuid/").status_code == 404


@pytest.mark.parametrize(
    ("given", "decision"),
    [
        ({"decision": "joint_visit", "mode": "live"}, "joint_visit_live"),
        ({"decision": "joint_visit", "mode": "post-incident"}, "joint_visit_post"),
        ({"decision": "joint_visit", "mode": "post_incident"}, "joint_visit_post"),
        ({"decision": "joint_visit_live"}, "joint_visit_live"),
        ({"decision": "consultation", "reason": "Advice by phone"}, "consultation"),
    ],
)
def test_a_joint_visit_decision_takes_its_mode(given: dict[str, str], decision: str) -> None:
    serializer = CaseDecisionInput(data=given)
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["decision"] == decision


def test_a_joint_visit_without_a_mode_is_refused_with_the_reason() -> None:
    serializer = CaseDecisionInput(data={"decision": "joint_visit"})
    assert not serializer.is_valid()
    assert "live or post-incident" in str(serializer.errors["mode"])


def _accept_for_a_live_visit(sergeant: Any, case_id: str) -> None:
    decided = _api(sergeant).post(
        f"/api/cases/{case_id}/decision/", {"decision": "joint_visit", "mode": "live"},
        format="json",
    )  # fmt: skip
    assert decided.status_code == 200 and decided.json()["state"] == "accepted", decided.content


def test_a_visit_attempt_before_1900_is_a_400_and_changes_nothing(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    case_id = raise_case(risk_grade="high")
    _accept_for_a_live_visit(personas["triage_sergeant"], case_id)
    response = _api(personas["joint_team_officer"]).post(
        f"/api/cases/{case_id}/attempts/",
        {"arrived_at": "1800-01-01T09:00:00Z", "result": "engaged"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"arrived_at": [OUT_OF_RANGE]}
    case = Case.objects.get(public_id=case_id)
    assert case.state == "accepted" and case.attempts == 0


def test_a_role_that_does_not_record_visits_gets_403_on_attempts(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    case_id = raise_case(risk_grade="high")
    _accept_for_a_live_visit(personas["triage_sergeant"], case_id)
    response = _api(personas["response_officer"]).post(
        f"/api/cases/{case_id}/attempts/",
        {"arrived_at": timezone.now().isoformat(), "result": "engaged"},
        format="json",
    )
    assert response.status_code == 403 and response.json()["detail"]
    assert Case.objects.get(public_id=case_id).attempts == 0


def test_a_force_wide_safeguarding_officer_closes_a_case_with_a_reason(
    personas: dict[str, Any], raise_case: Callable[..., str]
) -> None:
    case_id = raise_case("East")
    closed = _api(personas["safeguarding_officer"]).post(
        f"/api/cases/{case_id}/close/", {"reason": "Duplicate of an earlier report"}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert closed.json()["closed_reason"] == "Duplicate of an earlier report"
