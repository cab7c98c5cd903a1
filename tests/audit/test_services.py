"""The one door into the audit log: who did what to which record, about which person."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.http import QueryDict

from provide.audit.models import AuditAction, AuditEvent
from provide.audit.services import (
    audit_record,
    audit_record_many,
    audit_records_read,
    changed_fields,
)

pytestmark = pytest.mark.django_db


def test_an_event_names_the_actor_the_subject_and_the_person_it_is_about(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    sergeant = personas["triage_sergeant"]
    investigation = west_case["investigation"]
    event = audit_record(
        actor=sergeant,
        action=AuditAction.VIEW,
        event="triage.case_viewed",
        subject=investigation,
        reason="board",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_username, stored.action, stored.event) == (
        sergeant,
        sergeant.get_username(),
        "view",
        "triage.case_viewed",
    )
    assert (stored.object_type, stored.object_id) == (
        "intake.investigation",
        str(investigation.public_id),
    )
    assert (stored.person_id, stored.person_label) == (
        west_case["victim"].public_id,
        str(west_case["victim"]),
    )
    assert stored.reason == "board" and stored.changes == {} and not stored.flagged


def test_a_person_subject_is_its_own_person(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    event = audit_record(
        actor=personas["triage_sergeant"],
        action=AuditAction.VIEW,
        event="people.viewed",
        subject=victim,
    )
    assert event.object_type == "people.person" and event.person_id == victim.public_id


def test_a_record_without_a_person_and_no_subject_leave_the_person_blank(
    areas: dict[str, Any],
) -> None:
    area_event = audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        event="areas.changed",
        subject=areas["west"],
        actor_username="provide import",
    )
    assert (area_event.object_type, area_event.object_id) == (
        "areas.area",
        str(areas["west"].public_id),
    )
    assert area_event.person_id is None and area_event.actor_username == "provide import"
    group = Group.objects.create(name="Readers")
    group_event = audit_record(
        actor=None, action=AuditAction.CREATE, event="accounts.group_created", subject=group
    )
    assert (group_event.object_type, group_event.object_id) == ("auth.group", str(group.pk))
    bare = audit_record(
        actor=None, action=AuditAction.SIGN_IN_FAILED, event="accounts.sign_in_failed"
    )
    assert (bare.object_type, bare.object_id, bare.person_id) == ("", "", None)


def test_an_anonymous_actor_is_stored_by_name_only() -> None:
    event = audit_record(
        actor=AnonymousUser(),
        action=AuditAction.SIGN_IN_FAILED,
        event="accounts.sign_in_failed",
        actor_username="mallory",
    )
    assert event.actor is None and event.actor_username == "mallory"


def test_a_command_actor_gives_its_audit_name() -> None:
    class Command:
        audit_name = "provide import-investigations"

    event = audit_record(actor=Command(), action=AuditAction.IMPORT, event="intake.imported")
    assert event.actor is None and event.actor_username == "provide import-investigations"


def test_break_glass_is_always_flagged(personas: dict[str, Any], east_case: dict[str, Any]) -> None:
    event = audit_record(
        actor=personas["triage_sergeant"],
        action=AuditAction.BREAK_GLASS,
        event="people.break_glass",
        subject=east_case["victim"],
        reason="urgent",
    )
    assert event.flagged
    assert audit_record(actor=None, action="view", event="x", flagged=True).flagged


def test_many_events_in_one_insert_each_with_its_subject_and_changes(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    manager = personas["idva_manager"]
    victims = [west_case["victim"], east_case["victim"]]
    count = audit_record_many(
        actor=manager,
        action=AuditAction.EXPORT,
        event="people.exported",
        subjects=victims,
        changes=[{"row": 1}, {"row": 2}],
    )
    assert count == 2
    events = AuditEvent.objects.filter(event="people.exported").order_by("changes__row")
    assert [(e.actor, e.person_id, e.changes) for e in events] == [
        (manager, victims[0].public_id, {"row": 1}),
        (manager, victims[1].public_id, {"row": 2}),
    ]


def test_many_events_need_one_changes_dict_per_subject(west_case: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="one changes dict per subject"):
        audit_record_many(
            actor=None, action="export", event="x", subjects=[west_case["victim"]], changes=[]
        )
    assert not AuditEvent.objects.filter(event="x").exists()


def test_changed_fields_lists_only_what_differs_as_text() -> None:
    before = {"risk_grade": "medium", "children": 2, "notes": None, "same": 1}
    after = {"risk_grade": "high", "children": 2, "notes": "seen", "same": 1, "added": 0}
    assert changed_fields(before, after) == {
        "added": [None, "0"],
        "notes": [None, "seen"],
        "risk_grade": ["medium", "high"],
    }


def test_one_read_event_names_every_record_their_people_and_the_query(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    officer = personas["response_officer"]
    investigations = [west_case["investigation"], east_case["investigation"]]
    event = audit_records_read(
        actor=officer,
        records=investigations,
        event="intake.investigations_listed",
        query=QueryDict("page=2&risk=high&risk=medium"),
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (
        stored.actor,
        stored.action,
        stored.object_type,
        stored.object_id,
        stored.person_id,
    ) == (officer, "view", "intake.investigation", "", None)
    assert stored.changes == {
        "records": [str(i.public_id) for i in investigations],
        "count": 2,
        "people": [str(west_case["victim"].public_id), str(east_case["victim"].public_id)],
        "query": {"page": "2", "risk": ["high", "medium"]},
    }


def test_the_people_of_a_read_cost_one_query_unless_already_loaded(
    west_case: dict[str, Any], east_case: dict[str, Any], django_assert_num_queries: Any
) -> None:
    from provide.intake.models import Investigation

    loaded = list(Investigation.objects.select_related("victim").order_by("investigation_ref"))
    bare = list(Investigation.objects.order_by("investigation_ref"))
    audit_records_read(actor=None, records=loaded, event="warm.up")  # the first write may read more
    with django_assert_num_queries(
        2 if connection.vendor == "sqlite" else 3
    ):  # (lock), chain head, insert
        audit_records_read(actor=None, records=loaded, event="test.listed")
    with django_assert_num_queries(
        3 if connection.vendor == "sqlite" else 4
    ):  # and the victims' ids
        event = audit_records_read(actor=None, records=bare, event="test.listed")
    assert event.changes["people"] == [
        str(east_case["victim"].public_id),
        str(west_case["victim"].public_id),
    ]


def test_a_read_of_one_record_names_it_as_the_subject(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    event = audit_records_read(
        actor=personas["response_officer"],
        records=[west_case["visit"]],
        event="visits.visit_listed",
    )
    assert (event.object_type, event.object_id, event.person_id) == (
        "visits.visit",
        str(west_case["visit"].public_id),
        west_case["victim"].public_id,
    )


def test_a_read_of_nothing_is_still_one_event(personas: dict[str, Any]) -> None:
    event = audit_records_read(
        actor=personas["analyst"], records=[], event="people.people_listed", query={"q": "nobody"}
    )
    assert event.changes == {"records": [], "count": 0, "people": [], "query": {"q": "nobody"}}
    assert event.object_type == ""


def test_a_case_reads_as_its_investigations_victim(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    from provide.cases.models import Case

    cases = [
        Case.objects.get_or_create(investigation=west_case["investigation"])[0],
        Case.objects.get_or_create(investigation=east_case["investigation"])[0],
    ]
    event = audit_records_read(
        actor=None, records=cases, event="cases.case_listed", actor_username="provide cases"
    )
    assert event.changes["people"] == [
        str(west_case["victim"].public_id),
        str(east_case["victim"].public_id),
    ]
    assert event.actor_username == "provide cases"


def test_an_address_is_stored_as_its_standard_text_or_not_at_all() -> None:
    assert (
        audit_record(actor=None, action="view", event="x", ip_address=" 2001:DB8::0:1 ").ip_address
        == "2001:db8::1"
    )
    assert (
        audit_record(actor=None, action="view", event="x", ip_address="unknown").ip_address is None
    )
