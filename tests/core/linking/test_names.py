"""Normalising names, dates of birth and postcodes, and the Jaro-Winkler name similarity."""

from __future__ import annotations

from datetime import date

import pytest

from provide.core.linking.names import (
    jaro,
    jaro_winkler,
    normalise_name,
    normalise_postcode,
    outward_code,
    split_full_name,
    transposed,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mrs Zoë  O\u2019Neill", "zoe oneill"),
        ("Anne-Marie", "anne marie"),
        ("DR", ""),
        ("Smith", "smith"),
        ("  ", ""),
        (None, ""),
        ("J. R. Hartley", "j r hartley"),
    ],
)
def test_normalise_name_drops_titles_accents_and_punctuation(
    text: str | None, expected: str
) -> None:
    assert normalise_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Collier ,  Marion ", ("Marion", "Collier")),
        ("Marion  Anne Collier", ("Marion Anne", "Collier")),
        ("Cher", ("", "Cher")),
        (" ", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_full_name_reads_family_first_after_a_comma(
    text: str | None, expected: tuple[str, str]
) -> None:
    assert split_full_name(text) == expected


@pytest.mark.parametrize(
    ("postcode", "full", "outward"),
    [
        (" fy1 1aa ", "FY11AA", "FY1"),
        ("SW1A 1AA", "SW1A1AA", "SW1A"),
        ("M1 1AE", "M11AE", "M1"),
        ("FY1", "FY1", "FY1"),
        (None, "", ""),
    ],
)
def test_postcodes_compare_without_spaces_and_give_their_district(
    postcode: str | None, full: str, outward: str
) -> None:
    assert normalise_postcode(postcode) == full
    assert outward_code(postcode) == outward


@pytest.mark.parametrize(
    ("born", "swapped"),
    [(date(1990, 3, 4), date(1990, 4, 3)), (date(1990, 5, 5), None), (date(1990, 1, 31), None)],
)
def test_transposed_swaps_day_and_month_only_when_that_is_another_real_date(
    born: date, swapped: date | None
) -> None:
    assert transposed(born) == swapped


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("crate", "trace", 0.7333),
        ("dwayne", "duane", 0.8222),
        ("dixon", "dicksonx", 0.7667),
        ("abc", "xyz", 0.0),
        ("", "smith", 0.0),
        ("smith", "smith", 1.0),
    ],
)
def test_jaro_matches_the_published_examples(a: str, b: str, expected: float) -> None:
    assert jaro(a, b) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("martha", "marhta", 0.9611), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.8133)],
)
def test_jaro_winkler_matches_the_published_examples(a: str, b: str, expected: float) -> None:
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=5e-5)


def test_jaro_is_symmetric_and_the_prefix_only_ever_raises_it() -> None:
    pairs = [
        ("katherine", "catherine"),
        ("kate", "katherine"),
        ("collier", "colier"),
        ("ann", "anne"),
    ]
    for a, b in pairs:
        assert jaro(a, b) == pytest.approx(jaro(b, a))
        assert jaro(a, b) <= jaro_winkler(a, b) <= 1.0
    assert jaro_winkler("collier", "colier", prefix_scale=0) == pytest.approx(
        jaro("collier", "colier")
    )


def test_a_shortened_name_scores_below_a_respelled_one() -> None:
    assert jaro_winkler("kate", "katherine") < jaro_winkler("catherine", "katherine")
