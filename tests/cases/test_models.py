"""A case reaches its victim through its investigation, so a merge of people needs no copy."""

from __future__ import annotations

from typing import Any

import pytest

from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.models import Case
from provide.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_case_names_the_victim_of_its_investigation(west_case: dict[str, Any]) -> None:
    case = Case.objects.get(investigation=west_case["investigation"])
    assert case.victim_id == west_case["victim"].pk
    assert case.victim == west_case["victim"]


def test_moving_the_investigation_to_another_person_moves_the_cases_victim(
    west_case: dict[str, Any],
) -> None:
    # Given the victim's investigation re-pointed at the record that survives a merge
    survivor = Person.objects.create(
        given_name="Alice", family_name="Westby-Survivor", synthetic=True
    )
    investigation = west_case["investigation"]
    investigation.victim = survivor
    investigation.save()
    # Then the case follows without any change to the case row
    case = Case.objects.get(investigation=investigation)
    assert case.victim_id == survivor.pk and case.victim == survivor


def test_an_audit_event_about_a_case_is_filed_under_its_victim(west_case: dict[str, Any]) -> None:
    case = Case.objects.get(investigation=west_case["investigation"])
    event = audit_record(
        actor=None, action=AuditAction.VIEW, event="cases.case_viewed", subject=case
    )
    assert event.person_id == west_case["victim"].public_id
    assert event.person_label == "Alice Westby"
