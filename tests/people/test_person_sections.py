"""The person page's sections, added by the apps above people: collected once in page order,
and each rendered only for users its app lets see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from provide.people.models import Person
from provide.people.person_sections import PersonSection, all_person_sections, person_sections_for


def _request(user: Any) -> Any:
    request = RequestFactory().get("/people/")
    request.user = user
    return request


def test_sections_come_from_every_app_that_adds_one_in_page_order() -> None:
    sections = all_person_sections()
    assert all(isinstance(section, PersonSection) for section in sections)
    assert [(s.order, s.key) for s in sections] == sorted((s.order, s.key) for s in sections)
    assert [s.key for s in sections] == ["investigations", "visits", "health"]
    assert all_person_sections() is sections  # collected once


@pytest.mark.django_db
def test_a_police_officer_gets_the_shared_sections_and_a_health_role_the_health_side_too(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim, investigation = west_case["victim"], west_case["investigation"]
    officer = person_sections_for(_request(personas["joint_team_officer"]), victim)
    idva = person_sections_for(_request(personas["health_idva"]), victim)
    assert len(officer) == 2 and len(idva) == 3
    for rendered in (officer, idva):
        assert (
            investigation.investigation_ref in rendered[0]
            and "Investigations as victim" in rendered[0]
        )
        assert "Post-incident" in rendered[1]
    assert "T-1" in idva[2]
    assert not any("T-1" in html or "Health-side record" in html for html in officer)


@pytest.mark.django_db
def test_a_person_with_no_history_still_gets_each_section_saying_so(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    nobody = Person.objects.create(given_name="Nia", family_name="New", synthetic=True)
    rendered = person_sections_for(_request(personas["health_idva"]), nobody)
    assert len(rendered) == 3
    assert "None in this period." in rendered[0]
    assert "No visits recorded." in rendered[1]
    assert "None." in rendered[2]
