"""Made-up victims and suspects, and NHS numbers in the 999 test range."""

from __future__ import annotations

from datetime import date

import pytest

from provide.core.synthetic import SyntheticDataset
from provide.core.synthetic.geography import lancashire_bcus
from provide.core.synthetic.names import build_name_pools
from provide.core.synthetic.people import (
    PersonFactory,
    is_valid_nhs_number,
    nhs_check_digit,
    synthetic_nhs_number,
)
from provide.core.synthetic.sampling import stream

REFERENCE_ON = date(2023, 4, 1)


def test_the_check_digit_is_modulus_11_with_11_read_as_0_and_10_as_none() -> None:
    assert nhs_check_digit("943476591") == 9
    assert nhs_check_digit("000000000") == 0
    assert nhs_check_digit("100000001") is None  # 10 + 2 = 12 -> check 10: no valid number


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("9434765918", False),
        ("943476591", False),
        ("94347659A9", False),
        ("", False),
    ],
)
def test_is_valid_nhs_number(number: str, valid: bool) -> None:
    assert is_valid_nhs_number(number) is valid


def test_synthetic_nhs_numbers_are_valid_and_in_the_999_test_range() -> None:
    rng = stream(1, "nhs")
    numbers = [synthetic_nhs_number(rng) for _ in range(500)]
    assert all(number.startswith("999") and is_valid_nhs_number(number) for number in numbers)
    assert len(set(numbers)) > 490


def factory(first_number: int = 0) -> PersonFactory:
    return PersonFactory(
        stream(2, "people"), build_name_pools(seed=2, size=50), REFERENCE_ON, first_number
    )


def test_people_get_sequential_refs_after_the_first_number() -> None:
    people = factory(first_number=41)
    district = lancashire_bcus()[0].districts[0]
    victim = people.victim(district, "partner")
    suspect = people.suspect(victim, district, "partner")
    assert (victim.person_ref, suspect.person_ref) == ("P0000042", "P0000043")
    assert people.people == [victim, suspect]
    assert (victim.role, suspect.role) == ("victim", "suspect")


def test_a_victim_lives_in_the_district_and_is_born_before_the_reference_day() -> None:
    people = factory()
    district = lancashire_bcus()[1].districts[0]
    for _ in range(50):
        victim = people.victim(district, "family")
        assert victim.district == district.name and victim.bcu == district.bcu
        assert victim.date_of_birth < REFERENCE_ON and victim.synthetic
        assert victim.full_name == f"{victim.given_name} {victim.family_name}"


def test_an_interpreter_need_is_a_language_vulnerability_and_65_plus_is_older_person(
    sample: SyntheticDataset,
) -> None:
    victims = [person for person in sample.people if person.role == "victim"]
    for victim in victims:
        assert ("language" in victim.vulnerabilities) == victim.interpreter_needed
        age = (sample.start_on - victim.date_of_birth).days // 366
        if age >= 66:
            assert "older_person" in victim.vulnerabilities
    assert any(victim.interpreter_needed for victim in victims)


def test_most_partner_suspects_are_of_the_other_sex(sample: SyntheticDataset) -> None:
    people = {person.person_ref: person for person in sample.people}
    pairs = [
        (people[i.victim_ref], people[i.suspect_ref])
        for i in sample.investigations
        if i.relationship in ("partner", "ex_partner")
    ]
    other_sex = sum(victim.sex != suspect.sex for victim, suspect in pairs) / len(pairs)
    assert other_sex > 0.9
