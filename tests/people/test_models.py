"""A person's pseudonym is random and unique; safe-contact restrictions are seen at a glance."""

from __future__ import annotations

import re

import pytest

from provide.people.models import Person, new_pseudonym


def test_a_pseudonym_is_random_hex_with_a_prefix() -> None:
    pseudonyms = {new_pseudonym() for _ in range(200)}
    assert len(pseudonyms) == 200
    assert all(re.fullmatch(r"PSN-[0-9A-F]{16}", pseudonym) for pseudonym in pseudonyms)


@pytest.mark.django_db
def test_each_new_person_gets_their_own_pseudonym_never_derived_from_identity() -> None:
    first = Person.objects.create(given_name="Alice", family_name="Westby", force_person_ref="P-1")
    twin = Person.objects.create(given_name="Alice", family_name="Westby", force_person_ref="P-1")
    assert first.pseudonym != twin.pseudonym
    assert "Alice" not in first.pseudonym and "P-1" not in first.pseudonym


@pytest.mark.parametrize(
    "restriction", ["no_messages", "suspect_may_answer", "no_letters", "no_sms"]
)
def test_any_one_safe_contact_restriction_counts(restriction: str) -> None:
    assert Person(**{restriction: True}).has_safe_contact_restrictions


def test_a_person_without_restrictions_has_none_whatever_their_contact_details() -> None:
    person = Person(safe_phone="07700 900982", safe_contact_times="weekdays 09:00 to 12:00")
    assert not person.has_safe_contact_restrictions
