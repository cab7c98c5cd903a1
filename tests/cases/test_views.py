"""Case pages: raise a live incident by hand, follow a case, close it with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.audit.models import AuditEvent
from provide.cases.models import Case
from provide.triage.selectors import triage_board_for
from tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_response_officer_raises_a_live_incident_and_it_tops_the_board(
    personas: dict[str, Any], areas: Any, west_case: Any
) -> None:
    client = _signed_in(personas["response_officer"])
    page = client.get(reverse("cases:incident-new"))
    assert page.status_code == 200 and "Raise a live incident" in page.content.decode()
    response = client.post(
        reverse("cases:incident-new"),
        {"first_name": "Dee", "last_name": "Example", "risk_grade": "high", "bcu": "West"},
    )
    case = Case.objects.get(investigation__victim__family_name="Example")
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:detail", args=[case.public_id]
    )
    board = triage_board_for(user=personas["triage_sergeant"], audit=False)
    assert board.rows[0].investigation == case.investigation and board.rows[0].live
    assert board.rows[0].rank == 1 and not board.rows[0].decided


def test_the_incident_form_shows_what_was_typed_with_the_problem_marked(
    personas: dict[str, Any], areas: Any
) -> None:
    client = _signed_in(personas["response_officer"])
    response = client.post(
        reverse("cases:incident-new"), {"first_name": "Dee", "risk_grade": "", "bcu": "West"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the victim&#x27;s last name" in body and "Choose the risk grade" in body
    assert 'value="Dee"' in body
    assert not Case.objects.exists()


def test_roles_without_the_permission_cannot_raise_incidents(
    personas: dict[str, Any], areas: Any
) -> None:
    for slug in ("analyst", "health_idva", "joint_team_officer"):
        assert _signed_in(personas[slug]).get(reverse("cases:incident-new")).status_code == 403


def test_the_case_page_shows_the_journey_and_closing_needs_a_reason(
    personas: dict[str, Any], areas: Any, west_case: Any
) -> None:
    case = Case.objects.get(investigation=west_case["investigation"])
    sergeant = _signed_in(personas["triage_sergeant"])
    page = sergeant.get(reverse("cases:detail", args=[case.public_id]))
    assert page.status_code == 200 and "History" in page.content.decode()
    assert (
        AuditEvent.objects.filter(
            event="cases.case_viewed",
            actor=personas["triage_sergeant"],
            object_id=str(case.public_id),
        ).count()
        == 1
    )
    refused = sergeant.post(reverse("cases:close", args=[case.public_id]), {"reason": ""})
    assert (
        refused.status_code == 400
        and "Give a reason for closing the case" in refused.content.decode()
    )
    closed = sergeant.post(
        reverse("cases:close", args=[case.public_id]), {"reason": "Victim moved out of area"}
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_by == personas["triage_sergeant"]
    assert (
        _signed_in(personas["joint_team_officer"])
        .post(reverse("cases:close", args=[case.public_id]), {"reason": "x"})
        .status_code
        == 403
    )


def test_the_case_list_filters_by_state_and_hides_other_bcus(
    personas: dict[str, Any], areas: Any, west_case: Any, east_case: Any
) -> None:
    client = _signed_in(personas["triage_sergeant"])
    body = client.get(reverse("cases:index"), {"state": "new"}).content.decode()
    assert west_case["investigation"].investigation_ref in body
    assert east_case["investigation"].investigation_ref not in body
    east = Case.objects.get(investigation=east_case["investigation"])
    assert client.get(reverse("cases:detail", args=[east.public_id])).status_code == 404
    assert client.get(reverse("cases:index"), {"state": "nonsense"}).status_code == 200
