"""The retention page's reads: each side sees its own, and people are found by that side's ids."""

from __future__ import annotations

from typing import Any

import pytest

from provide.accounts.models import User
from provide.health.models import HealthIdentity
from provide.people.models import Person
from provide.retention.models import LegalHold
from provide.retention.policies import RetentionNotAllowed
from provide.retention.selectors import (
    AMBIGUOUS,
    HOLDS_LISTED_EVENT,
    AmbiguousPerson,
    legal_hold_get_for,
    retention_overview_for,
    subject_find,
    subject_find_for,
)
from provide.shared.access import RecordNotFound
from tests.audit_assertions import assert_records_read
from tests.retention.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_each_manager_sees_their_sides_schedule_counts_and_holds(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    police_hold = LegalHold.objects.create(
        person=old_records["victim"], side="police", reason="Claim"
    )
    health_hold = LegalHold.objects.create(
        person=old_records["victim"], side="health", reason="Complaint"
    )
    admin = retention_overview_for(user=personas["administrator"], now=AS_OF)
    assert admin.side == "police" and {row.side for row in admin.schedule} == {"police"}
    assert admin.holds == [police_hold] and admin.people == {"due": 0, "anonymised": 0}
    assert {line.record_type.split(".")[0] for line in admin.summary.lines} <= {
        "intake",
        "cases",
        "triage",
        "visits",
        "safeguarding",
    }
    manager = retention_overview_for(user=personas["idva_manager"], now=AS_OF)
    assert manager.side == "health" and manager.holds == [health_hold] and manager.people == {}
    assert {line.record_type.split(".")[0] for line in manager.summary.lines} == {"health"}
    assert_records_read(HOLDS_LISTED_EVENT, pages=[[police_hold]], actor=personas["administrator"])
    assert_records_read(HOLDS_LISTED_EVENT, pages=[[health_hold]], actor=personas["idva_manager"])


def test_other_roles_get_no_overview(personas: dict[str, User]) -> None:
    for slug in ("analyst", "health_idva", "triage_sergeant", "safeguarding_officer"):
        with pytest.raises(RetentionNotAllowed):
            retention_overview_for(user=personas[slug], now=AS_OF)


def test_people_are_found_by_provide_id_or_by_their_sides_own_id(
    old_records: dict[str, Any],
) -> None:
    victim = old_records["victim"]
    assert subject_find(side="police", text=f" {victim.public_id} ") == victim
    assert subject_find(side="health", text=str(victim.public_id)) == victim
    assert subject_find(side="police", text="P-OLD-1") == victim
    assert subject_find(side="health", text="999 000 0026") == victim
    with pytest.raises(RecordNotFound):
        subject_find(side="police", text="9990000026")  # the police side never reads NHS numbers
    with pytest.raises(RecordNotFound):
        subject_find(side="health", text="P-OLD-1")
    with pytest.raises(RecordNotFound):
        subject_find(side="health", text="")


def test_a_merged_duplicate_gives_way_to_the_survivor_but_two_people_are_ambiguous(
    old_records: dict[str, Any],
) -> None:
    Person.objects.create(force_person_ref="P-OLD-1", merged_into=old_records["victim"])
    assert subject_find(side="police", text="P-OLD-1") == old_records["victim"]
    Person.objects.create(force_person_ref="P-OLD-1")
    with pytest.raises(AmbiguousPerson, match=AMBIGUOUS):
        subject_find(side="police", text="P-OLD-1")


def test_subject_find_for_takes_the_users_side(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    assert subject_find_for(user=personas["idva_manager"], text="9990000026") == (
        old_records["victim"],
        "health",
    )
    with pytest.raises(RecordNotFound):
        subject_find_for(user=personas["administrator"], text="9990000026")
    with pytest.raises(RetentionNotAllowed):
        subject_find_for(user=personas["analyst"], text="P-OLD-1")
    assert HealthIdentity.objects.count() == 1


def test_a_hold_of_the_other_side_looks_missing(
    old_records: dict[str, Any], personas: dict[str, User]
) -> None:
    hold = LegalHold.objects.create(person=old_records["victim"], side="health", reason="Complaint")
    assert legal_hold_get_for(user=personas["idva_manager"], public_id=hold.public_id) == hold
    for slug in ("administrator", "analyst"):
        with pytest.raises(RecordNotFound):
            legal_hold_get_for(user=personas[slug], public_id=hold.public_id)
    with pytest.raises(RecordNotFound):
        legal_hold_get_for(user=personas["idva_manager"], public_id="not-a-uuid")
