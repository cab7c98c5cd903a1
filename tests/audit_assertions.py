"""Assertions for audit events: by action, actor and subject, never just "something exists";
and, for lists, one event per request naming exactly what the request returned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from provide.audit.models import AuditEvent


def assert_audited(
    event: str,
    *,
    action: str,
    actor: Any = None,
    actor_username: str = "",
    subject: Any = None,
    person: Any = None,
    count: int = 1,
    **fields: Any,
) -> AuditEvent:
    """Exactly ``count`` events named ``event`` with this action, actor (a user, or the
    command's name) and subject (the record, or the person it is about); returns the latest."""
    events = AuditEvent.objects.filter(event=event, action=action, **fields)
    if actor is not None:
        events = events.filter(actor=actor)
    if actor_username:
        events = events.filter(actor_username=actor_username)
    if subject is not None:
        events = events.filter(
            object_type=subject._meta.label_lower,
            object_id=str(getattr(subject, "public_id", subject.pk)),
        )
    if person is not None:
        events = events.filter(person_id=person.public_id)
    found = events.count()
    assert found == count, (
        f"expected {count} {event!r} event(s) ({action}, actor={actor or actor_username}, "
        f"subject={subject}, person={person}); found {found}: "
        f"{list(AuditEvent.objects.filter(event=event).values('action', 'actor_username', 'object_id'))}"
    )
    return events.latest("id")


def assert_records_read(
    event: str,
    *,
    pages: Sequence[Sequence[Any]],
    action: str = "view",
    actor: Any = None,
    actor_username: str = "",
) -> list[AuditEvent]:
    """A list, page, search or export audited as ONE event per request: ``pages`` holds what each
    request returned (records, or their public ids), in order, and each event must name exactly
    those records, in that order, with their count. Returns the events, oldest first."""
    events = AuditEvent.objects.filter(event=event, action=action)
    if actor is not None:
        events = events.filter(actor=actor)
    if actor_username:
        events = events.filter(actor_username=actor_username)
    found = list(events.order_by("chain_index"))
    assert len(found) == len(pages), (
        f"expected {len(pages)} {event!r} event(s) ({action}, "
        f"actor={actor or actor_username}), one per request; found {len(found)}"
    )
    for number, (event_row, page) in enumerate(zip(found, pages, strict=True), start=1):
        expected = [str(getattr(record, "public_id", record)) for record in page]
        named = event_row.changes.get("records")
        assert named == expected, (
            f"request {number}: the event names {named}, the request returned {expected}"
        )
        assert event_row.changes.get("count") == len(expected)
    return found
