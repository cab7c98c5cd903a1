"""provide flush: Django's ``flush``, let through the audit table's triggers.

Emptying the whole database (what the test runner does between transactional tests) empties
the audit log with it, as PostgreSQL's TRUNCATE always could for the table's owner. The audit
triggers refuse that to everyone else (``provide.audit.triggers``), so this command, which
replaces Django's own (an app's command of the same name takes precedence), runs the flush
inside ``audit_maintenance`` on the database it empties.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from provide.audit.maintenance import audit_maintenance


class Command(flush.Command):
    help = flush.Command.help + " Empties the audit log too."

    def handle(self, **options: Any) -> None:
        with audit_maintenance(connections[options.get("database") or DEFAULT_DB_ALIAS]):
            super().handle(**options)
