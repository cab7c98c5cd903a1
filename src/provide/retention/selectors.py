"""Reads for the retention pages, each checked against the user's side.

The administrator reads the police side, the IDVA manager the health side
(:mod:`provide.retention.policies`). The overview assesses both sides (a person's identity goes
only when both are due) but shows only the user's; finding a person uses only the user's side's
ids (the force's person id, or the NHS number).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from provide.audit.services import audit_records_read
from provide.health.models import HealthIdentity
from provide.people.models import Person
from provide.retention.assessment import retention_assess
from provide.retention.models import LegalHold, RetentionRun, Side
from provide.retention.policies import RetentionNotAllowed, retention_side_of
from provide.retention.schedule import ScheduleRow, retention_schedule
from provide.retention.summary import SideSummary, summarise
from provide.shared.access import RecordNotFound, get_by_public_id

HOLDS_LISTED_EVENT = "retention.legal_holds_listed"
RECENT_RUNS = 5
AMBIGUOUS = "More than one person has this id: use the person's Provide id instead."


class AmbiguousPerson(Exception):
    """The id given names more than one person."""


@dataclass(frozen=True)
class RetentionOverview:
    side: str
    today: dt.date
    schedule: list[ScheduleRow]
    summary: SideSummary
    people: dict[str, int]
    """Police page: people whose identity goes at the next run, and already gone."""
    holds: list[LegalHold]
    runs: list[RetentionRun]


def side_for(user: Any) -> str:
    side = retention_side_of(user)
    if side is None:
        raise RetentionNotAllowed
    return side


def retention_overview_for(*, user: Any, now: dt.datetime) -> RetentionOverview:
    """The schedule, what is due and held on the user's side, and that side's active holds
    (audited as a list: the holds name people)."""
    side = side_for(user)
    assessment = retention_assess(now=now)
    holds = list(
        LegalHold.objects.filter(side=side, released_at=None)
        .select_related("person", "placed_by")
        .order_by("-created_at")
    )
    audit_records_read(actor=user, records=holds, event=HOLDS_LISTED_EVENT, query={"side": side})
    people = (
        {"due": len(assessment.people_due), "anonymised": assessment.people_anonymised}
        if side == Side.POLICE
        else {}
    )
    return RetentionOverview(
        side=side,
        today=assessment.today,
        schedule=[row for row in retention_schedule() if row.side == side],
        summary=summarise(assessment, side),
        people=people,
        holds=holds,
        runs=list(RetentionRun.objects.order_by("-created_at")[:RECENT_RUNS]),
    )


def _unique(people: QuerySet[Person]) -> Person:
    found = list(people.filter(merged_into=None)[:2]) or list(people[:2])
    if not found:
        raise RecordNotFound
    if len(found) > 1:
        raise AmbiguousPerson(AMBIGUOUS)
    return found[0]


def subject_find(*, side: str, text: str) -> Person:
    """The person ``text`` names: their Provide id, or on the police side the force's person
    id, or on the health side their NHS number. Not access-checked (callers check the side).

    Raises
    ------
    RecordNotFound
        Nobody has that id (on that side).
    AmbiguousPerson
        Several people do.
    """
    text = text.strip()
    try:
        return Person.objects.get(public_id=uuid.UUID(text))
    except (ValueError, Person.DoesNotExist):
        pass
    if side == Side.POLICE and text:
        return _unique(Person.objects.filter(force_person_ref=text).order_by("pk"))
    digits = re.sub(r"[\s-]", "", text)
    if side == Side.HEALTH and digits:
        identity = HealthIdentity.objects.filter(nhs_number=digits).select_related("person").first()
        if identity is not None:
            return identity.person
    raise RecordNotFound


def subject_find_for(*, user: Any, text: str) -> tuple[Person, str]:
    """The person a user's subject-access request or hold names, and the user's side."""
    side = side_for(user)
    return subject_find(side=side, text=text), side


def legal_hold_get_for(*, user: Any, public_id: uuid.UUID | str) -> LegalHold:
    """One active hold on the user's side (missing and forbidden alike: RecordNotFound)."""
    side = retention_side_of(user)
    return get_by_public_id(
        LegalHold.objects.select_related("person").filter(side=side or "-"), public_id
    )
