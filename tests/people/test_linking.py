"""Linking the people an import names to the people held: by force id (following merges), by a
fuzzy match when a row has no force id, identity never rewritten, and possible duplicates queued
for a person to review."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from provide.audit.models import AuditAction
from provide.core.linking import PersonRecord
from provide.people.linking import LinkConflict, PersonDetails, PersonLinker, identity_differences
from provide.people.models import Person, PersonMatch
from tests.audit_assertions import assert_audited

DOB = dt.date(1990, 1, 31)
IMPORT = "provide import_investigations"


def _held(
    ref: str,
    given: str,
    family: str,
    dob: dt.date | None = DOB,
    postcode: str = "FY1 1AA",
    **fields: Any,
) -> Person:
    return Person.objects.create(
        force_person_ref=ref,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        postcode=postcode,
        synthetic=True,
        **fields,
    )


def _linker(*refs: str) -> PersonLinker:
    linker = PersonLinker()
    linker.load_refs(refs)
    return linker


# --- what a row says -----------------------------------------------------------------------------


def test_a_row_gives_only_the_fields_it_says_and_identifies_by_name_birth_postcode_and_force_id() -> (
    None
):
    details = PersonDetails(
        force_ref="P1",
        given_name="Ann",
        postcode="FY1 1AA",
        children_in_household=0,
        date_of_birth=DOB,
    )
    assert details.values() == {
        "given_name": "Ann",
        "postcode": "FY1 1AA",
        "children_in_household": 0,
        "date_of_birth": DOB,
    }
    assert details.record("row 3") == PersonRecord("row 3", "Ann", "", DOB, "FY1 1AA", "P1")


@pytest.mark.parametrize(
    ("held", "row", "differs"),
    [
        (
            {"given_name": "Zoë", "family_name": "O'Brien"},
            {"given_name": "ZOE", "family_name": "OBrien"},
            (),
        ),
        (
            {"given_name": "Ann", "family_name": "Smith"},
            {"given_name": "Mrs Ann", "family_name": "Smith"},
            (),
        ),
        (
            {"given_name": "Ann", "family_name": "Smith"},
            {"given_name": "Bea", "family_name": "Smith"},
            ("name",),
        ),
        ({"given_name": "Ann", "family_name": "Smith"}, {"given_name": "", "family_name": ""}, ()),
        (
            {"given_name": "", "family_name": "Smith"},
            {"given_name": "Ann", "family_name": "Smith"},
            (),
        ),
        ({"date_of_birth": DOB}, {"date_of_birth": dt.date(1991, 1, 31)}, ("date of birth",)),
        ({"date_of_birth": None}, {"date_of_birth": DOB}, ()),
        (
            {"given_name": "Ann", "date_of_birth": DOB},
            {"given_name": "Bea", "date_of_birth": dt.date(1980, 1, 1)},
            ("name", "date of birth"),
        ),
    ],
)
def test_identity_differs_only_where_both_sides_say_and_disagree(
    held: dict[str, Any], row: dict[str, Any], differs: tuple[str, ...]
) -> None:
    assert identity_differences(Person(**held), PersonDetails(**row)) == differs


def test_values_an_earlier_row_filled_in_count_as_the_records() -> None:
    person = Person(given_name="Ann", family_name="Smith", date_of_birth=None)
    row = PersonDetails(given_name="Ann", family_name="Smith", date_of_birth=DOB)
    assert identity_differences(person, row, {"date_of_birth": dt.date(1985, 5, 5)}) == (
        "date of birth",
    )


# --- by force id ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_force_id_makes_a_new_person_written_on_save(personas: dict[str, Any]) -> None:
    linker = _linker("P-NEW")
    person = linker.by_ref(
        PersonDetails(force_ref="P-NEW", given_name="Nia", family_name="New", postcode="FY2 2BB")
    )
    assert person.pk is None
    summary = linker.save(actor=None, actor_username=IMPORT)
    assert summary.created == 1 and summary.updated == 0 and summary.conflicts == []
    stored = Person.objects.get(force_person_ref="P-NEW")
    assert stored == person and (stored.given_name, stored.postcode) == ("Nia", "FY2 2BB")


@pytest.mark.django_db
def test_a_held_force_id_is_updated_with_each_changed_field_audited(
    personas: dict[str, Any],
) -> None:
    held = _held("P1", "Ann", "Smith")
    linker = _linker("P1")
    found = linker.by_ref(
        PersonDetails(
            force_ref="P1",
            given_name="ann",
            family_name="SMITH",
            postcode="FY3 3CC",
            vulnerabilities=["pregnancy"],
        )
    )
    assert found.pk == held.pk
    summary = linker.save(actor=personas["administrator"])
    assert (summary.created, summary.updated) == (0, 1)
    held.refresh_from_db()
    assert (held.given_name, held.family_name, held.postcode, held.vulnerabilities) == (
        "Ann",
        "Smith",
        "FY3 3CC",
        ["pregnancy"],
    )  # the row's spelling of the name is not applied
    changes = {"postcode": ["FY1 1AA", "FY3 3CC"], "vulnerabilities": ["[]", "['pregnancy']"]}
    assert summary.changes == [(found, changes)]
    event = assert_audited(
        "people.person_updated",
        action=AuditAction.UPDATE,
        actor=personas["administrator"],
        subject=held,
    )
    assert event.changes == changes


@pytest.mark.django_db
def test_identity_is_filled_in_when_blank_by_the_first_row_and_never_changed() -> None:
    held = _held("P1", "", "Smith", dob=None)
    linker = _linker("P1")
    linker.by_ref(
        PersonDetails(force_ref="P1", given_name="Ann", family_name="Smith", date_of_birth=DOB)
    )
    linker.by_ref(
        PersonDetails(force_ref="P1", family_name="Smith-Jones")
    )  # a changed name is not applied
    linker.save(actor=None, actor_username=IMPORT)
    held.refresh_from_db()
    assert (held.given_name, held.family_name, held.date_of_birth) == ("Ann", "Smith", DOB)


@pytest.mark.django_db
def test_later_rows_win_and_a_row_back_to_the_stored_value_changes_nothing() -> None:
    held = _held("P1", "Ann", "Smith")
    linker = _linker("P1")
    linker.by_ref(PersonDetails(force_ref="P1", postcode="FY9 9ZZ", children_in_household=2))
    linker.by_ref(PersonDetails(force_ref="P1", postcode="FY1 1AA"))
    summary = linker.save(actor=None, actor_username=IMPORT)
    held.refresh_from_db()
    assert (held.postcode, held.children_in_household) == ("FY1 1AA", 2)
    assert summary.updated == 1 and summary.changes == [
        (held, {"children_in_household": [None, "2"]})
    ]


@pytest.mark.django_db
def test_a_held_force_id_with_another_identity_gets_its_own_record_queued_next_to_the_held_one() -> (
    None
):
    # Given P1 held for Ann Smith, and a row giving P1 to Bea Jones born another day
    held = _held("P1", "Ann", "Smith")
    linker = _linker("P1")
    row = PersonDetails(
        force_ref="P1", given_name="Bea", family_name="Jones", date_of_birth=dt.date(1985, 6, 1)
    )
    # When it is linked and saved
    person = linker.by_ref(row, row=7, role="victim")
    summary = linker.save(actor=None, actor_username=IMPORT)
    # Then Bea has a record of her own with the same force id, and Ann's is left as it was
    assert person.pk != held.pk and person.force_person_ref == "P1" and person.given_name == "Bea"
    assert summary.conflicts == [
        LinkConflict(
            force_ref="P1",
            differs=("name", "date of birth"),
            held=person,
            existing=held,
            row=7,
            role="victim",
        )
    ]
    held.refresh_from_db()
    assert (held.given_name, held.family_name) == ("Ann", "Smith")
    match = PersonMatch.objects.get()
    assert (match.person, match.candidate, match.status) == (person, held, "open")
    assert match.reasons[0] == "same force person id P1, different name and date of birth"
    assert summary.queued_for_review == 1
    # And importing the row again lands on Bea's record, queuing nothing new
    again = _linker("P1")
    assert again.by_ref(row).pk == person.pk
    assert again.save(actor=None, actor_username=IMPORT).conflicts == []
    assert (
        PersonMatch.objects.count() == 1
        and Person.objects.filter(force_person_ref="P1").count() == 2
    )


@pytest.mark.django_db
def test_a_merged_force_id_lands_on_the_record_at_the_end_of_its_merge_chain() -> None:
    survivor = _held("P-S", "Ann", "Smith")
    middle = _held("P-M", "Ann", "Smith", merged_into=survivor)
    duplicate = _held("P-D", "Anne", "Smith", merged_into=middle)
    linker = _linker("P-D")
    found = linker.by_ref(
        PersonDetails(force_ref="P-D", given_name="Anne", family_name="Smith", postcode="FY5 5EE")
    )
    assert found.pk == survivor.pk
    linker.save(actor=None, actor_username=IMPORT)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.postcode == "FY5 5EE" and duplicate.postcode == "FY1 1AA"
    assert PersonLinker().load_ids([duplicate.pk, survivor.pk, 0]) == {
        duplicate.pk: survivor,
        survivor.pk: survivor,
    }


# --- without a force id --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_naming_nobody_keeps_the_current_person() -> None:
    current = _held("", "Ann", "Smith")
    assert PersonLinker().refless(PersonDetails(postcode="FY9 9ZZ"), current=current) is current
    assert PersonLinker().refless(PersonDetails(), current=None) is None


@pytest.mark.django_db
def test_the_current_person_is_kept_while_the_names_agree() -> None:
    current = _held("", "Ann", "Smith")
    linker = PersonLinker()
    assert (
        linker.refless(
            PersonDetails(given_name="Ann", family_name="Smith", postcode="FY4 4DD"),
            current=current,
        )
        is current
    )
    linker.save(actor=None, actor_username=IMPORT)
    current.refresh_from_db()
    assert current.postcode == "FY4 4DD" and linker.summary.linked_by_match == 0


@pytest.mark.django_db
def test_a_close_enough_match_is_linked_and_a_possible_one_is_queued_on_a_new_record() -> None:
    marion = _held("", "Marion", "Collier", dob=dt.date(1997, 11, 1), postcode="PR4 9NN")
    kyle = _held("", "Kyle", "Unknown", dob=dt.date(1988, 3, 3), postcode="FY1 1AA")
    linker = PersonLinker()
    # Marian Collier, same birthday and postcode: linked without review
    linked = linker.refless(
        PersonDetails(
            given_name="Marian",
            family_name="Collier",
            date_of_birth=dt.date(1997, 11, 1),
            postcode="PR4 9NN",
        ),
        current=None,
    )
    # Kyle Unknown, same birthday, another town: a new record queued for review
    queued = linker.refless(
        PersonDetails(
            given_name="Kyle",
            family_name="Unknown",
            date_of_birth=dt.date(1988, 3, 3),
            postcode="LA1 1AA",
        ),
        current=None,
    )
    # the same row again in the file: the same new record
    twice = linker.refless(
        PersonDetails(
            given_name="Kyle",
            family_name="Unknown",
            date_of_birth=dt.date(1988, 3, 3),
            postcode="LA1 1AA",
        ),
        current=None,
    )
    stranger = linker.refless(PersonDetails(given_name="Sam", family_name="Stranger"), current=None)
    assert linked is not None and linked.pk == marion.pk
    assert queued is twice and queued is not None and queued.pk is None
    summary = linker.save(actor=None, actor_username=IMPORT)
    assert (summary.linked_by_match, summary.created, summary.queued_for_review) == (1, 2, 1)
    match = PersonMatch.objects.get()
    assert (match.person, match.candidate) == (queued, kyle)
    assert 0.8 <= match.score < 0.9 and "same date of birth" in match.reasons
    assert stranger is not None and Person.objects.filter(family_name="Stranger").count() == 1


# --- saving --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_force_id_that_looks_like_someone_held_or_earlier_in_the_file_is_queued_once() -> (
    None
):
    held = _held("P1", "Ann", "Smith")
    linker = _linker("P2", "P3")
    second = linker.by_ref(
        PersonDetails(force_ref="P2", given_name="Ann", family_name="Smith", date_of_birth=DOB)
    )
    third = linker.by_ref(
        PersonDetails(force_ref="P3", given_name="Ann", family_name="Smyth", date_of_birth=DOB)
    )
    linker.save(actor=None, actor_username=IMPORT)
    pairs = {(m.person_id, m.candidate_id) for m in PersonMatch.objects.all()}
    assert (second.pk, held.pk) in pairs
    assert any(person == third.pk for person, _ in pairs)
    assert len(pairs) == 2  # each new record queued once, on the newer of its pair
    assert all("same date of birth" in m.reasons for m in PersonMatch.objects.all())


@pytest.mark.django_db
def test_flushing_batch_by_batch_adds_up_and_finds_what_earlier_batches_wrote() -> None:
    linker = _linker("P1")
    first = linker.by_ref(PersonDetails(force_ref="P1", given_name="Ann", family_name="Smith"))
    linker.flush(actor=None, actor_username=IMPORT)
    linker.load_refs(["P1", "P2"])
    again = linker.by_ref(
        PersonDetails(force_ref="P1", given_name="Ann", family_name="Smith", postcode="FY6 6FF")
    )
    linker.by_ref(PersonDetails(force_ref="P2", given_name="Bo", family_name="Other"))
    summary = linker.flush(actor=None, actor_username=IMPORT)
    assert again.pk == first.pk
    assert (summary.created, summary.updated) == (2, 1)
    assert Person.objects.get(pk=first.pk).postcode == "FY6 6FF"
    assert_audited(
        "people.person_updated", action=AuditAction.UPDATE, actor_username=IMPORT, subject=first
    )
