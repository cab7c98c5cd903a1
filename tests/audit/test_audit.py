"""Every read of a person's record is audited, and the log cannot be changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from provide.audit.models import AppendOnlyError, AuditAction, AuditEvent
from provide.audit.services import audit_record
from tests.cast import PASSWORD


@pytest.mark.django_db
def test_viewing_a_person_writes_a_view_event(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    response = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="people.person")
    assert event.actor == personas["triage_sergeant"]
    assert event.person_id == west_case["victim"].public_id
    assert event.event == "people.person_viewed"


@pytest.mark.django_db
def test_viewing_an_investigation_is_audited_against_its_victim(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["response_officer"])
    client.get(reverse("web:investigation-detail", args=[west_case["investigation"].public_id]))
    event = AuditEvent.objects.get(event="intake.investigation_viewed")
    assert event.person_id == west_case["victim"].public_id


@pytest.mark.django_db
def test_out_of_area_record_needs_a_reason_and_is_flagged(personas: dict[str, Any], east_case: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])  # a West sergeant
    url = reverse("people:person-detail", args=[east_case["victim"].public_id])
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Erin" not in refused.content.decode()
    too_short = client.post(url, {"reason": "why"})
    assert too_short.status_code == 403
    assert "govuk-error-message" in too_short.content.decode()
    assert 'why</textarea>' in too_short.content.decode()  # what was typed is shown again
    opened = client.post(url, {"reason": "Victim moved to Blackpool; checking history for MARAC"})
    assert opened.status_code == 200
    assert "Erin" in opened.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.flagged and "MARAC" in event.reason


@pytest.mark.django_db
def test_missing_and_forbidden_records_look_the_same(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["analyst"])
    forbidden = client.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    missing = client.get(reverse("people:person-detail", args=["00000000-0000-0000-0000-000000000000"]))
    assert forbidden.status_code == missing.status_code == 404


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_through_the_orm() -> None:
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_an_audit_event() -> None:
    audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    statements = ["UPDATE audit_auditevent SET reason = 'x'"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM audit_auditevent")
    for statement in statements:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_sign_in_success_and_failure_are_audited(personas: dict[str, Any]) -> None:
    client = Client()
    client.post(reverse("web:sign-in"), {"username": "analyst", "password": "wrong"})
    client.post(reverse("web:sign-in"), {"username": "analyst", "password": PASSWORD})
    client.post(reverse("web:sign-out"))
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_username"))
    assert actions == [
        (AuditAction.SIGN_IN_FAILED, "analyst"),
        (AuditAction.SIGN_IN, "analyst"),
        (AuditAction.SIGN_OUT, "analyst"),
    ]


@pytest.mark.django_db
def test_admin_views_and_changes_are_audited(personas: dict[str, Any], west_case: dict[str, Any]) -> None:
    from django.contrib.auth.models import Permission

    admin_user = personas["administrator"]
    admin_user.user_permissions.add(Permission.objects.get(codename="view_person"))
    client = Client()
    client.force_login(admin_user)
    response = client.get(reverse("admin:people_person_change", args=[west_case["victim"].pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(event="people.person_viewed_in_admin",
                                     person_id=west_case["victim"].public_id).exists()
