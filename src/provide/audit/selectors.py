"""Reads of the audit log (administrators only)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from provide.audit.models import AuditEvent


def audit_event_list_for(
    *,
    user: AbstractUser | AnonymousUser,
    username: str = "",
    person: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    if not user.has_perm("audit.view_auditevent"):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor")
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if person:
        term = person.strip()
        query = Q(person_label__icontains=term)
        with contextlib.suppress(ValueError):
            person_id = uuid.UUID(term)
            # and the lists, pages and searches that showed them (bulk reads name people by id)
            query |= Q(person_id=person_id) | Q(changes__people__icontains=str(person_id))
        events = events.filter(query)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    if action:
        events = events.filter(action=action)
    return events
