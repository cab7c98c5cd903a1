"""The audit log page: administrators search it by user, person and date; nobody else reaches it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone


@pytest.mark.django_db
def test_administrator_searches_the_audit_log_by_user_person_and_date(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant = Client()
    sergeant.force_login(personas["triage_sergeant"])
    sergeant.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    officer = Client()
    officer.force_login(personas["response_officer"])
    officer.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    admin = Client()
    admin.force_login(personas["administrator"])
    url = reverse("audit:log")
    by_user = admin.get(url, {"username": "triage.sergeant"}).context["page"]
    assert [e.actor_username for e in by_user] == ["triage.sergeant"]
    by_person = admin.get(url, {"person": "Westby"}).context["page"]
    assert {e.actor_username for e in by_person} == {"triage.sergeant", "response.officer"}
    by_id = admin.get(url, {"person": str(west_case["victim"].public_id)}).context["page"]
    assert len(by_id) == 2
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert len(admin.get(url, {"date_from": tomorrow}).context["page"]) == 0


@pytest.mark.django_db
def test_audit_search_rejects_a_reversed_date_range_and_keeps_the_input(personas: dict[str, Any]) -> None:
    admin = Client()
    admin.force_login(personas["administrator"])
    page = admin.get(reverse("audit:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    html = page.content.decode()
    assert "The end date must be on or after the start date" in html
    assert 'value="2026-05-02"' in html


@pytest.mark.django_db
def test_only_administrators_reach_the_audit_log(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    assert client.get(reverse("audit:log")).status_code == 403
