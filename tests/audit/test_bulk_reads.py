"""Pages that list people's records write ONE audit event per request, naming every record shown.

The case list, visits, referrals, the MARAC day, the triage board, the victim search: each
request is one event whose ``records`` are exactly what the page showed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from provide.cases.models import Case
from provide.intake.models import Investigation
from provide.people.models import Person
from provide.safeguarding.models import Referral
from tests.audit_assertions import assert_records_read

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_paging_the_case_list_page_writes_one_event_per_page(
    personas: dict[str, Any], areas: dict[str, Any]
) -> None:
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            force_person_ref=f"P-C-{n}", given_name="Case", family_name=f"Page{n}", synthetic=True
        )
        for n in range(55)
    )
    investigations = Investigation.objects.bulk_create(
        Investigation(
            investigation_ref=f"WB/2026/8{n:05d}",
            recorded_at=now - dt.timedelta(minutes=n),
            bcu=areas["west"],
            victim=person,
        )
        for n, person in enumerate(people)
    )
    Case.objects.bulk_create(Case(investigation=i, state="new") for i in investigations)
    sergeant = personas["triage_sergeant"]
    client = _client(sergeant)
    pages = [
        list(client.get(reverse("cases:index"), {"state": "new", "page": number}).context["page"])
        for number in (1, 2)
    ]
    assert [len(page) for page in pages] == [50, 5]
    events = assert_records_read("cases.case_listed", actor=sergeant, pages=pages)
    assert events[1].changes["query"] == {"state": "new", "page": "2"}
    assert events[1].changes["people"] == [
        str(case.investigation.victim.public_id) for case in pages[1]
    ]


def test_the_visit_list_names_every_visit_on_it(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["joint_team_officer"]
    context = _client(officer).get(reverse("visits:visit-list")).context
    shown = [*context["open"], *context["finished"]]
    assert west_case["visit"] in shown
    assert_records_read("visits.visit_listed", actor=officer, pages=[shown])


def test_the_referral_list_names_each_referral_once(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    referral = Referral.objects.create(
        victim=west_case["victim"],
        investigation=west_case["investigation"],
        target="refuge",
        status="sent",
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )
    officer = personas["safeguarding_officer"]
    context = _client(officer).get(reverse("safeguarding:referral-list")).context
    assert context["overdue"] == [referral] and context["referrals"] == [
        referral
    ]  # shown twice, named once
    assert_records_read("safeguarding.referrals_listed", actor=officer, pages=[[referral]])


def test_the_marac_day_names_its_agenda_and_candidates(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    context = _client(officer).get(reverse("safeguarding:marac-day")).context
    shown = [*context["agenda"], *(candidate.victim for candidate in context["candidates"])]
    assert_records_read("safeguarding.marac_day_viewed", actor=officer, pages=[shown])


def test_the_victim_search_names_what_it_found_and_what_was_asked(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    officer = personas["safeguarding_officer"]
    found = (
        _client(officer)
        .get(reverse("safeguarding:referral-create"), {"q": "Westby"})
        .context["victims"]
    )
    assert west_case["victim"] in found  # and the suspect of the same name
    event = assert_records_read("safeguarding.victims_searched", actor=officer, pages=[found])[0]
    assert event.changes["query"] == {"q": "Westby", "for": "safeguarding:referral-create"}


def test_the_triage_board_names_every_investigation_on_it(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    board = _client(sergeant).get(reverse("triage:board")).context["board"]
    shown = [row.investigation for row in board.rows]
    event = assert_records_read("triage.board_viewed", actor=sergeant, pages=[shown])[0]
    assert event.changes["query"]["bcu"] == "West"
