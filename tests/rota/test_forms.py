"""The rota's forms take people and teams by public id only from the lists they were given, and
explain every mistake in words."""

from __future__ import annotations

from typing import Any

import pytest

from provide.accounts.models import User
from provide.planning.models import Team
from provide.rota.forms import (
    LANGUAGE_TOO_LONG,
    LANGUAGES_TOO_MANY,
    LEAVE_ENDS_BEFORE_START,
    AbsenceForm,
    ShiftForm,
    StaffSkillsForm,
)
from tests.rota.conftest import Rota

pytestmark = pytest.mark.django_db


def _shift_form(rota: Rota, data: dict[str, str]) -> ShiftForm:
    west = User.objects.filter(bcu__name="West")
    return ShiftForm(
        data,
        teams=Team.objects.filter(bcu__name="West"),
        officers=west.filter(groups__name="Joint-team officer"),
        idvas=west.filter(groups__name="Health IDVA"),
    )


def _valid_shift(rota: Rota) -> dict[str, str]:
    return {
        "team": str(rota.west_a.public_id),
        "on_date": "2026-03-10",
        "pattern": "late",
        "officer": str(rota.officer.public_id),
        "idva": str(rota.idva.public_id),
    }


def test_a_complete_shift_is_valid(rota: Rota) -> None:
    form = _shift_form(rota, _valid_shift(rota))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["team"] == rota.west_a
    assert form.cleaned_data["officer"] == rota.officer


def test_people_are_listed_by_name_and_bcu(rota: Rota) -> None:
    form = _shift_form(rota, {})
    labels = [label for _, label in form.fields["officer"].choices][1:]
    assert labels == ["Pat Jones (West)", "Amir Khan (West)"]  # the list's order (by username)
    assert [label for _, label in form.fields["team"].choices][1:] == [
        "West A (West)",
        "West B (West)",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("idva", "", "Choose the IDVA for this shift"),
        ("officer", "", "Choose the joint-team officer for this shift"),
        ("on_date", "next Tuesday", "Enter a real date, for example 2026-12-07"),
        ("on_date", "0001-01-01", "Enter a date between 1900 and 2199"),
        ("pattern", "night", "Choose the early or the late shift"),
    ],
)
def test_a_missing_or_malformed_value_is_explained(
    rota: Rota, field: str, value: str, message: str
) -> None:
    form = _shift_form(rota, {**_valid_shift(rota), field: value})
    assert form.errors[field] == [message]


def test_someone_from_outside_the_list_cannot_be_chosen(rota: Rota) -> None:
    form = _shift_form(rota, {**_valid_shift(rota), "officer": str(rota.east_officer.public_id)})
    assert form.errors["officer"] == ["Choose a joint-team officer from the list"]
    form = _shift_form(rota, {**_valid_shift(rota), "team": str(rota.east_a.public_id)})
    assert form.errors["team"] == ["Choose a team from the list"]


def test_an_integer_key_is_not_accepted_for_a_person(rota: Rota) -> None:
    form = _shift_form(rota, {**_valid_shift(rota), "idva": str(rota.idva.pk)})
    assert form.errors["idva"] == ["Choose an IDVA from the list"]


def _absence(rota: Rota, **data: str) -> AbsenceForm:
    values = {
        "staff": str(rota.officer.public_id),
        "kind": "leave",
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-12",
    }
    return AbsenceForm({**values, **data}, staff=User.objects.filter(bcu__name="West"))


def test_leave_for_some_days_is_valid(rota: Rota) -> None:
    assert _absence(rota).is_valid()


def test_leave_ending_before_it_starts_is_explained(rota: Rota) -> None:
    form = _absence(rota, ends_on="2026-03-09")
    assert form.errors["ends_on"] == [LEAVE_ENDS_BEFORE_START]


def test_leave_needs_a_reason(rota: Rota) -> None:
    assert _absence(rota, kind="").errors["kind"] == ["Choose leave, sickness or training"]


@pytest.mark.parametrize(
    ("typed", "languages"),
    [
        ("Punjabi, Urdu", ["Punjabi", "Urdu"]),
        (" Polish ,, ", ["Polish"]),
        ("", []),
    ],
)
def test_languages_are_split_on_commas(typed: str, languages: list[str]) -> None:
    form = StaffSkillsForm({"languages": typed, "gender": ""})
    assert form.is_valid()
    assert form.cleaned_data["languages"] == languages


@pytest.mark.parametrize(
    ("typed", "message"),
    [(",".join(f"L{n}" for n in range(13)), LANGUAGES_TOO_MANY), ("x" * 41, LANGUAGE_TOO_LONG)],
)
def test_too_many_or_too_long_languages_are_explained(typed: str, message: str) -> None:
    assert StaffSkillsForm({"languages": typed}).errors["languages"] == [message]


def test_gender_must_be_from_the_list(db: Any) -> None:
    assert "gender" in StaffSkillsForm({"languages": "", "gender": "x"}).errors
