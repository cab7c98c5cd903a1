"""provide flush empties the database, audit log included, through the triggers' one opening."""

from __future__ import annotations

import pytest
from django.core.management import call_command, get_commands
from django.db import DatabaseError, transaction

from provide.audit.chain import chain_verify
from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import audit_record
from tests.audit import tamper


def test_provide_flush_is_the_audit_apps_command() -> None:
    assert get_commands()["flush"] == "provide.audit"


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_log_and_the_chain_starts_again() -> None:
    for _ in range(3):
        audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    assert event.chain_index == 1 and chain_verify().ok
    # The opening closed with the flush: deleting is refused again.
    with pytest.raises(DatabaseError), transaction.atomic():
        tamper.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == 1
