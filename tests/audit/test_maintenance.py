"""The one opening in the triggers lets the whole-table flush through, and nothing else."""

from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from provide.audit.maintenance import audit_maintenance
from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import audit_record
from provide.audit.triggers import TABLE
from tests.audit import tamper

pytestmark = pytest.mark.django_db


def _flush_sql() -> list[str]:
    """What Django's flush runs on this database for the audit table (DELETE or TRUNCATE)."""
    if (
        connection.vendor == "postgresql"
    ):  # TRUNCATE waits for no deferred check in the test's transaction
        tamper.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return connection.ops.sql_flush(no_style(), [TABLE])


def _maintenance_is_on() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('provide.audit_maintenance', true)")
            return bool(cursor.fetchone()[0] == "on")
        cursor.execute("SELECT provide_audit_maintenance()")
        return bool(cursor.fetchone()[0] == 1)


def test_the_flush_sql_is_refused_outside_maintenance_and_runs_inside() -> None:
    for _ in range(3):
        audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    with pytest.raises(DatabaseError), transaction.atomic():
        for statement in _flush_sql():
            tamper.execute(statement)
    assert AuditEvent.objects.count() == 3
    with audit_maintenance(connection):
        for statement in _flush_sql():
            tamper.execute(statement)
    assert AuditEvent.objects.count() == 0


def test_maintenance_still_refuses_to_change_a_row() -> None:
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    with audit_maintenance(connection), pytest.raises(DatabaseError), transaction.atomic():
        tamper.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's flush is itself a DELETE")
def test_maintenance_still_refuses_a_row_delete_on_postgresql() -> None:
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    with audit_maintenance(connection), pytest.raises(DatabaseError), transaction.atomic():
        tamper.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_maintenance_ends_with_its_block_even_when_the_block_fails() -> None:
    assert not _maintenance_is_on()
    with audit_maintenance(connection):
        assert _maintenance_is_on()
    assert not _maintenance_is_on()
    with pytest.raises(RuntimeError), audit_maintenance(connection):
        raise RuntimeError("the flush failed")
    assert not _maintenance_is_on()
    audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    with pytest.raises(DatabaseError), transaction.atomic():
        for statement in _flush_sql():
            tamper.execute(statement)
