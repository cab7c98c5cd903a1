"""What health adds to the person page, for health roles only (see provide.people.person_sections)."""

from __future__ import annotations

from typing import Any

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record
from provide.health.selectors import support_record_list_for
from provide.people.models import Person
from provide.people.person_sections import PersonSection


def _support_records(user: User, person: Person) -> dict[str, Any] | None:
    if not can_view_health_record(user):
        return None
    return {"support_records": support_record_list_for(user=user, person=person)[:20]}


PERSON_SECTIONS = (
    PersonSection("health", "health/_person_support_records.html", _support_records, order=30),
)
