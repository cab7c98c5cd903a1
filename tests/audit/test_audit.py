"""Every read of a person's record is audited, through every page that shows one; a record
outside the user's area opens only with a reason, flagged. (That the log cannot be changed is in
test_models.py and test_triggers.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from provide.audit.models import AuditAction, AuditEvent


@pytest.mark.django_db
def test_viewing_a_person_writes_a_view_event(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    response = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="people.person")
    assert event.actor == personas["triage_sergeant"]
    assert event.person_id == west_case["victim"].public_id
    assert event.event == "people.person_viewed"


@pytest.mark.django_db
def test_viewing_an_investigation_is_audited_against_its_victim(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["response_officer"])
    client.get(reverse("web:investigation-detail", args=[west_case["investigation"].public_id]))
    event = AuditEvent.objects.get(event="intake.investigation_viewed")
    assert event.person_id == west_case["victim"].public_id


@pytest.mark.django_db
def test_out_of_area_record_needs_a_reason_and_is_flagged(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])  # a West sergeant
    url = reverse("people:person-detail", args=[east_case["victim"].public_id])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Erin" not in refused.content.decode()
    too_short = client.post(url, {"reason": "why"})
    assert too_short.status_code == 403
    assert "govuk-error-message" in too_short.content.decode()
    assert "why</textarea>" in too_short.content.decode()  # what was typed is shown again
    opened = client.post(url, {"reason": "Victim moved to Blackpool; checking history for MARAC"})
    assert opened.status_code == 200
    assert "Erin" in opened.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.flagged and "MARAC" in event.reason


@pytest.mark.django_db
def test_missing_and_forbidden_records_look_the_same(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    forbidden = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    missing = client.get(
        reverse("people:person-detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert forbidden.status_code == missing.status_code == 404
