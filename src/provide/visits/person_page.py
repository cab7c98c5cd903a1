"""What visits adds to the person page (see provide.people.person_sections)."""

from __future__ import annotations

from typing import Any

from provide.accounts.models import User
from provide.people.models import Person
from provide.people.person_sections import PersonSection
from provide.visits.selectors import visit_list_for


def _visits(user: User, person: Person) -> dict[str, Any]:
    return {"visits": visit_list_for(user=user, person=person)[:20]}


PERSON_SECTIONS = (PersonSection("visits", "web/_visit_table.html", _visits, order=20),)
