"""The audit log is append-only from Python: no save of a stored event, no delete, no bulk
update or delete, and no event that did not come through the service that chains it."""

from __future__ import annotations

import pytest

from provide.audit.models import AppendOnlyError, AuditAction, AuditEvent
from provide.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_audit_events_cannot_be_changed_or_deleted_through_the_orm() -> None:
    event = audit_record(actor=None, action=AuditAction.VIEW, event="test.viewed")
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        event.save()
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        event.delete()
    with pytest.raises(AppendOnlyError, match="cannot be changed"):
        AuditEvent.objects.all().update(reason="tampered")
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(flagged=True)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.reason == "" and not stored.flagged


def test_a_new_event_saved_by_hand_without_its_chain_link_is_refused() -> None:
    with pytest.raises(AppendOnlyError, match=r"written by provide\.audit\.services"):
        AuditEvent(action=AuditAction.VIEW, event="test.viewed", chain_index=1).save()
    assert not AuditEvent.objects.exists()


def test_the_log_reads_newest_first() -> None:
    first = audit_record(actor=None, action=AuditAction.VIEW, event="test.first")
    second = audit_record(actor=None, action=AuditAction.VIEW, event="test.second")
    assert list(AuditEvent.objects.all()) == [second, first]
