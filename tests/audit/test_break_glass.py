"""The break-glass rule, and the two doors that use it: the person page's form and the API's
``X-Access-Reason`` header refuse and accept exactly the same reasons."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from provide.audit.break_glass import (
    MAX_LENGTH,
    REASON_MISSING,
    REASON_NOT_WORDS,
    REASON_TOO_LONG,
    REASON_TOO_SHORT,
    BreakGlassReasonInvalid,
    break_glass_reason_problem,
    clean_break_glass_reason,
    normalise_reason,
)
from provide.audit.models import AuditAction, AuditEvent
from tests.audit_assertions import assert_audited

REFUSED = [
    ("", REASON_MISSING),
    ("   \n\t ", REASON_MISSING),
    ("y", REASON_TOO_SHORT),
    ("why", REASON_TOO_SHORT),
    ("   short     ", REASON_TOO_SHORT),  # trimmed before it is measured
    ("aaaaaaaaaaaa", REASON_NOT_WORDS),
    ("a a a a a a a", REASON_NOT_WORDS),
    ("abababababab", REASON_NOT_WORDS),
    ("XyzxYZxyzxyz", REASON_NOT_WORDS),
    ("abcdabcdabcd", REASON_NOT_WORDS),
    ("1234567890", REASON_NOT_WORDS),
    ("!!!!!!!!!!!!", REASON_NOT_WORDS),
    ("x" * (MAX_LENGTH + 1), REASON_TOO_LONG),
]
ACCEPTED = [
    "Victim moved to Blackpool; checking history for MARAC",
    "Call from East BCU",
    "Checking a MARAC referral from East",
]


@pytest.mark.parametrize(("text", "problem"), REFUSED)
def test_the_rule_refuses_empty_short_repeated_and_overlong_reasons(
    text: str, problem: str
) -> None:
    assert break_glass_reason_problem(text) == problem
    with pytest.raises(BreakGlassReasonInvalid, match=problem):
        clean_break_glass_reason(text)


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_rule_accepts_a_reason_in_words(text: str) -> None:
    assert break_glass_reason_problem(text) is None
    assert clean_break_glass_reason(f"  {text}\n") == text


def test_the_reason_is_trimmed_and_its_inner_whitespace_collapsed() -> None:
    assert normalise_reason("  Called by\n\n the   victim  ") == "Called by the victim"
    assert clean_break_glass_reason("Called\tby the victim\n") == "Called by the victim"


# --- the two doors ------------------------------------------------------------------------


def _page(user: Any, person: Any, reason: str) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(reverse("people:person-detail", args=[person.public_id]), {"reason": reason})


def _api(user: Any, person: Any, reason: str) -> Any:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}").get(
        f"/api/people/{person.public_id}/", HTTP_X_ACCESS_REASON=reason
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "problem"), [r for r in REFUSED if r[1] != REASON_TOO_LONG])
def test_the_web_form_and_the_api_refuse_the_same_reasons(
    text: str, problem: str, personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, victim = (
        personas["triage_sergeant"],
        east_case["victim"],
    )  # a West sergeant, an East victim
    page = _page(sergeant, victim, text)
    api = _api(sergeant, victim, text)
    assert page.status_code == 403 and problem in page.content.decode()
    assert "Erin" not in page.content.decode()
    if problem == REASON_MISSING:
        assert api.status_code == 403 and "X-Access-Reason" in api.json()["detail"]
    else:
        assert api.status_code == 400 and problem in api.json()["detail"]
    assert "Erin" not in api.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()


@pytest.mark.django_db
def test_a_one_letter_header_no_longer_opens_a_record(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    response = _api(personas["triage_sergeant"], east_case["victim"], "y")
    assert response.status_code == 400
    assert response.json()["detail"] == f"X-Access-Reason: {REASON_TOO_SHORT}."


@pytest.mark.django_db
def test_both_doors_open_with_a_good_reason_and_record_it_trimmed_and_flagged(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, victim = personas["triage_sergeant"], east_case["victim"]
    page = _page(sergeant, victim, "  Victim moved to Blackpool;\n checking history  ")
    api = _api(sergeant, victim, "Checking a MARAC referral from East")
    assert page.status_code == 200 and "Erin" in page.content.decode()
    assert api.status_code == 200 and api.json()["given_name"] == "Erin"
    events = AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS, actor=sergeant).order_by(
        "id"
    )
    assert [e.reason for e in events] == [
        "Victim moved to Blackpool; checking history",
        "Checking a MARAC referral from East",
    ]
    assert_audited(
        "people.person_viewed_out_of_area",
        action=AuditAction.BREAK_GLASS,
        actor=sergeant,
        subject=victim,
        count=2,
        flagged=True,
    )
