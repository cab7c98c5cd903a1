"""Person matching: name, date of birth and postcode, with fast blocking."""

from __future__ import annotations

from datetime import date

import pytest

from provide.core.linking import (
    AUTO_LINK_SCORE,
    REVIEW_SCORE,
    CandidateIndex,
    PersonRecord,
    consistent,
    decide,
    jaro_winkler,
    normalise_name,
    normalise_postcode,
    score_match,
    split_full_name,
    transposed,
)

DOB = date(1990, 3, 4)


def record(
    key: object, given: str, family: str, dob: date | None = DOB, postcode: str = "", ref: str = ""
) -> PersonRecord:
    return PersonRecord(key, given, family, dob, postcode, ref)


def test_jaro_winkler_matches_the_published_examples() -> None:
    assert round(jaro_winkler("martha", "marhta"), 3) == 0.961
    assert round(jaro_winkler("dwayne", "duane"), 2) == 0.84
    assert jaro_winkler("", "abc") == 0.0 and jaro_winkler("abc", "abc") == 1.0


def test_names_and_postcodes_are_normalised() -> None:
    assert normalise_name(" Mrs  Zoë O'Brien-Smith ") == "zoe obrien smith"
    assert normalise_postcode(" fy1 1aa ") == "FY11AA"
    assert split_full_name("Collier, Marion") == ("Marion", "Collier")


def test_transposed_day_and_month() -> None:
    assert transposed(date(1990, 3, 4)) == date(1990, 4, 3)
    assert transposed(date(1990, 3, 14)) is None and transposed(date(1990, 5, 5)) is None


def test_same_name_and_date_of_birth_links_without_review() -> None:
    a, b = (
        record(1, "Marion", "Collier", postcode="FY1 1AA"),
        record(2, "Marion", "Collier", postcode="FY1 1AA"),
    )
    match = score_match(a, b)
    assert match.score == 1.0 and decide(a, b, match) == "link"


def test_a_typing_slip_in_the_family_name_still_links_when_the_rest_agrees() -> None:
    a, b = record(1, "Edward", "Colier"), record(2, "Edward", "Collier", ref="P200")
    match = score_match(a, b)
    assert match.score >= AUTO_LINK_SCORE and decide(a, b, match) == "link"


def test_a_transposed_date_of_birth_goes_to_review() -> None:
    a, b = (
        record(1, "Marion", "Collier", date(1990, 4, 3), "FY1 1AA"),
        record(2, "Marion", "Collier", DOB, "FY1 1AA"),
    )
    match = score_match(a, b)
    assert REVIEW_SCORE <= match.score < AUTO_LINK_SCORE
    assert "date of birth with day and month swapped" in match.reasons
    assert decide(a, b, match) == "review"


def test_a_different_date_of_birth_is_never_a_match() -> None:
    a, b = record(1, "Marion", "Collier", date(1991, 3, 4)), record(2, "Marion", "Collier")
    assert score_match(a, b).score <= 0.6
    assert decide(a, b, score_match(a, b)) == "new"


def test_siblings_with_one_birthday_are_not_matched() -> None:
    a, b = record(1, "Gerald", "Smith"), record(2, "Ronald", "Smith")
    assert score_match(a, b).score < REVIEW_SCORE


def test_two_different_force_ids_are_never_linked_automatically() -> None:
    a, b = record(1, "Marion", "Collier", ref="P1"), record(2, "Marion", "Collier", ref="P2")
    assert decide(a, b, score_match(a, b)) == "review"


def test_swapped_given_and_family_names_are_recognised() -> None:
    assert (
        score_match(record(1, "Collier", "Marion"), record(2, "Marion", "Collier")).score
        >= REVIEW_SCORE
    )


def test_consistent_keeps_a_link_when_the_names_agree_and_nothing_contradicts() -> None:
    assert consistent(record(1, "Kyle", "Unknown", None), record(2, "Kyle", "Unknown", None))
    assert not consistent(
        record(1, "Kyle", "Unknown", date(1990, 1, 1)),
        record(2, "Kyle", "Unknown", date(1991, 1, 1)),
    )


def test_the_index_finds_a_match_through_either_initial_and_the_transposed_date() -> None:
    index = CandidateIndex(
        [
            record(1, "Marion", "Collier", postcode="FY1 1AA"),
            record(2, "Ann", "Other", date(1970, 1, 1)),
        ]
    )
    assert [r.key for r in index.candidates(record("q", "Marion", "Kollier"))] == [1]
    assert [
        r.key for r in index.candidates(record("q", "Marion", "Collier", date(1990, 4, 3)))
    ] == [1]
    assert index.candidates(record("q", "Marion", "Collier", date(1985, 1, 1))) == []
    assert [r.key for r in index.candidates(record("q", "Marion", "Collier", None, "FY1 9ZZ"))] == [
        1
    ]


@pytest.mark.parametrize("n", [2000])
def test_the_index_scales_without_comparing_everyone(n: int) -> None:
    people = [
        record(i, f"Given{i % 97}", f"Family{i % 89}", date(1950 + i % 50, 1 + i % 12, 1 + i % 28))
        for i in range(n)
    ]
    index = CandidateIndex(people)
    assert sum(len(index.candidates(p)) for p in people) < n * 5
