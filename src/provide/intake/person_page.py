"""What intake adds to the person page (see provide.people.person_sections)."""

from __future__ import annotations

from typing import Any

from provide.accounts.models import User
from provide.people.models import Person
from provide.people.person_sections import PersonSection


def _investigations(user: User, person: Person) -> dict[str, Any]:
    investigations = person.investigations_as_victim.select_related("bcu").order_by("-recorded_at")[
        :20
    ]
    return {"investigations": investigations, "caption": "Investigations as victim"}


PERSON_SECTIONS = (
    PersonSection("investigations", "web/_investigation_table.html", _investigations, order=10),
)
