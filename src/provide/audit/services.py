"""The one door for writing the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from provide.audit.models import AuditAction, AuditEvent


def _subject_fields(subject: models.Model | None) -> dict[str, Any]:
    if subject is None:
        return {}
    fields: dict[str, Any] = {
        "object_type": subject._meta.label_lower,
        "object_id": str(getattr(subject, "public_id", subject.pk)),
    }
    person = _person_of(subject)
    if person is not None:
        fields["person_id"] = person.public_id
        fields["person_label"] = str(person)
    return fields


def _person_of(subject: models.Model) -> Any:
    """The person a record is about: itself, or its victim/person field."""
    if subject._meta.label_lower == "people.person":
        return subject
    for attribute in ("victim", "person"):
        if hasattr(subject, f"{attribute}_id") and getattr(subject, f"{attribute}_id"):
            return getattr(subject, attribute)
    return None


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    event: str,
    subject: models.Model | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
    flagged: bool = False,
    ip_address: str | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one audit event. Call inside the transaction of the change it records."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else (
            actor_username or getattr(actor, "audit_name", "")
        ),
        action=str(action),
        event=event,
        reason=reason,
        changes=changes or {},
        flagged=flagged or action == AuditAction.BREAK_GLASS,
        ip_address=ip_address,
        **_subject_fields(subject),
    )


def audit_record_many(
    *, actor: Any, action: AuditAction | str, event: str, subjects: Iterable[models.Model],
    changes: Sequence[dict[str, Any]] | None = None, actor_username: str = "",
) -> int:
    """Append one event per subject in a single insert (list pages, exports, bulk imports).

    ``changes``, when given, holds one changes dict per subject, in the same order.
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    subjects = list(subjects)
    if changes is not None and len(changes) != len(subjects):
        raise ValueError("audit_record_many: one changes dict per subject")
    events = [
        AuditEvent(
            actor=actor if authenticated else None,
            actor_username=actor.get_username() if authenticated else actor_username,
            action=str(action),
            event=event,
            changes=changes[index] if changes is not None else {},
            **_subject_fields(subject),
        )
        for index, subject in enumerate(subjects)
    ]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    return len(events)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ, as {"field": [old, new]} with values as text."""
    return {
        key: [None if before.get(key) is None else str(before.get(key)),
              None if after.get(key) is None else str(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
