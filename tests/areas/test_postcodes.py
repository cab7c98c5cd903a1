"""Postcodes in one written form, and their centroids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from provide.areas.models import PostcodeCentroid
from provide.areas.postcodes import (
    normalise_postcode,
    postcode_centroids,
    postcode_directory_loaded,
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("fy11aa", "FY1 1AA"), (" FY1  1AA ", "FY1 1AA"), ("bb10 9xa", "BB10 9XA"),
     ("M1 1AE", "M1 1AE"), ("EC1A1BB", "EC1A 1BB")],
)  # fmt: skip
def test_a_full_postcode_is_kept_in_one_form(typed: str, kept: str) -> None:
    assert normalise_postcode(typed) == kept


@pytest.mark.parametrize(
    "typed", ["", None, "FY1", "FY1 1", "11AA FY", "not a postcode", "FY1 1AAA"]
)
def test_anything_but_a_full_postcode_is_none(typed: str | None) -> None:
    assert normalise_postcode(typed) is None


@pytest.mark.django_db
def test_centroids_are_found_for_the_postcodes_held_only() -> None:
    assert postcode_directory_loaded() is False
    now = timezone.now()
    PostcodeCentroid.objects.create(
        postcode="FY1 9XA", latitude=53.8162, longitude=-3.0531, loaded_at=now
    )
    PostcodeCentroid.objects.create(postcode="FY1 9XD", latitude=53.8087, longitude=-3.0512,
                                    terminated_on=dt.date(2019, 3, 1), loaded_at=now)  # fmt: skip
    found = postcode_centroids(["FY1 9XA", "FY1 9XD", "FY9 9ZZ"])
    assert set(found) == {"FY1 9XA", "FY1 9XD"}
    assert (found["FY1 9XA"].latitude, found["FY1 9XA"].terminated) == (53.8162, False)
    assert found["FY1 9XD"].terminated is True
    assert postcode_directory_loaded() is True
