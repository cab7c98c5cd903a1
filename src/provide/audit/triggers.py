"""The database itself keeps the audit table append-only, on SQLite and on PostgreSQL.

Triggers refuse every UPDATE and DELETE of an audit row, however it is sent (the ORM, raw SQL,
a database shell). The one way through is :func:`provide.audit.maintenance.audit_maintenance`,
which only Provide's ``flush`` command enters, so that emptying a whole database (the test
runner does it between transactional tests) still works:

* **SQLite** empties a table with ``DELETE FROM``, which fires row triggers. The DELETE trigger
  asks the SQL function ``provide_audit_maintenance()``, which Provide registers on each of its
  own connections (:mod:`provide.audit.maintenance`) and which answers 1 only inside the
  maintenance block of that connection. Elsewhere (another process, the ``sqlite3`` shell) the
  function does not exist or answers 0, and the delete is refused.
* **PostgreSQL** empties tables with ``TRUNCATE``, which fires no row triggers. A statement
  trigger refuses ``TRUNCATE`` unless the transaction has set ``provide.audit_maintenance`` to
  ``on`` (``SET LOCAL``, which ends with the transaction). Row UPDATE and DELETE are refused
  always.

Triggers stop mistakes and the application, not the database's owner, who can drop them: the
hash chain (:mod:`provide.audit.chain`) shows what such a person changed, and
:func:`missing_triggers` lets ``provide audit-verify`` say when a trigger is gone or disabled.

A migration that rebuilds the audit table on SQLite (Django's "remake table" for many field
changes) drops its triggers with the old table: such a migration must call
:func:`create_triggers` again at its end.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"
MAINTENANCE_FUNCTION = "provide_audit_maintenance"
MAINTENANCE_SETTING = "provide.audit_maintenance"

SQLITE_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete")
POSTGRESQL_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete", "audit_event_no_truncate")

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
        WHEN {MAINTENANCE_FUNCTION}() IS NOT 1
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' AND current_setting('{MAINTENANCE_SETTING}', true) = 'on' THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]


def expected_triggers(connection: BaseDatabaseWrapper) -> tuple[str, ...]:
    """The triggers the audit table must carry on this database."""
    return POSTGRESQL_TRIGGERS if connection.vendor == "postgresql" else SQLITE_TRIGGERS


def create_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Put the append-only triggers on the audit table (replacing any there)."""
    drop_triggers(schema_editor)
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_CREATE if postgresql else SQLITE_CREATE:
        schema_editor.execute(statement)


def drop_triggers(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Take the append-only triggers off (migrations that must rewrite rows, then put them back)."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {name}" + (f" ON {TABLE}" if postgresql else "")
        )


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The append-only triggers that are absent, or disabled (PostgreSQL), on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
                " AND tgenabled <> 'D'", [TABLE])  # fmt: skip
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in expected_triggers(connection) if name not in present]
