"""One assertion for audit events: by action, actor and subject, never just "something exists"."""

from __future__ import annotations

from typing import Any

from provide.audit.models import AuditEvent


def assert_audited(event: str, *, action: str, actor: Any = None, actor_username: str = "",
                   subject: Any = None, person: Any = None, count: int = 1, **fields: Any) -> AuditEvent:
    """Exactly ``count`` events named ``event`` with this action, actor (a user, or the
    command's name) and subject (the record, or the person it is about); returns the latest."""
    events = AuditEvent.objects.filter(event=event, action=action, **fields)
    if actor is not None:
        events = events.filter(actor=actor)
    if actor_username:
        events = events.filter(actor_username=actor_username)
    if subject is not None:
        events = events.filter(object_type=subject._meta.label_lower,
                               object_id=str(getattr(subject, "public_id", subject.pk)))
    if person is not None:
        events = events.filter(person_id=person.public_id)
    found = events.count()
    assert found == count, (f"expected {count} {event!r} event(s) ({action}, actor={actor or actor_username}, "
                            f"subject={subject}, person={person}); found {found}: "
                            f"{list(AuditEvent.objects.filter(event=event).values('action', 'actor_username', 'object_id'))}")
    return events.latest("id")
