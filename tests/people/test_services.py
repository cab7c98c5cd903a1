"""Merge, un-merge, the review queue, safe contact: permission-checked and audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from provide.audit.models import AuditEvent
from provide.intake.models import Investigation
from provide.intake.services import investigations_import
from provide.people.models import Person, PersonMatch, PersonMerge
from provide.people.services import (
    ALREADY_MERGED,
    person_match_reject,
    person_merge,
    person_safe_contact_update,
    person_unmerge,
)
from tests.intake.builders import investigation_row, write_investigations


@pytest.fixture
def twins(areas: dict[str, Any], tmp_path: Path) -> tuple[Person, Person]:
    """One victim recorded under two force ids (a data-quality duplicate)."""
    path = write_investigations(
        tmp_path / "a.csv",
        [
            investigation_row("WB/1", victim_id="P100"),
            investigation_row(
                "WB/2", victim_id="P101", recorded_at="2023-07-01T10:00", victim_postcode="FY1 2BB"
            ),
        ],
    )
    investigations_import(actor=None, path=path)
    return Person.objects.get(force_person_ref="P100"), Person.objects.get(force_person_ref="P101")


@pytest.mark.django_db
def test_a_second_force_id_for_the_same_person_is_queued_for_review_not_merged(
    twins: tuple[Person, Person],
) -> None:
    older, newer = twins
    match = PersonMatch.objects.get()
    assert (match.person, match.candidate, match.status) == (newer, older, "open")
    assert "same date of birth" in match.reasons
    assert Investigation.objects.get(investigation_ref="WB/2").victim == newer


@pytest.mark.django_db
def test_merge_moves_the_history_and_unmerge_puts_it_back(
    personas: dict[str, Any], twins: tuple[Person, Person]
) -> None:
    older, newer = twins
    admin = personas["administrator"]
    merge = person_merge(
        user=admin,
        duplicate=newer,
        survivor=older,
        reason="same person, two ids",
        match=PersonMatch.objects.get(),
    )
    assert set(
        Investigation.objects.filter(victim=older).values_list("investigation_ref", flat=True)
    ) == {"WB/1", "WB/2"}
    assert merge.moved["intake.investigation.victim_id"]
    newer.refresh_from_db()
    assert newer.merged_into == older
    assert PersonMatch.objects.get().status == "merged"
    event = AuditEvent.objects.get(event="people.person_merged")
    assert event.reason == "same person, two ids" and event.actor == admin
    person_unmerge(user=admin, merge=merge, reason="different people after all")
    assert Investigation.objects.get(investigation_ref="WB/2").victim == newer
    assert Investigation.objects.get(investigation_ref="WB/1").victim == older
    newer.refresh_from_db()
    assert newer.merged_into is None
    assert PersonMerge.objects.get().undone_at is not None
    assert AuditEvent.objects.filter(event="people.person_unmerged").count() == 1


@pytest.mark.django_db
def test_a_newer_extract_naming_a_merged_id_lands_on_the_surviving_record(
    personas: dict[str, Any], twins: tuple[Person, Person], tmp_path: Path
) -> None:
    older, newer = twins
    person_merge(user=personas["administrator"], duplicate=newer, survivor=older)
    path = write_investigations(
        tmp_path / "b.csv",
        [investigation_row("WB/3", victim_id="P101", recorded_at="2023-08-01T10:00")],
    )
    investigations_import(actor=None, path=path)
    assert Investigation.objects.get(investigation_ref="WB/3").victim == older


@pytest.mark.django_db
def test_merging_twice_or_into_itself_is_refused(
    personas: dict[str, Any], twins: tuple[Person, Person]
) -> None:
    older, newer = twins
    admin = personas["administrator"]
    with pytest.raises(ValidationError):
        person_merge(user=admin, duplicate=older, survivor=older)
    person_merge(user=admin, duplicate=newer, survivor=older)
    with pytest.raises(ValidationError, match=ALREADY_MERGED):
        person_merge(user=admin, duplicate=newer, survivor=older)


@pytest.mark.django_db
def test_only_roles_with_the_merge_permission_may_merge(
    personas: dict[str, Any], twins: tuple[Person, Person]
) -> None:
    older, newer = twins
    for slug in ("response_officer", "health_idva", "analyst"):
        with pytest.raises(PermissionDenied):
            person_merge(user=personas[slug], duplicate=newer, survivor=older)
    person_match_reject(user=personas["triage_sergeant"], match=PersonMatch.objects.get())
    assert PersonMatch.objects.get().status == "distinct"


@pytest.mark.django_db
def test_safe_contact_changes_are_audited_with_old_and_new(
    personas: dict[str, Any], west_case: dict[str, Any]
) -> None:
    victim = west_case["victim"]
    person_safe_contact_update(
        user=personas["health_idva"], person=victim, safe_phone="07700 900456", no_sms=True
    )
    victim.refresh_from_db()
    assert (victim.safe_phone, victim.no_sms) == ("07700 900456", True)
    event = AuditEvent.objects.get(event="people.safe_contact_changed")
    assert event.changes == {
        "no_sms": ["False", "True"],
        "safe_phone": ["07700 900123", "07700 900456"],
    }
    with pytest.raises(PermissionDenied):
        person_safe_contact_update(user=personas["analyst"], person=victim, no_sms=False)


@pytest.mark.django_db
def test_an_import_never_touches_safe_contact_details(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    investigations_import(
        actor=None, path=write_investigations(tmp_path / "a.csv", [investigation_row("WB/1")])
    )
    Person.objects.filter(force_person_ref="P100").update(
        safe_phone="07700 900111", no_letters=True
    )
    investigations_import(
        actor=None,
        path=write_investigations(
            tmp_path / "b.csv", [investigation_row("WB/1", victim_postcode="FY2 2BB")]
        ),
    )
    victim = Person.objects.get(force_person_ref="P100")
    assert (victim.postcode, victim.safe_phone, victim.no_letters) == (
        "FY2 2BB",
        "07700 900111",
        True,
    )


# --- safe-contact times and availability ---------------------------------------------------------


@pytest.mark.django_db
def test_saving_safe_contact_times_reads_them_and_records_who_and_when(
    personas: dict[str, Any],
) -> None:
    from provide.people.services import person_safe_contact_update

    victim = Person.objects.create(family_name="Victim", synthetic=True)
    idva = personas["health_idva"]
    person_safe_contact_update(user=idva, person=victim,
                               safe_contact_times="weekdays 09:00-12:00; suspect may answer",
                               suspect_may_answer=False)  # fmt: skip
    victim.refresh_from_db()
    assert victim.safe_contact_schedule[0]["days"] == [0, 1, 2, 3, 4]
    assert victim.suspect_may_answer, "the warning in the text turns the flag on"
    assert victim.safe_contact_recorded_by == idva and victim.safe_contact_recorded_at
    event = AuditEvent.objects.get(event="people.safe_contact_changed")
    assert "safe_contact_schedule" in event.changes


@pytest.mark.django_db
def test_availability_is_refused_when_it_makes_no_sense_or_is_unsafe(
    personas: dict[str, Any],
) -> None:
    import datetime as dt

    from django.utils import timezone

    from provide.people.contact import contact_fields_from_text
    from provide.people.models import VictimAvailability
    from provide.people.services import victim_availability_add, victim_availability_remove

    victim = Person.objects.create(family_name="Victim", synthetic=True,
                                   **contact_fields_from_text("not 15:00-18:00"))  # fmt: skip
    idva = personas["health_idva"]
    day = timezone.localdate() + dt.timedelta(days=2)

    def at(hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    cases = [
        (at(12), at(11), "ends_at", "after the start"),
        (at(16), at(17), "starts_at", "not safe"),
        (at(10) - dt.timedelta(days=4), at(11) - dt.timedelta(days=4), "ends_at", "passed"),
        (at(10), at(11) + dt.timedelta(days=1), "ends_at", "one day at a time"),
    ]
    for starts_at, ends_at, field, words in cases:
        with pytest.raises(ValidationError) as refused:
            victim_availability_add(user=idva, person=victim, starts_at=starts_at, ends_at=ends_at)
        assert words in " ".join(refused.value.message_dict[field])
    assert not VictimAvailability.objects.exists()
    with pytest.raises(PermissionDenied):
        victim_availability_add(user=personas["analyst"], person=victim, starts_at=at(10),
                                ends_at=at(11))  # fmt: skip
    slot = victim_availability_add(user=idva, person=victim, starts_at=at(10), ends_at=at(11))
    assert AuditEvent.objects.filter(event="people.availability_added").exists()
    victim_availability_remove(user=idva, availability=slot)
    assert not VictimAvailability.objects.exists()
    assert AuditEvent.objects.filter(event="people.availability_removed").exists()
