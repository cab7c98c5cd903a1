"""What a database administrator could do to the audit table with raw SQL, for the tests.

Each function goes through ``connection.cursor()``, never the ORM, as a person at a database
shell would. The tests run inside a transaction, so what they do is rolled back afterwards.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from provide.audit.models import AuditEvent
from provide.audit.triggers import TABLE, expected_triggers


def drop_triggers() -> None:
    """What an owner of the table does first: take the append-only triggers off."""
    suffix = f" ON {TABLE}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        for name in expected_triggers(connection):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")


def execute(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def insert_row(**values: Any) -> int:
    """Insert an audit row with raw SQL; ``values`` as the model holds them. Returns its id."""
    fields = [AuditEvent._meta.get_field(name) for name in values]
    columns = ", ".join(field.column for field in fields)  # type: ignore[union-attr]
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]  # type: ignore[union-attr]
    placeholders = ", ".join(["%s"] * len(params))
    execute(f"INSERT INTO {TABLE} ({columns}) VALUES ({placeholders})", params)  # noqa: S608 (names from the model)
    return AuditEvent.objects.get(public_id=values["public_id"]).pk
