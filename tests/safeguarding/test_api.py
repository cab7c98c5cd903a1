"""Referrals in the API: the shared status for police, health and safeguarding roles (never
analysts), in the caller's area, every read audited; the moves (send, accept, reject, done)
follow the referral's rules and answer a refusal with a 400 or 403 and its reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from knox.models import AuthToken

from provide.audit.models import AuditEvent
from provide.safeguarding.models import Referral
from tests.audit_assertions import assert_audited, assert_records_read

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _move(user: Any, referral: Referral, move: str, **body: str) -> Any:
    return _api(user).post(
        f"/api/referrals/{referral.public_id}/{move}/", body, content_type="application/json"
    )


def _referral(case: dict[str, Any], creator: Any = None, **fields: Any) -> Referral:
    values: dict[str, Any] = {"target": "refuge", "consent": "given", **fields}
    return Referral.objects.create(victim=case["victim"], created_by=creator, **values)


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_the_callers_area_and_each_page_is_one_audit_event(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    west, east = _referral(west_case), _referral(east_case, target="marac", reasons="DASH 15")
    officer = personas["response_officer"]
    assert _ids(_api(officer).get("/api/referrals/")) == [str(west.public_id)]
    assert_records_read("safeguarding.referrals_listed", pages=[[west]], actor=officer)
    everywhere = _ids(_api(personas["safeguarding_officer"]).get("/api/referrals/"))
    assert set(everywhere) == {str(west.public_id), str(east.public_id)}


def test_reading_a_referral_is_audited_and_outside_the_area_it_is_not_found(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    west, east = _referral(west_case), _referral(east_case)
    idva = personas["health_idva"]
    api = _api(idva)
    one = api.get(f"/api/referrals/{west.public_id}/")
    assert one.status_code == 200
    assert one.json()["victim"] == str(west_case["victim"].public_id)
    assert one.json()["status"] == "draft" and "idva_shared_summary" not in one.json()
    assert_audited("safeguarding.referral_viewed", action="view", actor=idva, subject=west)
    assert api.get(f"/api/referrals/{east.public_id}/").status_code == 404
    assert api.get("/api/referrals/not-a-uuid/").status_code == 404
    assert not AuditEvent.objects.filter(object_id=str(east.public_id)).exists()


def test_analysts_are_refused(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    referral = _referral(west_case)
    api = _api(personas["analyst"])
    assert api.get("/api/referrals/").status_code == 403
    refused = api.get(f"/api/referrals/{referral.public_id}/")
    assert refused.status_code == 403 and refused.json() == {
        "detail": "Your role cannot see referrals."
    }
    assert _move(personas["analyst"], referral, "send").status_code == 403
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_a_referral_goes_from_draft_to_done(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer, team = personas["joint_team_officer"], personas["safeguarding_officer"]
    referral = _referral(west_case, officer)
    sent = _move(officer, referral, "send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert sent.json()["due_on"] is not None and sent.json()["sent_at"] is not None
    accepted = _move(team, referral, "accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = _move(team, referral, "done", outcome="Refuge place found")
    assert done.status_code == 200 and done.json()["status"] == "done"
    referral.refresh_from_db()
    assert referral.outcome == "Refuge place found" and referral.closed_at is not None
    assert_audited("safeguarding.referral_sent", action="update", actor=officer, subject=referral)
    assert_audited("safeguarding.referral_done", action="update", actor=team, subject=referral)


def test_a_sent_referral_is_rejected_with_the_reason(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    team = personas["safeguarding_officer"]
    referral = _referral(west_case, status="sent")
    without = _move(team, referral, "reject")
    assert without.status_code == 400 and without.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == "sent"
    rejected = _move(team, referral, "reject", reason="Outside the service's area")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Outside the service's area"


@pytest.mark.parametrize(
    ("role", "move"),
    [
        ("response_officer", "accept"),
        ("health_idva", "reject"),
        ("joint_team_officer", "done"),
        ("joint_team_officer", "send"),  # someone else's draft
    ],
)
def test_a_move_the_role_may_not_make_is_a_403_and_changes_nothing(
    personas: dict[str, Any], west_case: dict[str, Any], role: str, move: str
) -> None:
    referral = _referral(west_case, personas["response_officer"])
    response = _move(personas[role], referral, move, reason="Not for this service")
    assert response.status_code == 403 and response.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == "draft"


def test_sending_without_consent_needs_a_lawful_basis_and_is_flagged(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    team = personas["safeguarding_officer"]
    no_basis = _referral(west_case, consent="refused")
    refused = _move(team, no_basis, "send")
    assert refused.status_code == 400 and refused.json()["detail"]
    no_basis.refresh_from_db()
    assert no_basis.status == "draft"
    with_basis = _referral(
        west_case, target="marac", consent="refused", reasons="DASH 15",
        lawful_basis="DPA 2018 Sch 1 para 18",
    )  # fmt: skip
    assert _move(team, with_basis, "send").json()["status"] == "sent"
    event = assert_audited(
        "safeguarding.referral_shared_without_consent",
        action="update",
        actor=team,
        subject=with_basis,
    )
    assert event.flagged and event.reason == "DPA 2018 Sch 1 para 18"


def test_a_move_the_state_does_not_allow_is_a_400(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    team = personas["safeguarding_officer"]
    referral = _referral(west_case, status="done")
    for move in ("send", "accept", "reject", "done"):
        response = _move(team, referral, move, reason="Outside the service's area")
        assert response.status_code == 400, (move, response.content)
        assert response.json()["detail"]
    referral.refresh_from_db()
    assert referral.status == "done"


def test_unknown_moves_and_other_methods_are_refused(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    team = personas["safeguarding_officer"]
    referral = _referral(west_case)
    assert _move(team, referral, "teleport").status_code == 404
    assert _api(team).get(f"/api/referrals/{referral.public_id}/send/").status_code == 405
    assert _api(team).delete(f"/api/referrals/{referral.public_id}/").status_code == 405
    referral.refresh_from_db()
    assert referral.status == "draft"
