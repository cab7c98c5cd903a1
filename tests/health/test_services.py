"""The IDVA's health-side record of a visit: created on first save, audited without disclosing what changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.audit.models import AuditEvent
from provide.health.models import SupportRecord
from provide.health.services import (
    HEALTH_SECTION_FIELDS,
    HealthPermissionDenied,
    support_record_save_for_visit,
    support_record_sync_shared,
    support_record_values,
)
from provide.visits.models import Visit
from tests.audit_assertions import assert_audited
from tests.cast import HEALTH_SECRETS

pytestmark = pytest.mark.django_db


def new_visit(west_case: dict[str, Any]) -> Visit:
    return Visit.objects.create(
        mode="live",
        investigation=west_case["investigation"],
        victim=west_case["victim"],
        arrived_at=west_case["visit"].arrived_at + dt.timedelta(days=1),
        contact_result="engaged",
        referrals_made=["marac"],
    )


def test_values_are_blank_without_a_record_and_the_records_own_otherwise(
    west_case: dict[str, Any],
) -> None:
    blank = support_record_values(new_visit(west_case))
    assert set(blank) == set(HEALTH_SECTION_FIELDS)
    assert (
        blank["services"] == [] and blank["notes"] == "" and blank["idva_support_accepted"] is None
    )
    existing = support_record_values(west_case["visit"])
    assert (
        existing["notes"] == HEALTH_SECRETS["notes"] and existing["idva_support_accepted"] is True
    )


def test_the_first_save_creates_a_draft_tracker_row_from_the_visit(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva, visit = personas["health_idva"], new_visit(west_case)
    record = support_record_save_for_visit(
        user=idva, visit=visit, values={"idva_support_offered": True}
    )
    assert (
        record.tracker_id.startswith("PV-")
        and record.record_status == SupportRecord.RecordStatus.DRAFT
    )
    assert (record.investigation, record.victim, record.bcu) == (
        west_case["investigation"],
        west_case["victim"],
        west_case["investigation"].bcu,
    )
    assert (record.mode, record.idva_visit_at, record.referrals, record.idva) == (
        "live",
        visit.arrived_at,
        ["marac"],
        idva,
    )
    event = assert_audited(
        "health.support_record_created", action="create", actor=idva, subject=record
    )
    assert event.changes == {"health_fields_changed": 1}


def test_finishing_completes_the_record_and_the_audit_counts_changes_without_naming_them(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva, visit = personas["health_idva"], new_visit(west_case)
    support_record_save_for_visit(user=idva, visit=visit, values={"idva_support_offered": True})
    record = support_record_save_for_visit(
        user=idva,
        visit=visit,
        finish=True,
        values={"prosecution_support_accepted": True, "notes": ""},
    )
    assert record.record_status == SupportRecord.RecordStatus.COMPLETE
    event = assert_audited(
        "health.support_record_updated", action="update", actor=idva, subject=record
    )
    assert event.changes == {"health_fields_changed": 2}  # prosecution support and the status
    assert "prosecution" not in str(event.changes)


def test_saving_the_same_values_again_writes_no_audit_event(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    idva = personas["health_idva"]
    values = support_record_values(west_case["visit"])
    support_record_save_for_visit(user=idva, visit=west_case["visit"], values=values)
    assert not AuditEvent.objects.filter(event__startswith="health.support_record").exists()


@pytest.mark.parametrize("slug", ["joint_team_officer", "triage_sergeant", "analyst"])
def test_police_and_other_roles_are_refused(
    slug: str, make_user: Any, west_case: dict[str, Any]
) -> None:
    with pytest.raises(HealthPermissionDenied):
        support_record_save_for_visit(
            user=make_user(slug), visit=west_case["visit"], values={"notes": "x"}
        )
    assert SupportRecord.objects.get(tracker_id="T-1").notes == HEALTH_SECRETS["notes"]


def test_fields_outside_the_health_section_are_refused(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match="not health-section fields"):
        support_record_save_for_visit(
            user=personas["health_idva"], visit=west_case["visit"], values={"tracker_id": "T-9"}
        )


def test_shared_facts_are_copied_to_the_tracker_row(west_case: dict[str, Any]) -> None:
    visit = west_case["visit"]
    visit.mode, visit.referrals_made = "live", ["housing"]
    visit.arrived_at = visit.arrived_at - dt.timedelta(minutes=30)
    support_record_sync_shared(visit=visit)
    record = SupportRecord.objects.get(tracker_id="T-1")
    assert (record.mode, record.referrals, record.idva_visit_at) == (
        "live",
        ["housing"],
        visit.arrived_at,
    )
