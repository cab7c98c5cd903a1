"""Reads of people: by role and BCU, every read of a record audited, and a stated reason to open
a record outside the user's area (break-glass)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from provide.audit.break_glass import REASON_TOO_SHORT
from provide.audit.models import AuditAction, AuditEvent
from provide.intake.models import Investigation
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.people.selectors import (
    BreakGlassRequired,
    person_get_for,
    person_in_scope,
    person_match_get_for,
    person_match_list_for,
    person_merge_get_for,
    person_merge_list_for,
    person_search_for,
)
from provide.shared.access import RecordNotFound
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db
REASON = "Victim moved to Blackpool; checking history for MARAC"


def test_a_bcu_user_sees_people_named_in_their_bcu_and_force_wide_roles_everyone(
    personas: dict[str, Any], west_case: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, safeguarding = personas["triage_sergeant"], personas["safeguarding_officer"]
    suspect = west_case["investigation"].suspect
    nobody = Person.objects.create(given_name="Nora", family_name="Nowhere", synthetic=True)
    assert person_in_scope(sergeant, west_case["victim"]) and person_in_scope(sergeant, suspect)
    assert not person_in_scope(sergeant, east_case["victim"]) and not person_in_scope(
        sergeant, nobody
    )
    assert all(
        person_in_scope(safeguarding, p) for p in (west_case["victim"], east_case["victim"], nobody)
    )


def test_reading_a_person_in_scope_is_audited(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    sergeant, victim = personas["triage_sergeant"], west_case["victim"]
    assert person_get_for(user=sergeant, person_id=victim.public_id) == victim
    assert person_get_for(user=sergeant, person_id=str(victim.public_id)) == victim
    event = assert_audited(
        "people.person_viewed",
        action=AuditAction.VIEW,
        actor=sergeant,
        subject=victim,
        person=victim,
        count=2,
    )
    assert not event.flagged


@pytest.mark.parametrize("person_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"])
def test_a_missing_person_is_not_found(
    personas: dict[str, Any], west_case: dict[str, Any], person_id: str
) -> None:
    with pytest.raises(RecordNotFound):
        person_get_for(user=personas["triage_sergeant"], person_id=person_id)


def test_a_role_that_may_not_see_people_finds_nobody_and_nothing_is_audited(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    for role in ("analyst", "administrator"):
        with pytest.raises(RecordNotFound):
            person_get_for(
                user=personas[role], person_id=west_case["victim"].public_id, reason=REASON
            )
    assert not AuditEvent.objects.filter(event__startswith="people.person_viewed").exists()


def test_outside_the_area_a_reason_is_needed_and_a_poor_one_is_named(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, victim = personas["triage_sergeant"], east_case["victim"]
    with pytest.raises(BreakGlassRequired) as none_given:
        person_get_for(user=sergeant, person_id=victim.public_id)
    assert none_given.value.person == victim and none_given.value.problem == ""
    assert "a reason is needed" in str(none_given.value)
    with pytest.raises(BreakGlassRequired) as too_short:
        person_get_for(user=sergeant, person_id=victim.public_id, reason="why")
    assert too_short.value.problem == REASON_TOO_SHORT and str(too_short.value) == REASON_TOO_SHORT
    assert not AuditEvent.objects.filter(event__startswith="people.person_viewed").exists()


def test_outside_the_area_a_good_reason_opens_the_record_as_a_flagged_break_glass_read(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    sergeant, victim = personas["triage_sergeant"], east_case["victim"]
    assert (
        person_get_for(user=sergeant, person_id=victim.public_id, reason=f"  {REASON}\n ") == victim
    )
    event = assert_audited(
        "people.person_viewed_out_of_area",
        action=AuditAction.BREAK_GLASS,
        actor=sergeant,
        subject=victim,
    )
    assert event.flagged and event.reason == REASON


def test_search_finds_names_and_force_ids_in_the_users_area_once_each(
    personas: dict[str, Any],
    areas: dict[str, Any],
    west_case: dict[str, Any],
    east_case: dict[str, Any],
) -> None:
    sergeant, victim = personas["triage_sergeant"], west_case["victim"]
    Investigation.objects.create(
        investigation_ref="WB/2026/000002",
        recorded_at=west_case["investigation"].recorded_at,
        bcu=areas["west"],
        victim=victim,
    )  # a second investigation: still one result
    assert person_search_for(user=sergeant, text="westby") == [
        victim,
        west_case["investigation"].suspect,
    ]
    assert person_search_for(user=sergeant, text=" alice ") == [victim]
    assert person_search_for(user=sergeant, text="p-w-1") == [victim]
    assert (
        person_search_for(user=sergeant, text="P-W") == []
    )  # a force id matches whole, not in part
    assert person_search_for(user=sergeant, text="Eastwood") == []  # another BCU
    assert person_search_for(user=personas["safeguarding_officer"], text="Eastwood") == [
        east_case["victim"]
    ]
    assert person_search_for(user=sergeant, text="westby", limit=1) == [victim]


def test_search_finds_nothing_for_blank_text_or_a_role_that_may_not_see_people(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    assert person_search_for(user=personas["triage_sergeant"], text="   ") == []
    assert person_search_for(user=personas["analyst"], text="Westby") == []


@pytest.fixture
def matches(west_case: dict[str, Any]) -> dict[str, PersonMatch]:
    victim = west_case["victim"]
    twin = Person.objects.create(force_person_ref="P-W-9", given_name="Alice", family_name="Westby")
    other = Person.objects.create(
        force_person_ref="P-W-8", given_name="Alicia", family_name="Westby"
    )
    return {
        "likely": PersonMatch.objects.create(
            person=twin, candidate=victim, score=0.95, reasons=["name 1.00"]
        ),
        "maybe": PersonMatch.objects.create(
            person=other, candidate=victim, score=0.75, reasons=["name 0.80"]
        ),
        "decided": PersonMatch.objects.create(
            person=victim, candidate=twin, score=0.99, status=PersonMatch.Status.DISTINCT
        ),
    }


def test_the_review_queue_is_for_roles_that_may_merge_best_match_first(
    personas: dict[str, Any], matches: dict[str, PersonMatch]
) -> None:
    for role in ("triage_sergeant", "administrator"):
        assert list(person_match_list_for(user=personas[role])) == [
            matches["likely"],
            matches["maybe"],
        ]
    assert list(person_match_list_for(user=personas["triage_sergeant"], status="distinct")) == [
        matches["decided"]
    ]
    assert not person_match_list_for(user=personas["joint_team_officer"]).exists()


def test_one_queued_match_is_found_only_by_a_role_that_may_merge_while_it_is_open(
    personas: dict[str, Any], matches: dict[str, PersonMatch]
) -> None:
    sergeant = personas["triage_sergeant"]
    assert (
        person_match_get_for(user=sergeant, match_id=matches["maybe"].public_id) == matches["maybe"]
    )
    for user, match in ((personas["joint_team_officer"], "maybe"), (sergeant, "decided")):
        with pytest.raises(RecordNotFound):
            person_match_get_for(user=user, match_id=matches[match].public_id)
    with pytest.raises(RecordNotFound):
        person_match_get_for(user=sergeant, match_id=uuid.uuid4())


@pytest.fixture
def merges(personas: dict[str, Any], west_case: dict[str, Any]) -> list[PersonMerge]:
    victim = west_case["victim"]
    first = Person.objects.create(
        force_person_ref="P-W-9", given_name="Alice", family_name="Westby"
    )
    second = Person.objects.create(force_person_ref="P-W-8", given_name="A", family_name="Westby")
    unrelated = Person.objects.create(
        force_person_ref="P-X-1", given_name="Una", family_name="Related"
    )
    made = [
        PersonMerge.objects.create(
            duplicate=first, survivor=victim, merged_by=personas["triage_sergeant"]
        ),
        PersonMerge.objects.create(duplicate=victim, survivor=second),
        PersonMerge.objects.create(duplicate=unrelated, survivor=first),
    ]
    for days, merge in enumerate(made):
        PersonMerge.objects.filter(pk=merge.pk).update(
            created_at=dt.datetime(2026, 1, 1 + days, tzinfo=dt.UTC)
        )
    return made


def test_a_persons_merges_in_and_out_newest_first_for_roles_that_may_merge(
    personas: dict[str, Any], west_case: dict[str, Any], merges: list[PersonMerge]
) -> None:
    victim = west_case["victim"]
    assert list(person_merge_list_for(user=personas["administrator"], person=victim)) == [
        merges[1],
        merges[0],
    ]
    assert not person_merge_list_for(user=personas["joint_team_officer"], person=victim).exists()


def test_one_merge_is_found_only_by_a_role_that_may_merge(
    personas: dict[str, Any], merges: list[PersonMerge]
) -> None:
    assert (
        person_merge_get_for(user=personas["triage_sergeant"], merge_id=merges[0].public_id)
        == merges[0]
    )
    assert (
        person_merge_get_for(user=personas["administrator"], merge_id=merges[2].public_id)
        == merges[2]
    )
    with pytest.raises(RecordNotFound):
        person_merge_get_for(user=personas["health_idva"], merge_id=merges[0].public_id)
    with pytest.raises(RecordNotFound):  # neither person is a victim or suspect in the West BCU
        person_merge_get_for(user=personas["triage_sergeant"], merge_id=merges[2].public_id)
    with pytest.raises(RecordNotFound):
        person_merge_get_for(user=personas["triage_sergeant"], merge_id="not-a-uuid")


def test_a_bcu_users_review_queue_holds_only_people_in_their_area(
    personas: dict[str, Any], east_case: dict[str, Any]
) -> None:
    twin = Person.objects.create(
        force_person_ref="P-E-9", given_name="Erin", family_name="Eastwood"
    )
    match = PersonMatch.objects.create(person=twin, candidate=east_case["victim"], score=0.9)
    assert list(person_match_list_for(user=personas["administrator"])) == [match]  # force-wide
    assert list(person_match_list_for(user=personas["triage_sergeant"])) == []  # West only
    with pytest.raises(RecordNotFound):
        person_match_get_for(user=personas["triage_sergeant"], match_id=match.public_id)
