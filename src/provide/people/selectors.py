"""Access-checked reads of people. Every read of a person's record is audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from provide.accounts.policies import bcu_scope, can_view_people
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.people.models import Person


class RecordNotFound(Exception):
    """Missing and forbidden look the same to the caller (a 404)."""


class BreakGlassRequired(Exception):
    """The record is outside the user's area: they must state a reason to open it."""

    def __init__(self, person: Person) -> None:
        super().__init__("a reason is needed to open a record outside your area")
        self.person = person


def person_in_scope(user: Any, person: Person) -> bool:
    bcu = bcu_scope(user)
    if bcu is None:
        return True
    return (
        person.investigations_as_victim.filter(bcu=bcu).exists()
        or person.investigations_as_suspect.filter(bcu=bcu).exists()
    )


def person_get_for(*, user: Any, person_id: uuid.UUID | str, reason: str = "") -> Person:
    """Fetch a person for ``user``, auditing the read.

    Raises RecordNotFound when the person does not exist or the user's role may not see
    people, and BreakGlassRequired when the person is outside the user's BCU and no reason
    was given. With a reason, the read is audited as a flagged break-glass event.
    """
    if not can_view_people(user):
        raise RecordNotFound
    try:
        person = Person.objects.select_related("district").get(public_id=person_id)
    except (Person.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    if person_in_scope(user, person):
        audit_record(actor=user, action=AuditAction.VIEW, event="people.person_viewed", subject=person)
        return person
    if not reason.strip():
        raise BreakGlassRequired(person)
    audit_record(
        actor=user,
        action=AuditAction.BREAK_GLASS,
        event="people.person_viewed_out_of_area",
        subject=person,
        reason=reason.strip(),
    )
    return person


def person_search_for(*, user: Any, text: str, limit: int = 25) -> list[Person]:
    """Find people by name or force reference within the user's area."""
    if not can_view_people(user) or not text.strip():
        return []
    term = text.strip()
    people = Person.objects.filter(
        Q(family_name__icontains=term) | Q(given_name__icontains=term) | Q(force_person_ref__iexact=term)
    )
    bcu = bcu_scope(user)
    if bcu is not None:
        people = people.filter(
            Q(investigations_as_victim__bcu=bcu) | Q(investigations_as_suspect__bcu=bcu)
        ).distinct()
    return list(people.order_by("family_name", "given_name")[:limit])
