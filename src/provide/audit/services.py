"""The one door for writing the audit log.

Every event is appended to the hash chain (:mod:`provide.audit.chain`) under the chain's lock,
in the caller's transaction: the event is kept exactly when the change it records is.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from provide.audit.chain import chain_head_locked, chain_link, plain_json
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
    event_row = _new_event(
        actor=actor,
        actor_username=actor_username,
        action=action,
        event=event,
        reason=reason,
        changes=changes,
        flagged=flagged,
        ip_address=ip_address,
        **_subject_fields(subject),
    )
    _append([event_row])
    return event_row


def _new_event(
    *,
    actor: Any,
    actor_username: str,
    action: AuditAction | str,
    changes: dict[str, Any] | None,
    flagged: bool = False,
    ip_address: str | None = None,
    **fields: Any,
) -> AuditEvent:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent(
        actor=actor if authenticated else None,
        actor_username=actor.get_username()
        if authenticated
        else (actor_username or getattr(actor, "audit_name", "")),
        action=str(action),
        changes=plain_json(changes or {}),
        flagged=flagged or action == AuditAction.BREAK_GLASS,
        ip_address=_ip(ip_address),
        **fields,
    )


def _ip(value: str | None) -> str | None:
    """The address in its standard text form (as the hash covers it); None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip())) if value else None
    except ValueError:
        return None


def audit_records_read(
    *,
    actor: Any,
    records: Iterable[models.Model],
    event: str,
    query: Mapping[str, Any] | None = None,
    action: AuditAction | str = AuditAction.VIEW,
    actor_username: str = "",
) -> AuditEvent:
    """One event for a list, a page of the API, a search or an export: every record it returned.

    ``changes`` holds ``records`` (their public ids, in the order shown), ``count``, ``people``
    (the public ids of the people they are about, once each, so that a search of the log by
    person finds the lists that showed them) and ``query`` (the filters, page and search text
    asked for; a ``QueryDict`` is taken as it is). A list of exactly one record names it as
    the event's subject, as reading that record alone would.
    """
    shown = list(records)
    if len(shown) == 1:
        fields = _subject_fields(shown[0])
    else:
        types = {record._meta.label_lower for record in shown}
        fields = {"object_type": types.pop() if len(types) == 1 else ""}
    changes = {
        "records": [str(getattr(record, "public_id", record.pk)) for record in shown],
        "count": len(shown),
        "people": _people_ids(shown),
        "query": _query_dict(query),
    }
    event_row = _new_event(
        actor=actor,
        actor_username=actor_username,
        action=action,
        event=event,
        changes=changes,
        **fields,
    )
    _append([event_row])
    return event_row


def _query_dict(query: Mapping[str, Any] | None) -> dict[str, Any]:
    if query is None:
        return {}
    lists = getattr(query, "lists", None)
    if callable(lists):  # a QueryDict: one value as itself, several as a list
        return {key: values[0] if len(values) == 1 else list(values) for key, values in lists()}
    return dict(query)


_PERSON_PATHS = (
    ("victim", "public_id"),
    ("person", "public_id"),
    ("investigation", "victim__public_id"),
)
"""Where a record's person is: its victim or person, or its investigation's victim."""

_NOT_LOADED = object()


def _loaded_value(obj: Any, lookup: str) -> Any:
    """``obj``'s value at ``lookup`` ("victim__public_id") when no query is needed to read it."""
    *relations, name = lookup.split("__")
    for relation in relations:
        try:
            field = obj._meta.get_field(relation)
        except FieldDoesNotExist:  # a property: reading it is the record's own business
            obj = getattr(obj, relation)
            continue
        if not field.is_cached(obj):
            return _NOT_LOADED
        obj = getattr(obj, relation)
        if obj is None:
            return None
    return getattr(obj, name, None)


def _people_ids(records: list[models.Model]) -> list[str]:
    """The public ids of the people the records are about, in order, once each. People already
    loaded with their records cost nothing; the others cost one query per kind of record."""
    found: list[Any] = []  # a public id, or (model, lookup, primary key) to look up
    for record in records:
        if record._meta.label_lower == "people.person":
            found.append(getattr(record, "public_id", None))
            continue
        for attribute, lookup in _PERSON_PATHS:
            key = getattr(record, f"{attribute}_id", None)
            if not key:
                continue
            value = _loaded_value(record, f"{attribute}__{lookup}")
            if value is _NOT_LOADED:
                value = (record._meta.get_field(attribute).related_model, lookup, key)
            found.append(value)
            break
    wanted: dict[tuple[Any, str], set[Any]] = {}
    for item in found:
        if isinstance(item, tuple):
            wanted.setdefault(item[:2], set()).add(item[2])
    public = {
        (model, lookup, pk): public_id
        for (model, lookup), keys in wanted.items()
        for pk, public_id in model._base_manager.filter(pk__in=keys)
        .order_by()
        .values_list("pk", lookup)
    }
    ids = (public.get(item) if isinstance(item, tuple) else item for item in found)
    return list(dict.fromkeys(str(value) for value in ids if value is not None))


def _append(events: list[AuditEvent]) -> None:
    """Link the events after the chain's head and insert them, holding the chain's lock."""
    with transaction.atomic(savepoint=False):
        chain_link(events, chain_head_locked())
        if len(events) == 1:
            events[0].save(force_insert=True)
        else:
            AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_record_many(
    *,
    actor: Any,
    action: AuditAction | str,
    event: str,
    subjects: Iterable[models.Model],
    changes: Sequence[dict[str, Any]] | None = None,
    actor_username: str = "",
) -> int:
    """Append one event per subject in a single insert: imports and updates that change many
    records, each change its own event. (Reading many records is ONE event: use
    :func:`audit_records_read`.)

    ``changes``, when given, holds one changes dict per subject, in the same order.
    """
    subjects = list(subjects)
    if changes is not None and len(changes) != len(subjects):
        raise ValueError("audit_record_many: one changes dict per subject")
    events = [
        _new_event(
            actor=actor,
            actor_username=actor_username,
            action=action,
            event=event,
            changes=changes[index] if changes is not None else None,
            **_subject_fields(subject),
        )
        for index, subject in enumerate(subjects)
    ]
    if events:
        _append(events)
    return len(events)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields that differ, as {"field": [old, new]} with values as text."""
    return {
        key: [
            None if before.get(key) is None else str(before.get(key)),
            None if after.get(key) is None else str(after.get(key)),
        ]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
