"""The audit log page: administrators search it by user, person and date; nobody else reaches it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_records_read
from provide.audit.views import event_row, records_label
from tests.audit import tamper


@pytest.mark.django_db
def test_administrator_searches_the_audit_log_by_user_person_and_date(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant = Client()
    sergeant.force_login(personas["triage_sergeant"])
    sergeant.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    officer = Client()
    officer.force_login(personas["response_officer"])
    officer.get(reverse("people:person-detail", args=[west_case["victim"].public_id]))
    admin = Client()
    admin.force_login(personas["administrator"])
    url = reverse("audit:log")
    by_user = admin.get(url, {"username": "triage.sergeant"}).context["page"]
    assert [e.actor_username for e in by_user] == ["triage.sergeant"]
    by_person = admin.get(url, {"person": "Westby"}).context["page"]
    assert {e.actor_username for e in by_person} == {"triage.sergeant", "response.officer"}
    by_id = admin.get(url, {"person": str(west_case["victim"].public_id)}).context["page"]
    assert len(by_id) == 2
    tomorrow = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert len(admin.get(url, {"date_from": tomorrow}).context["page"]) == 0


@pytest.mark.django_db
def test_audit_search_rejects_a_reversed_date_range_and_keeps_the_input(
    personas: dict[str, Any],
) -> None:
    admin = Client()
    admin.force_login(personas["administrator"])
    page = admin.get(reverse("audit:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    html = page.content.decode()
    assert "The end date must be on or after the start date" in html
    assert 'value="2026-05-02"' in html


@pytest.mark.django_db
def test_only_administrators_reach_the_audit_log(personas: dict[str, Any]) -> None:
    client = Client()
    client.force_login(personas["triage_sergeant"])
    assert client.get(reverse("audit:log")).status_code == 403


@pytest.fixture
def admin_client(personas: dict[str, Any]) -> Client:
    cache.clear()  # the page's chain checkpoint: each test starts from a full walk
    client = Client()
    client.force_login(personas["administrator"])
    return client


@pytest.mark.django_db
def test_a_list_read_shows_its_count_and_the_records_behind_a_details_link(
    admin_client: Client,
    personas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    people = [west_case["victim"], east_case["victim"]]
    audit_records_read(
        actor=personas["response_officer"],
        records=people,
        event="people.people_listed",
        query={"page": "2"},
    )
    html = admin_client.get(reverse("audit:log")).content.decode()
    assert '<span class="govuk-details__summary-text">2 people</span>' in html
    assert "Asked for: page: 2" in html
    for person in people:
        assert f"<code>{person.public_id}</code>" in html
    assert "2 people</td>" in html  # the person column counts them too


@pytest.mark.django_db
def test_searching_by_a_persons_id_finds_the_lists_that_showed_them(
    admin_client: Client,
    personas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    audit_records_read(
        actor=personas["response_officer"],
        records=[west_case["victim"], east_case["victim"]],
        event="people.people_listed",
    )
    audit_records_read(
        actor=personas["response_officer"],
        records=[east_case["victim"], east_case["investigation"]],
        event="people.people_listed",
    )
    found = admin_client.get(
        reverse("audit:log"), {"person": str(west_case["victim"].public_id)}
    ).context["page"]
    assert [event.event for event in found] == ["people.people_listed"]
    assert str(west_case["victim"].public_id) in found[0].changes["people"]


@pytest.mark.django_db
def test_the_page_says_up_to_when_the_chain_is_verified(
    admin_client: Client, personas: dict[str, Any]
) -> None:
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 15, tzinfo=dt.UTC), tick=False):
        event = audit_record(
            actor=personas["analyst"], action=AuditAction.VIEW, event="test.viewed"
        )
    html = admin_client.get(reverse("audit:log")).content.decode()
    assert f"Chain verified up to 1 May 2026 10:15:00 (event number {event.chain_index})" in html
    assert "govuk-warning-text" not in html


@pytest.mark.django_db
def test_the_page_warns_at_the_first_tampered_event(
    admin_client: Client, personas: dict[str, Any]
) -> None:
    events = [
        audit_record(actor=personas["analyst"], action=AuditAction.VIEW, event="test.viewed")
        for _ in range(3)
    ]
    tamper.drop_triggers()
    tamper.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [events[1].pk])
    html = admin_client.get(reverse("audit:log")).content.decode()
    assert (
        f"failed its check at event id {events[1].pk} (number {events[1].chain_index} in the chain"
        in html
    )
    assert "changed after it was written" in html and "Chain verified" not in html
    assert "audit_event_no_update" in html  # and the missing triggers are named


@pytest.mark.django_db
def test_between_full_walks_the_page_checks_new_events_and_says_when_it_last_walked_all(
    admin_client: Client, personas: dict[str, Any]
) -> None:
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        events = [
            audit_record(actor=personas["analyst"], action=AuditAction.VIEW, event="test.viewed")
            for _ in range(3)
        ]
        admin_client.get(reverse("audit:log"))
    tamper.drop_triggers()
    tamper.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [events[0].pk])
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        html = admin_client.get(reverse("audit:log")).content.decode()
    assert (
        f"Chain verified up to 1 May 2026 10:00:00 (event number {events[-1].chain_index})" in html
    )
    assert "The whole log was last walked at 1 May 2026 10:00" in html
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        html = admin_client.get(reverse("audit:log")).content.decode()
    assert (
        f"failed its check at event id {events[0].pk} (number {events[0].chain_index} in the chain"
        in html
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("object_type", "count", "label"),
    [
        ("people.person", 2, "2 people"),
        ("intake.investigation", 1, "1 investigation"),
        ("", 3, "3 records"),
        ("nothing.here", 1, "1 record"),
    ],
)
def test_records_are_counted_in_the_words_of_their_kind(
    object_type: str, count: int, label: str
) -> None:
    assert records_label(object_type, count) == label


@pytest.mark.django_db
def test_an_event_that_read_no_list_has_no_records_row(personas: dict[str, Any]) -> None:
    event = audit_record(
        actor=personas["analyst"], action=AuditAction.VIEW, event="test.viewed", changes={"a": 1}
    )
    assert event_row(event).records is None
