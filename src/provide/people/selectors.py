"""Access-checked reads of people. Every read of a person's record is audited."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from provide.accounts.models import User
from provide.accounts.policies import can_view_people
from provide.audit.break_glass import break_glass_reason_problem, normalise_reason
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.shared.access import RecordNotFound, bcu_scope, get_by_public_id


class BreakGlassRequired(Exception):
    """The record is outside the user's area: they must state a reason to open it.

    ``problem`` says what was wrong with the reason given (the break-glass rule,
    :mod:`provide.audit.break_glass`); empty when none was given."""

    def __init__(self, person: Person, problem: str = "") -> None:
        super().__init__(problem or "a reason is needed to open a record outside your area")
        self.person = person
        self.problem = problem


def person_in_scope(user: User, person: Person) -> bool:
    bcu = bcu_scope(user)
    if bcu is None:
        return True
    return (
        person.investigations_as_victim.filter(bcu=bcu).exists()
        or person.investigations_as_suspect.filter(bcu=bcu).exists()
    )


def person_get_for(*, user: User, person_id: uuid.UUID | str, reason: str = "") -> Person:
    """Fetch a person for ``user``, auditing the read.

    Raises RecordNotFound when the person does not exist or the user's role may not see
    people, and BreakGlassRequired when the person is outside the user's BCU and no reason
    was given. With a reason, the read is audited as a flagged break-glass event.
    """
    if not can_view_people(user):
        raise RecordNotFound
    person = get_by_public_id(Person.objects.select_related("district"), person_id)
    if person_in_scope(user, person):
        audit_record(
            actor=user, action=AuditAction.VIEW, event="people.person_viewed", subject=person
        )
        return person
    problem = break_glass_reason_problem(reason)
    if problem is not None:
        raise BreakGlassRequired(person, problem if reason.strip() else "")
    audit_record(
        actor=user,
        action=AuditAction.BREAK_GLASS,
        event="people.person_viewed_out_of_area",
        subject=person,
        reason=normalise_reason(reason),
    )
    return person


def person_search_for(*, user: User, text: str, limit: int = 25) -> list[Person]:
    """Find people by name or force reference within the user's area."""
    if not can_view_people(user) or not text.strip():
        return []
    term = text.strip()
    people = Person.objects.filter(
        Q(family_name__icontains=term)
        | Q(given_name__icontains=term)
        | Q(force_person_ref__iexact=term)
    )
    bcu = bcu_scope(user)
    if bcu is not None:
        people = people.filter(
            Q(investigations_as_victim__bcu=bcu) | Q(investigations_as_suspect__bcu=bcu)
        ).distinct()
    return list(people.order_by("family_name", "given_name")[:limit])


def person_match_list_for(*, user: User, status: str = "open") -> QuerySet[PersonMatch]:
    """The linking review queue: possible duplicates waiting for a decision."""
    if not user.has_perm("people.merge_person"):
        return PersonMatch.objects.none()
    matches = PersonMatch.objects.filter(status=status)
    bcu = bcu_scope(user)
    if bcu is not None:
        # A BCU's reviewer sees a pair when either person is a victim or suspect in the BCU.
        matches = matches.filter(_in_bcu("person", bcu) | _in_bcu("candidate", bcu)).distinct()
    return matches.select_related("person", "candidate").order_by("-score", "pk")


def _in_bcu(field: str, bcu: object) -> Q:
    return Q(**{f"{field}__investigations_as_victim__bcu": bcu}) | Q(
        **{f"{field}__investigations_as_suspect__bcu": bcu}
    )


def person_match_get_for(*, user: User, match_id: uuid.UUID | str) -> PersonMatch:
    return get_by_public_id(person_match_list_for(user=user), match_id)


def person_merge_list_for(*, user: User, person: Person) -> QuerySet[PersonMerge]:
    """Merges into or out of ``person``, newest first."""
    if not user.has_perm("people.merge_person"):
        return PersonMerge.objects.none()
    return (PersonMerge.objects.filter(Q(survivor=person) | Q(duplicate=person))
            .select_related("duplicate", "survivor", "merged_by").order_by("-created_at"))  # fmt: skip


def person_merge_get_for(*, user: User, merge_id: uuid.UUID | str) -> PersonMerge:
    if not user.has_perm("people.merge_person"):
        raise RecordNotFound
    merge = get_by_public_id(PersonMerge.objects.select_related("duplicate", "survivor"), merge_id)
    if not (person_in_scope(user, merge.survivor) or person_in_scope(user, merge.duplicate)):
        raise RecordNotFound
    return merge
