"""provide cases and provide api-token."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from provide.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_cases_lists_a_bcu_in_a_state_as_json(areas: Any, west_case: Any, east_case: Any) -> None:
    body = json.loads(_run("cases", "--bcu", "west", "--state", "new", "--json"))
    assert [c["investigation_ref"] for c in body["results"]] == [west_case["investigation"].investigation_ref]
    assert body["results"][0]["state"] == "new" and "clock" in body["results"][0]
    assert json.loads(_run("cases", "--bcu", "West", "--state", "awaiting_visit", "--json"))["results"] == []
    assert "1 case(s) in West" in _run("cases", "--bcu", "West")
    assert AuditEvent.objects.filter(event="cases.listed_on_command_line").count() == 3


@pytest.mark.parametrize(("args", "message"), [
    (("--bcu", "Nowhere"), "no BCU called"), (("--bcu", "West", "--state", "sideways"), "unknown state"),
])
def test_cases_says_what_is_wrong(areas: Any, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run("cases", *args)


def test_api_token_prints_a_new_token_once_that_works(personas: dict[str, Any], areas: Any) -> None:
    first = _run("api_token", "triage.sergeant").strip()
    second = _run("api_token", "triage.sergeant").strip()
    assert first != second and Token.objects.filter(user=personas["triage_sergeant"]).count() == 1
    assert Client(HTTP_AUTHORIZATION=f"Token {first}").get("/api/cases/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {second}").get("/api/cases/").status_code == 200
    event = AuditEvent.objects.filter(event="api.token_issued").latest("id")
    assert event.object_id == str(personas["triage_sergeant"].public_id) and first not in json.dumps(event.changes)
    with pytest.raises(CommandError, match="no user"):
        _run("api_token", "nobody")
