"""The database itself refuses to change or delete an audit row, on SQLite and PostgreSQL alike.

Every statement here is raw SQL through ``connection.cursor()``: what the ORM guards does not
matter to a database shell. The suite runs these on whichever database DATABASE_URL names.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import audit_record
from provide.audit.triggers import expected_triggers, missing_triggers
from tests.audit import tamper

pytestmark = pytest.mark.django_db


def _refused(sql: str, params: list[object] | None = None) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        tamper.execute(sql, params)
    return str(refused.value)


def test_raw_sql_cannot_update_an_audit_row() -> None:
    event = audit_record(
        actor=None, action=AuditAction.VIEW, event="test.viewed", reason="first look"
    )
    assert "append-only" in _refused(
        "UPDATE audit_auditevent SET reason = 'nothing happened' WHERE id = %s", [event.pk]
    )
    assert "append-only" in _refused("UPDATE audit_auditevent SET actor_username = 'someone else'")
    assert AuditEvent.objects.get(pk=event.pk).reason == "first look"


def test_raw_sql_cannot_delete_an_audit_row() -> None:
    first = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    assert "append-only" in _refused("DELETE FROM audit_auditevent WHERE id = %s", [first.pk])
    assert "append-only" in _refused("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's; SQLite empties with DELETE"
)
def test_truncate_is_refused_on_postgresql() -> None:
    audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    tamper.execute(
        "SET CONSTRAINTS ALL IMMEDIATE"
    )  # TRUNCATE waits for no deferred check in the test's transaction
    assert "append-only" in _refused("TRUNCATE audit_auditevent")
    assert "append-only" in _refused(
        "TRUNCATE accounts_user CASCADE"
    )  # reaches the audit table through actor
    assert AuditEvent.objects.count() == 1


def test_deleting_a_user_who_appears_in_the_log_is_refused(personas: dict[str, object]) -> None:
    # actor is SET_NULL: deleting the user would rewrite who did it, so the database refuses.
    sergeant = personas["triage_sergeant"]
    audit_record(actor=sergeant, action=AuditAction.VIEW, event="test.viewed")
    with pytest.raises(DatabaseError), transaction.atomic():
        sergeant.delete()  # type: ignore[attr-defined]
    assert AuditEvent.objects.get(event="test.viewed").actor == sergeant


def test_inserting_is_allowed() -> None:
    audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    assert AuditEvent.objects.filter(event="test.viewed").count() == 1


def test_every_trigger_is_in_place_after_migrating() -> None:
    assert missing_triggers(connection) == []
    assert len(expected_triggers(connection)) == (3 if connection.vendor == "postgresql" else 2)


def test_a_dropped_trigger_is_reported_missing_and_its_guard_is_gone() -> None:
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    tamper.drop_triggers()
    assert missing_triggers(connection) == list(expected_triggers(connection))
    tamper.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == "edited"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no disabled state for triggers"
)
def test_a_disabled_trigger_counts_as_missing_on_postgresql() -> None:
    tamper.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
    assert missing_triggers(connection) == ["audit_event_no_update"]
