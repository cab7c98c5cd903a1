"""API lists are audited: one event per page served, naming every record on it.

The finding behind this (issue 16): a response officer paged ``/api/people/`` and read thousands
of people's names, dates of birth, postcodes and safe phone numbers with no audit event at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIRequestFactory, force_authenticate

from provide.audit.models import AuditEvent
from provide.cases.models import Case
from provide.intake.models import Investigation
from provide.people.api import PersonViewSet
from provide.people.models import Person
from tests.audit_assertions import assert_records_read

pytestmark = pytest.mark.django_db

PAGE_SIZE = 50


def _api(user: Any) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def west_victims(areas: dict[str, Any]) -> list[Investigation]:
    """Sixty West victims, each with an investigation and a case: more than one page of anything."""
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            force_person_ref=f"P-BULK-{n}",
            given_name=f"Given{n}",
            family_name=f"Bulk{n:02d}",
            postcode="FY1 1AA",
            safe_phone="07700 900000",
            synthetic=True,
        )
        for n in range(60)
    )
    investigations = Investigation.objects.bulk_create(
        Investigation(
            investigation_ref=f"WB/2026/9{n:05d}",
            recorded_at=now - dt.timedelta(minutes=n),
            bcu=areas["west"],
            victim=person,
            risk_grade="medium",
        )
        for n, person in enumerate(people)
    )
    Case.objects.bulk_create(
        Case(investigation=investigation, state="new") for investigation in investigations
    )
    return investigations


def _page_through(client: Client, url: str) -> list[list[str]]:
    """Every page of an API list, following ``next``: the ids each request returned."""
    pages, next_url = [], url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        body = response.json()
        pages.append([str(row.get("id") or row.get("case")) for row in body["results"]])
        next_url = body["next"]
    return pages


def test_paging_people_writes_one_event_per_page_naming_each_person(
    personas: dict[str, Any], west_victims: list[Investigation], east_case: dict[str, Any]
) -> None:
    officer = personas["response_officer"]
    pages = _page_through(_api(officer), "/api/people/")
    assert [len(page) for page in pages] == [PAGE_SIZE, 10]
    events = assert_records_read("people.people_listed", actor=officer, pages=pages)
    shown = {person for page in pages for person in page}
    assert shown == {str(i.victim.public_id) for i in west_victims}  # and nobody from the East
    assert str(east_case["victim"].public_id) not in shown
    assert events[1].changes["query"] == {"page": "2"} and events[0].changes["query"] == {}
    assert events[0].changes["people"] == pages[0]
    assert (events[0].object_type, events[0].object_id, events[0].person_id) == (
        "people.person",
        "",
        None,
    )


def test_paging_investigations_writes_one_event_per_page_naming_each_and_its_victim(
    personas: dict[str, Any], west_victims: list[Investigation]
) -> None:
    officer = personas["response_officer"]
    pages = _page_through(_api(officer), "/api/investigations/")
    assert sum(len(page) for page in pages) == 60 and len(pages) == 2
    events = assert_records_read("intake.investigations_listed", actor=officer, pages=pages)
    victims = {str(i.public_id): str(i.victim.public_id) for i in west_victims}
    assert events[0].changes["people"] == [victims[record] for record in pages[0]]


def test_paging_the_case_list_writes_one_event_per_page(
    personas: dict[str, Any], west_victims: list[Investigation]
) -> None:
    sergeant = personas["triage_sergeant"]
    pages = _page_through(_api(sergeant), "/api/cases/?state=new")
    assert [len(page) for page in pages] == [PAGE_SIZE, 10]
    events = assert_records_read("cases.case_listed", actor=sergeant, pages=pages)
    assert events[0].changes["query"] == {"state": "new"}
    assert len(events[0].changes["people"]) == PAGE_SIZE


def test_a_page_that_does_not_exist_reads_nothing_and_writes_nothing(
    personas: dict[str, Any], west_victims: list[Investigation]
) -> None:
    assert _api(personas["response_officer"]).get("/api/people/?page=9").status_code == 404
    assert not AuditEvent.objects.filter(event="people.people_listed").exists()


def test_a_list_of_one_names_its_record_as_the_subject(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["response_officer"]
    investigation = west_case["investigation"]
    investigation.suspect = None  # the West list is then her alone (a suspect is listed too)
    investigation.save(update_fields=["suspect"])
    pages = _page_through(_api(officer), "/api/people/")
    assert pages == [[str(west_case["victim"].public_id)]]
    event = assert_records_read("people.people_listed", actor=officer, pages=pages)[0]
    assert (event.object_id, event.person_id) == (
        str(west_case["victim"].public_id),
        west_case["victim"].public_id,
    )


def test_an_unpaginated_list_is_audited_whole(
    personas: dict[str, Any], west_victims: list[Investigation]
) -> None:
    class AllPeople(PersonViewSet):
        pagination_class = None

    request = APIRequestFactory().get("/api/people/")
    force_authenticate(request, user=personas["response_officer"])
    response = AllPeople.as_view({"get": "list"})(request)
    assert response.status_code == 200 and len(response.data) == 60
    assert_records_read(
        "people.people_listed",
        actor=personas["response_officer"],
        pages=[[row["id"] for row in response.data]],
    )


def test_a_viewset_without_an_event_name_is_a_programming_error(personas: dict[str, Any]) -> None:
    class Unnamed(PersonViewSet):
        audit_list_event = ""

    request = APIRequestFactory().get("/api/people/")
    force_authenticate(request, user=personas["response_officer"])
    with pytest.raises(NotImplementedError, match="must name its audit_list_event"):
        Unnamed.as_view({"get": "list"})(request)
