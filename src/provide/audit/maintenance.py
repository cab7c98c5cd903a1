"""The one opening in the audit table's triggers: emptying the whole database (``flush``).

See :mod:`provide.audit.triggers` for why it exists and what it lets through. Only
``provide flush`` (and so the test runner's flush between transactional tests) enters it. The
retention job, when it comes, will need its own chain-aware design; it must not reuse this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from provide.audit.triggers import MAINTENANCE_FUNCTION, MAINTENANCE_SETTING

_FLAG = "_provide_audit_maintenance"


def register_maintenance_function(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """On each new SQLite connection, define the function the DELETE trigger asks.

    Connected to ``connection_created`` (``AuditConfig.ready``). It answers 1 only while this
    connection is inside :func:`audit_maintenance`; no other connection can turn it on.
    """
    if connection.vendor != "sqlite":
        return

    def maintenance() -> int:
        return 1 if getattr(connection, _FLAG, False) else 0

    connection.connection.create_function(MAINTENANCE_FUNCTION, 0, maintenance)


@contextmanager
def audit_maintenance(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let the database be emptied while the block runs, on this connection only.

    PostgreSQL: the block is one transaction with ``provide.audit_maintenance`` set locally to
    it, which lets ``TRUNCATE`` through. SQLite: the block lets ``DELETE`` through. Row UPDATE
    stays refused on both, and row DELETE stays refused on PostgreSQL.
    """
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            _set_local(connection, "on")
            yield
            # Inside a caller's transaction the setting would outlive the block: end it here.
            # (When the block fails, rolling it back ends the setting.)
            _set_local(connection, "off")
        return
    setattr(connection, _FLAG, True)
    try:
        yield
    finally:
        setattr(connection, _FLAG, False)


def _set_local(connection: BaseDatabaseWrapper, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [MAINTENANCE_SETTING, value])
