"""Reading the audit log: administrators only, searched by user, person, date and action."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from provide.audit.models import AuditAction, AuditEvent
from provide.audit.selectors import audit_event_list_for
from provide.audit.services import audit_record, audit_records_read

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def log(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> dict[str, AuditEvent]:
    """A small log: two reads of the West victim a day apart, an export, and a list naming the East victim."""
    with time_machine.travel(DAY, tick=False):
        sergeant_read = audit_record(
            actor=personas["triage_sergeant"],
            action=AuditAction.VIEW,
            event="people.person_viewed",
            subject=west_case["victim"],
        )
    with time_machine.travel(DAY + dt.timedelta(days=1), tick=False):
        officer_read = audit_record(
            actor=personas["response_officer"],
            action=AuditAction.VIEW,
            event="people.person_viewed",
            subject=west_case["victim"],
        )
        export = audit_record(
            actor=personas["analyst"], action=AuditAction.EXPORT, event="evaluation.exported"
        )
    with time_machine.travel(DAY + dt.timedelta(days=2), tick=False):
        listed = audit_records_read(
            actor=personas["response_officer"],
            records=[east_case["victim"]],
            event="people.people_listed",
        )
    return {
        "sergeant_read": sergeant_read,
        "officer_read": officer_read,
        "export": export,
        "listed": listed,
    }


def _found(personas: dict[str, Any], **filters: Any) -> list[AuditEvent]:
    return list(
        audit_event_list_for(user=personas["administrator"], **filters).exclude(
            event="accounts.user_created"
        )
    )


def test_only_a_user_with_the_audit_permission_reads_the_log(personas: dict[str, Any]) -> None:
    assert audit_event_list_for(
        user=personas["administrator"]
    ).exists()  # the cast's accounts were created
    for user in (personas["triage_sergeant"], personas["idva_manager"], AnonymousUser()):
        with pytest.raises(PermissionDenied):
            audit_event_list_for(user=user)


def test_the_whole_log_reads_newest_first(
    personas: dict[str, Any], log: dict[str, AuditEvent]
) -> None:
    assert _found(personas) == [
        log["listed"],
        log["export"],
        log["officer_read"],
        log["sergeant_read"],
    ]


def test_search_by_user_name_ignores_case_and_spaces(
    personas: dict[str, Any], log: dict[str, AuditEvent]
) -> None:
    assert _found(personas, username="  Triage.Sergeant ") == [log["sergeant_read"]]
    assert _found(personas, username="triage") == []  # the whole name, not part of it


def test_search_by_person_name_or_record_id_finds_reads_and_the_lists_that_showed_them(
    personas: dict[str, Any],
    log: dict[str, AuditEvent],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    assert _found(personas, person="westby") == [log["officer_read"], log["sergeant_read"]]
    assert _found(personas, person=f" {west_case['victim'].public_id} ") == [
        log["officer_read"],
        log["sergeant_read"],
    ]
    assert _found(personas, person=str(east_case["victim"].public_id)) == [log["listed"]]
    assert _found(personas, person="Nobody-by-that-name") == []


def test_search_by_dates_includes_both_ends(
    personas: dict[str, Any], log: dict[str, AuditEvent]
) -> None:
    first, second = DAY.date(), DAY.date() + dt.timedelta(days=1)
    assert _found(personas, date_from=second, date_to=second) == [
        log["export"],
        log["officer_read"],
    ]
    assert _found(personas, date_to=first) == [log["sergeant_read"]]
    assert _found(personas, date_from=second + dt.timedelta(days=1)) == [log["listed"]]


def test_search_by_action_and_filters_together(
    personas: dict[str, Any], log: dict[str, AuditEvent]
) -> None:
    assert _found(personas, action=AuditAction.EXPORT) == [log["export"]]
    assert _found(
        personas,
        action=AuditAction.VIEW,
        username="response.officer",
        date_to=DAY.date() + dt.timedelta(days=1),
    ) == [log["officer_read"]]
