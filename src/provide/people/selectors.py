"""Access-checked reads of people. Every read of a person's record is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet

from provide.accounts.policies import bcu_scope, can_view_people
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.intake.models import Investigation
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.safeguarding.models import MaracCase


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


@dataclass(frozen=True)
class VictimHistory:
    """What the links say about one victim, as at a moment.

    Attributes
    ----------
    da_events_12m : int
        Investigations with this person as victim recorded in the 365 days up to ``as_of``
        (inclusive), the current one included.
    repeat_victim : bool
        Another investigation besides the latest one in those 365 days (FORMATS.md: "the same
        victim has another investigation recorded in the 365 days before this one").
    previous_marac_within_12m : bool
        A MARAC case for the victim with a meeting date in the 365 days up to ``as_of``.
    last_marac_on : date or None
    last_investigation_at : datetime or None
        The latest investigation at or before ``as_of``.
    """

    da_events_12m: int = 0
    repeat_victim: bool = False
    previous_marac_within_12m: bool = False
    last_marac_on: dt.date | None = None
    last_investigation_at: dt.datetime | None = None


HISTORY_DAYS = 365


def victim_history_for(person_ids: Iterable[int], as_of: dt.datetime) -> dict[int, VictimHistory]:
    """Repeat-victim and MARAC history for many victims in two queries.

    ``person_ids`` are Person primary keys (as on ``Investigation.victim_id``); the answer has
    one entry per id, empty history for people with none. Merged duplicates need no special
    care: a merge moves their investigations and MARAC cases to the surviving record. Not
    access-checked: callers pass ids they already read through an access-checked selector
    (the triage board passes its day's list).
    """
    ids = sorted(set(person_ids))
    since = as_of - dt.timedelta(days=HISTORY_DAYS)
    events: dict[int, list[dt.datetime]] = {pk: [] for pk in ids}
    marac: dict[int, dt.date] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = Investigation.objects.filter(
            victim_id__in=chunk, recorded_at__gt=since, recorded_at__lte=as_of
        ).values_list("victim_id", "recorded_at")
        for victim_id, recorded_at in rows:
            events[victim_id].append(recorded_at)
        meetings = (
            MaracCase.objects.filter(
                victim_id__in=chunk, meeting_on__gt=since.date(), meeting_on__lte=as_of.date()
            )
            .values("victim_id").annotate(last=Max("meeting_on")).values_list("victim_id", "last")
        )
        marac.update(meetings)
    return {
        pk: VictimHistory(
            da_events_12m=len(events[pk]),
            repeat_victim=len(events[pk]) >= 2,
            previous_marac_within_12m=pk in marac,
            last_marac_on=marac.get(pk),
            last_investigation_at=max(events[pk]) if events[pk] else None,
        )
        for pk in ids
    }


def person_match_list_for(*, user: Any, status: str = "open") -> QuerySet[PersonMatch]:
    """The linking review queue: possible duplicates waiting for a decision."""
    if not user.has_perm("people.merge_person"):
        return PersonMatch.objects.none()
    return PersonMatch.objects.filter(status=status).select_related("person", "candidate").order_by("-score", "pk")


def person_match_get_for(*, user: Any, match_id: uuid.UUID | str) -> PersonMatch:
    try:
        return person_match_list_for(user=user).get(public_id=match_id)
    except (PersonMatch.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def person_merge_list_for(*, user: Any, person: Person) -> QuerySet[PersonMerge]:
    """Merges into or out of ``person``, newest first."""
    if not user.has_perm("people.merge_person"):
        return PersonMerge.objects.none()
    return (PersonMerge.objects.filter(Q(survivor=person) | Q(duplicate=person))
            .select_related("duplicate", "survivor", "merged_by").order_by("-created_at"))  # fmt: skip


def person_merge_get_for(*, user: Any, merge_id: uuid.UUID | str) -> PersonMerge:
    if not user.has_perm("people.merge_person"):
        raise RecordNotFound
    try:
        return PersonMerge.objects.select_related("duplicate", "survivor").get(public_id=merge_id)
    except (PersonMerge.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
